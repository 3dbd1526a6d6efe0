import { t } from '../../i18n/index.ts';
import type { Handler } from './context.ts';

/** `web` signs a user in to the compliance page: the bot answers it before any step; a step never sees it. */
export const web: Handler<'web'> = {
  needsIncident: false,
  run: (c, cmd) => c.fail(t(c.lang, 'err.unknownCommand', { word: cmd.name })),
};

import { t } from '../../i18n/index.ts';
import type { Handler } from './context.ts';

/** `ledger` reads the store across incidents, so the bot answers it before any step; a step never sees it. */
export const ledger: Handler<'ledger'> = {
  needsIncident: false,
  run: (c, cmd) => c.fail(t(c.lang, 'err.unknownCommand', { word: cmd.name })),
};

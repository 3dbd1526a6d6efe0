import { t } from '../../i18n/index.ts';
import type { Handler } from './context.ts';

export const note: Handler<'note'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => c.done([c.ev({ type: 'note', text: cmd.text })], [{ type: 'text', text: t(c.lang, 'ok.note') }]),
};

import { t } from '../../i18n/index.ts';
import type { Handler } from './context.ts';

export const reopen: Handler<'reopen'> = {
  needsIncident: true,
  records: true,
  run: (c) => (c.s.resolvedAt === null ? c.fail(t(c.lang, 'err.notResolved')) : c.done([c.ev({ type: 'reopened' })])),
};

import { t } from '../../i18n/index.ts';
import type { Handler } from './context.ts';

export const use: Handler<'use'> = {
  needsIncident: true,
  run: (c) => c.done([], [{ type: 'text', text: t(c.lang, 'ok.used', { id: c.s.id }) }], true, { ...c.session, active: c.s.id, chosen: c.s.id, pending: null }),
};

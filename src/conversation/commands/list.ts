import { t } from '../../i18n/index.ts';
import { assess } from '../../incident/assess.ts';
import { formatShanghai } from '../parse.ts';
import type { Handler } from './context.ts';

export const list: Handler<'list'> = {
  needsIncident: false,
  run: (c) => {
    const { lang } = c;
    const lines = c.ctx.open.map((s) => {
      const a = assess(s, c.nowMs, c.ctx.config.assess);
      return t(lang, 'list.line', { id: s.id, title: s.title, grade: a.grade, status: s.resolvedAt === null ? t(lang, 'status.open') : t(lang, 'status.resolved', { at: formatShanghai(s.resolvedAt) }) });
    });
    return { session: c.session, incidentId: null, events: [], replies: [{ type: 'text', text: lines.length ? `${t(lang, 'list.head')}\n${lines.join('\n')}` : t(lang, 'list.none') }] };
  },
};

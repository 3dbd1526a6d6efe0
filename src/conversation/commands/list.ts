import { t } from '../../i18n/index.ts';
import { assess } from '../../incident/assess.ts';
import type { IncidentState } from '../../incident/state.ts';
import { formatShanghai } from '../parse.ts';
import type { Handler } from './context.ts';

export const list: Handler<'list'> = {
  needsIncident: false,
  run: (c) => {
    const { lang } = c;
    const line = (s: IncidentState) => {
      const a = assess(s, c.nowMs, c.ctx.config.assess);
      const status = s.resolvedAt === null ? t(lang, 'status.open') : t(lang, 'status.resolved', { at: formatShanghai(s.resolvedAt) });
      return `${t(lang, 'list.line', { id: s.id, title: s.title, grade: a.grade, status })}${s.id === c.session.active ? t(lang, 'list.active') : ''}`;
    };
    const open = c.ctx.open.map(line);
    const recent = (c.ctx.recent ?? []).map(line);
    const parts = [open.length ? `${t(lang, 'list.head')}\n${open.join('\n')}` : t(lang, 'list.none'), ...(recent.length ? [`${t(lang, 'list.recentHead')}\n${recent.join('\n')}`] : [])];
    return { session: c.session, incidentId: null, events: [], replies: [{ type: 'text', text: parts.join('\n') }] };
  },
};

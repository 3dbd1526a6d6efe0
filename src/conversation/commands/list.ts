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
    // Open incidents under two headings: still being handled, and handling ended with reports still owed.
    const handling = c.ctx.open.filter((s) => s.resolvedAt === null).map(line);
    const ended = c.ctx.open.filter((s) => s.resolvedAt !== null).map(line);
    const recent = (c.ctx.recent ?? []).map(line);
    const parts = [
      ...(handling.length ? [`${t(lang, 'list.head')}\n${handling.join('\n')}`] : []),
      ...(ended.length ? [`${t(lang, 'list.endedHead')}\n${ended.join('\n')}`] : []),
      ...(handling.length + ended.length === 0 ? [t(lang, 'list.none')] : []),
      ...(recent.length ? [`${t(lang, 'list.recentHead')}\n${recent.join('\n')}`] : []),
    ];
    return { session: c.session, incidentId: null, events: [], replies: [{ type: 'text', text: parts.join('\n') }] };
  },
};

import { t } from '../../i18n/index.ts';
import { recordedNetworkName, type IncidentState } from '../../incident/state.ts';
import type { AssessContext } from '../../incident/assess.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import { timeError, type Handler } from './context.ts';

/** `resolve [time]`: handling ended; the post-incident report's 10 working days start (Art. 17). */
export const resolve: Handler<'resolve'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    if (s.resolvedAt !== null) return c.fail(t(lang, 'err.alreadyResolved'));
    const at = cmd.at ? readTime(lang, cmd.at, nowMs, t(lang, 'field.resolvedAt'), occurrenceBound(lang, s.values)) : { ok: true as const, value: nowMs };
    if (!at.ok) return c.fail(at.message);
    if (at.value < s.createdAt - 30 * 86_400_000) return timeError(c, cmd.at ?? '');
    const echo = cmd.at ? [{ type: 'text' as const, text: t(lang, 'ok.timeSet', { field: t(lang, 'field.resolvedAt'), at: formatShanghai(at.value) }) }] : [];
    // An outage still open on the record keeps counting (and can still raise the grade) after handling ended: say so.
    const open = openOutages(s, c.ctx.config.assess);
    const still = open.length > 0 ? [{ type: 'text' as const, text: t(lang, 'note.outageOpenAtResolve', { names: open.join(lang === 'en' ? ', ' : '、') }) }] : [];
    return c.done([c.ev({ type: 'resolved', resolvedAt: at.value })], [...echo, { type: 'text', text: t(lang, 'ok.resolved') }, ...still]);
  },
};

/** Networks whose main functions were recorded as interrupted and not (yet) as restored, by name. */
function openOutages(s: IncidentState, ctx: AssessContext): string[] {
  const out: string[] = [];
  for (const key of Object.keys(s.values)) {
    const m = /^networks\.(\d+)\.outage\.start$/.exec(key);
    if (!m || typeof s.values[key] !== 'number' || typeof s.values[`networks.${m[1]}.outage.restored`] === 'number') continue;
    const ref = s.values[`networks.${m[1]}.ref`];
    out.push(recordedNetworkName(s.values, m[1]!, ctx.networks) ?? (typeof ref === 'string' ? ref : `#${Number(m[1]) + 1}`));
  }
  return out;
}

import { t } from '../../i18n/index.ts';
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
    return c.done([c.ev({ type: 'resolved', resolvedAt: at.value })], [...echo, { type: 'text', text: t(lang, 'ok.resolved') }]);
  },
};

import { t } from '../../i18n/index.ts';
import { parseTime } from '../parse.ts';
import { timeError, type Handler } from './context.ts';

/** `resolve [time]`: handling ended; the post-incident report's 10 working days start (Art. 17). */
export const resolve: Handler<'resolve'> = {
  needsIncident: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    if (s.resolvedAt !== null) return c.fail(t(lang, 'err.alreadyResolved'));
    const at = cmd.at ? parseTime(cmd.at, nowMs) : { ok: true as const, value: nowMs };
    if (!at.ok) return timeError(c, cmd.at ?? '');
    if (at.value < s.createdAt - 30 * 86_400_000) return timeError(c, cmd.at ?? '');
    return c.done([c.ev({ type: 'resolved', resolvedAt: at.value })], [{ type: 'text', text: t(lang, 'ok.resolved') }]);
  },
};

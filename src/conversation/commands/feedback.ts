import { t } from '../../i18n/index.ts';
import { formatShanghai, parseTime } from '../parse.ts';
import { timeError, type Handler } from './context.ts';

/** `feedback [time]`: PBoC returned the post-incident report; the revision is due in 10 working days (Art. 23). */
export const feedback: Handler<'feedback'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    if (!s.reports.some((r) => r.kind === 'final')) return c.fail(t(lang, 'err.noFinal'));
    const at = cmd.at ? parseTime(cmd.at, nowMs) : { ok: true as const, value: nowMs };
    if (!at.ok) return timeError(c, cmd.at ?? '');
    return c.done([c.ev({ type: 'feedback-received', receivedAt: at.value })], [{ type: 'text', text: t(lang, 'ok.feedback', { at: formatShanghai(at.value) }) }]);
  },
};

import { t } from '../../i18n/index.ts';
import { formatShanghai, parseTime } from '../parse.ts';
import { shanghaiDate } from '../../calendar/time.ts';
import { addWorkingDays } from '../../calendar/working-days.ts';
import { ART23 } from '../../regimes/pboc-2025-4/rules.ts';
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
    const replies = [{ type: 'text' as const, text: t(lang, 'ok.feedback', { at: formatShanghai(at.value) }) }];
    // A second return replaces the first and moves the revision's deadline: say both.
    if (s.feedbackReceivedAt !== null) {
      const due = (ms: number) => { const r = addWorkingDays(shanghaiDate(ms), ART23.revisionWorkingDays, c.ctx.config.assess.calendar); return `${r.date} 24:00`; };
      replies.push({ type: 'text', text: t(lang, 'ok.feedbackAgain', { previous: formatShanghai(s.feedbackReceivedAt), at: formatShanghai(at.value), was: due(s.feedbackReceivedAt), now: due(at.value) }) });
    }
    return c.done([c.ev({ type: 'feedback-received', receivedAt: at.value })], replies);
  },
};

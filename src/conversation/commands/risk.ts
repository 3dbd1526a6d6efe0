import { t } from '../../i18n/index.ts';
import { endOfShanghaiDate, parseIso } from '../../calendar/time.ts';
import { isValidDate } from '../../calendar/working-days.ts';
import { parseDuration } from '../parse.ts';
import type { Handler } from './context.ts';

/** A future deadline: an ISO/Shanghai date-time, or a duration from now ("24h", "3天"). */
function futureTime(text: string, nowMs: number): number | null {
  // A date alone is due at 24:00 of that day, as every other date deadline.
  if (isValidDate(text)) return endOfShanghaiDate(text) > nowMs ? endOfShanghaiDate(text) : null;
  const iso = parseIso(text.replace(' ', 'T'));
  if (!Number.isNaN(iso)) return iso > nowMs ? iso : null;
  const d = parseDuration(text);
  return d.ok && d.value > 0 ? nowMs + d.value * 60_000 : null;
}

/** `risk <due> <summary>`: a PBoC risk notice to verify and answer by its deadline (Art. 24). */
export const risk: Handler<'risk'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const due = futureTime(cmd.due, c.nowMs);
    if (due === null) return c.fail(t(c.lang, 'err.riskDue', { input: cmd.due }));
    return c.done([c.ev({ type: 'risk-notice', receivedAt: c.nowMs, dueAt: due, summary: cmd.summary })]);
  },
};

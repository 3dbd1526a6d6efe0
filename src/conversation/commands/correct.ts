import { t } from '../../i18n/index.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import { clip, REASON_MAX } from './clip.ts';
import type { Handler } from './context.ts';

/**
 * `correct <t0|occurredAt> <time> reason <why>`: a mistaken clock start or occurrence time corrected, earlier or
 * later, attributed and with a reason; the original stays in the log and on the card.
 */
export const correct: Handler<'correct'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    const field = /^(t0|起算|起算时间)$/i.test(cmd.field) ? 't0' : /^(occurredAt|occurred|事发时间|发生时间)$/i.test(cmd.field) ? 'occurredAt' : null;
    if (!field) return c.fail(t(lang, 'err.correctField', { field: cmd.field }));
    const label = t(lang, field === 't0' ? 'field.t0' : 'field.occurredAt');
    const at = readTime(lang, cmd.value, nowMs, label, field === 't0' ? occurrenceBound(lang, s.values) : undefined);
    if (!at.ok) return c.fail(at.message);
    const current = field === 't0' ? s.t0 : typeof s.values.occurredAt === 'number' ? s.values.occurredAt : null;
    if (field === 't0' && current === null) return c.fail(t(lang, 'err.t0NotStarted'));
    if (current === at.value) return c.fail(t(lang, 'err.correctSame', { field: label, at: formatShanghai(at.value) }));
    const reason = clip(lang, t(lang, 'field.reason'), cmd.reason, REASON_MAX);
    const e = c.ev({ type: 'corrected', field, from: current, to: at.value, reason: reason.text });
    return c.done([e], [
      { type: 'text', text: t(lang, 'ok.corrected', { field: label, from: current === null ? '-' : formatShanghai(current), to: formatShanghai(at.value), reason: reason.text }) },
      ...(reason.notice ? [{ type: 'text' as const, text: reason.notice }] : []),
    ]);
  },
};

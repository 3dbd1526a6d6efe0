import { t } from '../../i18n/index.ts';
import { amendmentChanges } from '../../reports/amendments.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import type { Reply } from '../types.ts';
import { clip, CONTACT_MAX, REASON_MAX, TEXT_MAX } from './clip.ts';
import { onNamedReport, reportKindLabel } from './void.ts';

/**
 * `amend <report> [at <time>] [contact <name>] [text <content>] reason <why>`: a report's time, PBoC contact or content
 * corrected. The values before stay in the ledger beside the amended ones, with who, when and why.
 */
export const amend = onNamedReport<'amend'>((c, cmd, report) => {
  const { lang, s, nowMs } = c;
  if (report.voided) return c.fail(t(lang, 'err.alreadyVoided', { id: report.reportId, at: formatShanghai(report.voided.at), reason: report.voided.reason }));
  const at = cmd.at ? readTime(lang, cmd.at, nowMs, t(lang, 'field.reportAt'), occurrenceBound(lang, s.values)) : null;
  if (at && !at.ok) return c.fail(at.message);
  const contact = cmd.contact !== undefined ? clip(lang, t(lang, 'field.contact'), cmd.contact, CONTACT_MAX) : null;
  const text = cmd.text !== undefined ? clip(lang, t(lang, 'field.text'), cmd.text, TEXT_MAX) : null;
  const reason = clip(lang, t(lang, 'field.reason'), cmd.reason, REASON_MAX);
  const after = {
    ...(at && at.value !== report.at ? { at: at.value } : {}),
    ...(contact && contact.text !== report.contact ? { contact: contact.text } : {}),
    ...(text && text.text !== report.summary ? { summary: text.text } : {}),
  };
  if (Object.keys(after).length === 0) return c.fail(t(lang, 'err.amendSame', { id: report.reportId }));
  const e = c.ev({
    type: 'report-amended', reportId: report.reportId, reason: reason.text,
    ...(after.at !== undefined ? { reportedAt: after.at } : {}), ...(after.contact !== undefined ? { contact: after.contact } : {}),
    ...(after.summary !== undefined ? { summary: after.summary, ...(text!.cut ? { summaryCut: text!.cut } : {}) } : {}),
  });
  const before = { at: report.at, ...(report.contact !== undefined ? { contact: report.contact } : {}), ...(report.summary !== undefined ? { summary: report.summary } : {}) };
  const changes = amendmentChanges({ before, after }, lang);
  const kind = reportKindLabel(report, lang);
  const notices: Reply[] = [contact, text, reason].flatMap((x) => (x?.notice ? [{ type: 'text' as const, text: x.notice }] : []));
  return c.done([e], [{ type: 'text', text: t(lang, 'ok.amended', { id: report.reportId, kind, changes, reason: reason.text }) }, ...notices]);
});

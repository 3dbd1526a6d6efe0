// Voids, amendments and corrections as the record states them: the timeline, the DOCX, the ledger and the web page
// say the same words.
import { t, type Lang } from '../i18n/index.ts';
import type { ReportAmendment } from '../incident/state.ts';
import { minute } from './format.ts';

/** What an amendment changed, each field from its value before to its value after ("报告时间 10:05 → 10:20"). */
export function amendmentChanges(a: Pick<ReportAmendment, 'after'> & { before?: ReportAmendment['before'] }, lang: Lang): string {
  const none = t(lang, 'change.none');
  const was = a.before;
  const parts: string[] = [];
  if (a.after.at !== undefined) parts.push(t(lang, 'change.at', { from: was ? minute(was.at) : '…', to: minute(a.after.at) }));
  if (a.after.contact !== undefined) parts.push(t(lang, 'change.contact', { from: was ? was.contact ?? none : '…', to: a.after.contact }));
  if (a.after.summary !== undefined) parts.push(t(lang, 'change.summary', { from: was ? (was.summary ?? '').length : 0, to: a.after.summary.length }));
  return parts.join(lang === 'en' ? '; ' : '；');
}

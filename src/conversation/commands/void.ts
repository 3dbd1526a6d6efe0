import { t } from '../../i18n/index.ts';
import { formatShanghai } from '../parse.ts';
import { clip, REASON_MAX } from './clip.ts';
import type { Handler, IncidentContext } from './context.ts';

/** The report a command names (R3, r3), or null after refusing with the reports recorded. */
export function namedReport(c: IncidentContext, ref: string) {
  return c.s.reports.find((r) => r.reportId === ref.toUpperCase()) ?? null;
}

export function noSuchReport(c: IncidentContext, ref: string) {
  return c.fail(t(c.lang, 'err.noSuchReport', { id: ref, ids: c.s.reports.map((r) => r.reportId).join(', ') || '-' }));
}

/**
 * `void <report> reason <why>` (作废): a report recorded by mistake. It stays in the ledger, marked 作废 with who, when
 * and why, and no longer meets its obligation.
 */
export const voidReport: Handler<'void'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang } = c;
    const report = namedReport(c, cmd.report);
    if (!report) return noSuchReport(c, cmd.report);
    if (report.voided) return c.fail(t(lang, 'err.alreadyVoided', { id: report.reportId, at: formatShanghai(report.voided.at), reason: report.voided.reason }));
    const reason = clip(lang, t(lang, 'field.reason'), cmd.reason, REASON_MAX);
    const e = c.ev({ type: 'report-voided', reportId: report.reportId, reason: reason.text });
    const kind = t(lang, `report.${report.kind}` as 'report.brief');
    return c.done([e], [{ type: 'text', text: t(lang, 'ok.voided', { id: report.reportId, kind, reason: reason.text }) }, ...(reason.notice ? [{ type: 'text' as const, text: reason.notice }] : [])]);
  },
};

import { t, type Lang } from '../../i18n/index.ts';
import type { IncidentState, RegimeReportRecord, ReportRecord } from '../../incident/state.ts';
import { regimeName } from '../card-obligations.ts';
import { regimeKindTitle } from './regime-report.ts';
import { formatShanghai } from '../parse.ts';
import { clip, REASON_MAX } from './clip.ts';
import type { Command } from '../commands.ts';
import type { StepResult } from '../step-types.ts';
import type { Handler, IncidentContext } from './context.ts';

/** The report a command names (R3, r3): PBoC's or another regime's (one sequence of ids), or null. */
export function namedReport(c: IncidentContext, ref: string): ReportRecord | RegimeReportRecord | null {
  const id = ref.toUpperCase();
  return c.s.reports.find((r) => r.reportId === id) ?? c.s.regimeReports.find((r) => r.reportId === id) ?? null;
}

/** Every report id recorded, in id order. */
export function reportIds(s: IncidentState): string[] {
  return [...s.reports, ...s.regimeReports].map((r) => r.reportId).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
}

/** A report's kind as the replies name it: PBoC's report kinds, or the regime's with its name (网信部门初次报告). */
export function reportKindLabel(r: ReportRecord | RegimeReportRecord, lang: Lang): string {
  if ('regime' in r) return `${regimeName(r.regime, lang)}${lang === 'en' ? ' ' : ''}${regimeKindTitle(r.regime, r.kind, lang)}`;
  return t(lang, `report.${r.kind}` as 'report.brief');
}

export function noSuchReport(c: IncidentContext, ref: string) {
  return c.fail(t(c.lang, 'err.noSuchReport', { id: ref, ids: reportIds(c.s).join(', ') || '-' }));
}

/** The commands that name a report of the incident. */
type NamingReport = Extract<Command, { name: 'void' | 'amend' | 'contact' }>;

/**
 * The handler of a command that records something on the report it names (`void R3 …`, `amend R3 …`): `run` gets
 * the report; an id no report has is refused, listing the ids recorded.
 */
export function onNamedReport<N extends NamingReport['name']>(
  run: (c: IncidentContext, cmd: Extract<Command, { name: N }>, report: ReportRecord | RegimeReportRecord) => StepResult,
): Handler<N> {
  return {
    needsIncident: true,
    records: true,
    run: (c, cmd) => {
      const ref = (cmd as NamingReport).report;
      const report = namedReport(c, ref);
      return report ? run(c, cmd, report) : noSuchReport(c, ref);
    },
  };
}

/**
 * `void <report> reason <why>` (作废): a report recorded by mistake. It stays in the ledger, marked 作废 with who, when
 * and why, and no longer meets its obligation.
 */
export const voidReport = onNamedReport<'void'>((c, cmd, report) => {
  const { lang } = c;
  if (report.voided) return c.fail(t(lang, 'err.alreadyVoided', { id: report.reportId, at: formatShanghai(report.voided.at), reason: report.voided.reason }));
  const reason = clip(lang, t(lang, 'field.reason'), cmd.reason, REASON_MAX);
  const e = c.ev({ type: 'report-voided', reportId: report.reportId, reason: reason.text });
  const kind = reportKindLabel(report, lang);
  return c.done([e], [{ type: 'text', text: t(lang, 'ok.voided', { id: report.reportId, kind, reason: reason.text }) }, ...(reason.notice ? [{ type: 'text' as const, text: reason.notice }] : [])]);
});

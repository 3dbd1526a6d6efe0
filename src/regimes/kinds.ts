// The report kinds each regime's obligations are met by (`report <regime> <kind> …`, the CLI's reports[].kind).
import { REPORT_KINDS } from './pboc-2025-4/deadlines.ts';
import type { RegimeId } from './port.ts';

export const REGIME_REPORT_KINDS: Readonly<Record<RegimeId, readonly string[]>> = {
  pboc: REPORT_KINDS,
  cac: ['initial', 'supplementary', 'summary'],
  nfra: ['report'],
  csrc: ['phone', 'written'],
  police: ['report'],
  pipl: ['remedy', 'notify-authority', 'notify-individuals'],
};

/** True when `kind` is a report kind of `regime`. */
export function isRegimeReportKind(regime: RegimeId, kind: string): boolean {
  return REGIME_REPORT_KINDS[regime].includes(kind);
}

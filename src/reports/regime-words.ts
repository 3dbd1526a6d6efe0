// How the record names a regime and a report made under it (ledger, web page, dossier): the regime's own short name
// (Regime.short), and each kind in the regime's words (src/regimes/kinds.ts, the table the conversation reads too).
import type { Lang } from '../i18n/index.ts';
import { regimeKindName } from '../regimes/kinds.ts';
import { regimeShort } from '../regimes/registry.ts';
import { REGIME_IDS, type RegimeId } from '../regimes/port.ts';

export function isRegimeId(s: string): s is RegimeId {
  return (REGIME_IDS as readonly string[]).includes(s);
}

/** 人民银行 / PBoC, 网信部门 / CAC, …: the regime's own short name when its folder gives one. */
export function regimeText(id: RegimeId, lang: Lang): string {
  return regimeShort(id, lang);
}

/** A report kind under a regime in its words (初次报告); a kind we have no words for is shown as recorded. */
export function regimeKindText(regime: RegimeId, kind: string, lang: Lang): string {
  return regime === 'pboc' ? kind : regimeKindName(regime, kind, lang);
}

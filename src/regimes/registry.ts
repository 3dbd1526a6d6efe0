// Every regime the bot runs, in the order the card shows them. Adding a regime is one folder under src/regimes/
// and one line here (docs/development/adding-a-regime.md).
import type { Lang } from '../i18n/index.ts';
import type { Obligation, Regime, RegimeId, RegimeInput } from './port.ts';
import { pboc } from './pboc-2025-4/regime.ts';
import { cac } from './cac/regime.ts';
import { nfra } from './nfra/regime.ts';
import { csrc } from './csrc/regime.ts';
import { police } from './police/regime.ts';
import { pipl } from './pipl/regime.ts';

export const REGIMES: readonly Regime[] = [pboc, cac, nfra, csrc, police, pipl];

export function regimeById(id: RegimeId): Regime | undefined {
  return REGIMES.find((r) => r.id === id);
}

/** 人民银行 / PBoC, 网信部门 / CAC, …: the regime's short name, from its folder. */
export function regimeShort(id: RegimeId, lang: Lang): string {
  return regimeById(id)?.short[lang] ?? id;
}

/** Every obligation of an incident under every regime that binds the institution, PBoC's first. */
export function allObligations(input: RegimeInput): Obligation[] {
  return REGIMES.filter((r) => r.binds(input.profile)).flatMap((r) => r.obligations(input));
}

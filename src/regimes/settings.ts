// The unverified values of every regime ([U] in ../shared/docs/regimes.md): institution configuration under the
// institution file's `regimes:` block (`regimes: { cac: { majorCiiWholeMinutes: 120 } }`), each shown as 未核实
// with its key. Defaults live in each regime's rules.ts; this only gathers them.
import type { UnverifiedDefault } from './common.ts';
import { UNVERIFIED as CAC } from './cac/rules.ts';
import { UNVERIFIED as CSRC } from './csrc/rules.ts';
import type { RegimeSettings } from './port.ts';

export const UNVERIFIED_SETTINGS: readonly UnverifiedDefault[] = [...CAC, ...CSRC];

/** The `regimes:` block as parsed (`{ cac: { key: value } }`) → settings keyed `cac.key` for RegimeInput.settings. */
export function flattenRegimeSettings(block: Record<string, Record<string, number | null | undefined> | undefined> | undefined): RegimeSettings {
  const out: RegimeSettings = {};
  for (const [regime, values] of Object.entries(block ?? {})) {
    for (const [k, v] of Object.entries(values ?? {})) if (v !== undefined) out[`${regime}.${k}`] = v;
  }
  return out;
}

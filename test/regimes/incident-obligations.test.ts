// One incident mapped onto every regime: the recorded facts reach each regime as its own (persons for CAC, records
// for PBoC, the loss for CAC and NFRA), at the thresholds' boundaries; CAC's clock runs from when its facts reached 较大.
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/incident/state.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { incidentObligations, regimeInput } from '../../src/incident/obligations.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { botConfig } from '../fakes/chat.ts';

const T0 = parseIso('2026-12-04T09:00:00+08:00');
const MIN = 60_000;
const ctx = { ...botConfig().assess, profile: { ciiOperator: true, regulators: ['nfra' as const] } };

function incident(facts: Array<[string, string | number | boolean, number?]>) {
  const events: IncidentEvent[] = [{ type: 'created', id: 'INC-20261204-01', title: '泄露', conversation: 'c', at: T0, actor: 'u' }];
  for (const [path, value, atMin] of facts) events.push({ type: 'fact-set', path, value, at: T0 + (atMin ?? 0) * MIN, actor: 'u' });
  return fold(events);
}

const kinds = (s: ReturnType<typeof incident>, nowMs = T0 + 5 * MIN) => incidentObligations(s, nowMs, ctx).filter((o) => o.regime !== 'pboc').map((o) => `${o.regime}.${o.kind}`);

describe('incident → every regime', () => {
  it('CAC at 100万 persons and not at 999,999, whatever the record count', () => {
    expect(kinds(incident([['cac.personalInfoPersons', 1_000_000], ['data.personalInfoRecords', 10]]))).toContain('cac.initial');
    expect(kinds(incident([['cac.personalInfoPersons', 999_999], ['data.personalInfoRecords', 50_000_000]]))).not.toContain('cac.initial');
  });

  it('CAC and NFRA from one direct loss: 500万元 and 1000万元, not 4,999,999', () => {
    expect(kinds(incident([['cac.directLossYuan', 5_000_000]]))).toEqual(expect.arrayContaining(['cac.initial']));
    expect(kinds(incident([['cac.directLossYuan', 5_000_000]]))).not.toContain('nfra.report');
    expect(kinds(incident([['cac.directLossYuan', 4_999_999]]))).not.toContain('cac.initial');
    expect(kinds(incident([['cac.directLossYuan', 12_000_000]]))).toEqual(expect.arrayContaining(['cac.initial', 'nfra.report']));
  });

  it('CAC’s 1 h runs from the moment its facts reached 较大 when that was after discovery', () => {
    const s = incident([['cac.personalInfoPersons', 1_200_000, 40]]);
    expect(regimeInput(s, T0 + 45 * MIN, ctx).cac?.reachedSignificantAtMs).toBe(T0 + 40 * MIN);
    const initial = incidentObligations(s, T0 + 45 * MIN, ctx).find((o) => o.regime === 'cac' && o.kind === 'initial')!;
    expect(initial.dueAtMs).toBe(T0 + 100 * MIN);
  });

  it('PIPL from a leak answered yes, or from records leaked; individuals not owed once the harm is avoided', () => {
    expect(kinds(incident([['data.personalInfoIncident', true]]))).toEqual(expect.arrayContaining(['pipl.remedy', 'pipl.notify-authority', 'pipl.notify-individuals']));
    expect(kinds(incident([['data.personalInfoRecords', 10]]))).toContain('pipl.notify-authority');
    expect(kinds(incident([['data.personalInfoIncident', true], ['pipl.harmAvoided', true]]))).not.toContain('pipl.notify-individuals');
    expect(kinds(incident([['data.personalInfoIncident', false]]))).not.toContain('pipl.remedy');
  });

  it('the police once a crime is suspected (or ransomware did harm), not before', () => {
    expect(kinds(incident([]))).not.toContain('police.report');
    expect(kinds(incident([['suspectedCrime', true]]))).toContain('police.report');
    expect(kinds(incident([['ransomwareHarm', true]]))).toContain('police.report');
  });
});

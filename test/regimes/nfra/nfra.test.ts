import { describe, expect, it } from 'vitest';
import { isoShanghai } from '../../../src/calendar/time.ts';
import { nfra } from '../../../src/regimes/nfra/regime.ts';
import { allObligations } from '../../../src/regimes/registry.ts';
import { at, regimeInput } from '../input.ts';

const bank = { regulators: ['nfra' as const], netCapitalYuan: 2_000_000_000 };

describe('NFRA operational-risk Art. 42 triggers (以上 includes the figure)', () => {
  it.each([
    ['a loss of CNY 10,000,000', { lossYuan: 10_000_000 }, true],
    ['CNY 9,999,999 (0.49% of net capital)', { lossYuan: 9_999_999 }, false],
    ['an expected loss of CNY 50,000,000', { expectedLossYuan: 50_000_000 }, true],
    ['an expected loss of CNY 49,999,999 (2.5% of net capital)', { expectedLossYuan: 49_999_999 }, false],
    ['important data lost', { importantDataLost: true }, true],
    ['an important system down 3 h in one province', { importantSystemOutageMinutes: 180, provinces: 1 }, true],
    ['an important system down 2 h 59 min', { importantSystemOutageMinutes: 179, provinces: 1 }, false],
  ] as const)('%s → reportable: %s', (_l, facts, reportable) => {
    expect(nfra.obligations(regimeInput({ profile: bank, nfra: facts })).length).toBe(reportable ? 1 : 0);
  });

  it('1% of 资本净额 triggers below CNY 10,000,000; 0.99% does not', () => {
    const small = { regulators: ['nfra' as const], netCapitalYuan: 500_000_000 }; // 1% = CNY 5,000,000
    expect(nfra.obligations(regimeInput({ profile: small, nfra: { lossYuan: 5_000_000 } }))[0]!.basis!['zh-CN']).toContain('损失占资本净额 1.00%（1% 以上）');
    expect(nfra.obligations(regimeInput({ profile: small, nfra: { lossYuan: 4_999_999 } }))).toEqual([]);
    // 5% of net capital for an expected loss
    expect(nfra.obligations(regimeInput({ profile: small, nfra: { expectedLossYuan: 25_000_000 } })).length).toBe(1);
    expect(nfra.obligations(regimeInput({ profile: small, nfra: { expectedLossYuan: 24_999_999 } }))).toEqual([]);
  });

  it('without 资本净额 the percentage triggers cannot apply, the absolute ones still do', () => {
    const noCapital = { regulators: ['nfra' as const] };
    expect(nfra.obligations(regimeInput({ profile: noCapital, nfra: { lossYuan: 9_000_000 } }))).toEqual([]);
    expect(nfra.obligations(regimeInput({ profile: noCapital, nfra: { lossYuan: 12_000_000 } })).length).toBe(1);
  });

  it('only when the institution names nfra among its regulators', () => {
    const input = regimeInput({ profile: { regulators: ['csrc'] }, nfra: { lossYuan: 12_000_000 } });
    expect(allObligations(input).filter((o) => o.regime === 'nfra')).toEqual([]);
    expect(allObligations({ ...input, profile: bank }).filter((o) => o.regime === 'nfra').length).toBe(1);
  });
});

describe('NFRA Art. 42 clock: 5 working days from knowing, due at 24:00 of the last', () => {
  it('across a weekend: known Friday 2026-11-27 → due Friday 2026-12-04', () => {
    const [o] = nfra.obligations(regimeInput({ profile: bank, nfra: { lossYuan: 12_000_000 }, discoveredAtMs: at('2026-11-27T16:00+08:00'), nowMs: at('2026-11-27T16:05+08:00') }));
    expect(o).toMatchObject({ regime: 'nfra', kind: 'report', dueDate: '2026-12-04', status: 'pending', verified: true });
    expect(isoShanghai(o!.dueAtMs!)).toBe('2026-12-05T00:00:00+08:00');
    expect(o!.article['zh-CN']).toBe('《银行保险机构操作风险管理办法》第四十二条');
    expect(o!.recipient['zh-CN']).toBe('国家金融监督管理总局或其派出机构');
  });

  it('across National Day 2026 (10-01..07 off, Saturday 10-10 worked): known 09-30 → due 10-13', () => {
    const [o] = nfra.obligations(regimeInput({ profile: bank, nfra: { importantDataLost: true }, discoveredAtMs: at('2026-09-30T20:00+08:00'), nowMs: at('2026-10-14T00:00:01+08:00') }));
    expect(o).toMatchObject({ dueDate: '2026-10-13', status: 'overdue' });
  });

  it('met by a report recorded as { regime: nfra, kind: report }', () => {
    const [o] = nfra.obligations(regimeInput({ profile: bank, nfra: { lossYuan: 12_000_000 }, reports: [{ regime: 'nfra', kind: 'report', atMs: at('2026-12-01T10:00+08:00') }] }));
    expect(o).toMatchObject({ status: 'met', late: false });
  });
});

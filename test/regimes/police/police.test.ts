import { describe, expect, it } from 'vitest';
import { police } from '../../../src/regimes/police/regime.ts';
import { at, regimeInput } from '../input.ts';

describe('police: a suspected crime is reported 及时 (PBoC Order 2025-4 Art. 4)', () => {
  it('no suspected crime, no duty', () => {
    expect(police.obligations(regimeInput())).toEqual([]);
  });

  it('a duty with no clock: pending (never overdue) until recorded, days later too', () => {
    const [o] = police.obligations(regimeInput({ suspectedCrime: true, nowMs: at('2026-12-10T10:00+08:00') }));
    expect(o).toMatchObject({ regime: 'police', kind: 'report', due: '及时', dueAtMs: null, status: 'pending', verified: true });
    expect(o!.article['zh-CN']).toBe('《中国人民银行业务领域网络安全事件报告管理办法》第四条');
    expect(o!.recipient['zh-CN']).toBe('公安机关');
    const [met] = police.obligations(regimeInput({ suspectedCrime: true, reports: [{ regime: 'police', kind: 'report', atMs: at('2026-11-30T15:00+08:00') }] }));
    expect(met!.status).toBe('met');
  });

  it('for a CII operator the basis says the 1-hour report reaches the 公安机关 through CAC’s measures', () => {
    const [o] = police.obligations(regimeInput({ suspectedCrime: true, profile: { ciiOperator: true } }));
    expect(o!.basis!['zh-CN']).toContain('1 小时内同时报告公安机关');
    expect(o!.basis!.en).toContain('within 1 h under CAC’s measures');
  });
});

import { describe, expect, it } from 'vitest';
import { regimeReadings } from '../../src/regimes/readings.ts';

describe('the regimes’ readings for /incident help rules', () => {
  it('say how 立即 and 及时 become overdue, records versus persons, and the unverified keys, in both languages', () => {
    const zh = regimeReadings('zh-CN').join('\n');
    const en = regimeReadings('en').join('\n');
    expect(zh).toContain('"立即"：义务产生时即到期，60 分钟内未完成即视为逾期');
    expect(zh).toContain('"及时"');
    expect(zh).toContain('人民银行按"条"计数，网信部门按"人"计数');
    expect(zh).toContain('regimes.csrc.writtenReportHours');
    expect(en).toContain('counted overdue 60 minutes later');
    expect(en).toContain('never converts one into the other');
    expect(regimeReadings('zh-CN').length).toBe(regimeReadings('en').length);
  });
});

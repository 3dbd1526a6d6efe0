// One obligation as the page and the dossier show it: due as a time, as a day's end, or 立即/及时; time left or how long
// overdue; when it was met; 未核实 with the institution-file key under `regimes:`.
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../src/regimes/port.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { obligationRow, unverifiedText } from '../../src/web/regime-obligations.ts';

const NOW = parseIso('2026-12-01T10:00:00+08:00');
const base: Obligation = {
  regime: 'nfra', kind: 'report', title: { 'zh-CN': '操作风险事件报告', en: 'Operational-risk event report' }, dueAtMs: parseIso('2026-12-08T00:00:00+08:00'), dueDate: '2026-12-07',
  article: { 'zh-CN': '《银行保险机构操作风险管理办法》第四十二条', en: 'NFRA Order 2023 No. 5 Art. 42' }, recipient: { 'zh-CN': '金融监管总局或其派出机构', en: 'NFRA or its local office' },
  status: 'pending', verified: true,
};

describe('obligationRow', () => {
  it('a working-day clock is due at the end of its day, with the time left', () => {
    expect(obligationRow(base, NOW, 'zh-CN')).toMatchObject({ regimeText: '金融监管总局', due: '2026-12-07 24:00', statusText: '未完成', left: '6天14小时' });
    expect(obligationRow(base, NOW, 'en')).toMatchObject({ regimeText: 'NFRA', due: '2026-12-07 (end of day)', statusText: 'pending', article: 'NFRA Order 2023 No. 5 Art. 42' });
  });

  it('overdue says by how long; met says when; 立即 and 及时 have no countdown', () => {
    const overdue = obligationRow({ ...base, dueDate: undefined, dueAtMs: parseIso('2026-12-01T09:00:00+08:00'), status: 'overdue' } as Obligation, NOW, 'zh-CN');
    expect(overdue).toMatchObject({ due: '2026-12-01 09:00', statusText: '已逾期', left: '已逾期 1小时' });
    expect(obligationRow({ ...base, status: 'met', metAtMs: parseIso('2026-12-02T11:30:00+08:00') }, NOW, 'en')).toMatchObject({ statusText: 'met (2026-12-02 11:30)', left: '' });
    expect(obligationRow({ ...base, regime: 'police', dueAtMs: null, dueDate: undefined, due: '及时' } as Obligation, NOW, 'zh-CN')).toMatchObject({ regimeText: '公安', due: '及时', left: '' });
    expect(obligationRow({ ...base, regime: 'pipl', dueAtMs: null, dueDate: undefined, due: '立即' } as Obligation, NOW, 'en')).toMatchObject({ due: 'immediately', left: '' });
  });

  it('未核实 names the institution-file key under regimes:', () => {
    const row = obligationRow({ ...base, regime: 'csrc', verified: false, unverified: [{ key: 'csrc.writtenReportHours', value: null }] }, NOW, 'zh-CN');
    expect(unverifiedText(row, 'zh-CN')).toBe('未核实（由 regimes.csrc.writtenReportHours 设定）');
    expect(unverifiedText(row, 'en')).toBe('unverified (set by regimes.csrc.writtenReportHours)');
    expect(unverifiedText(obligationRow(base, NOW, 'zh-CN'), 'zh-CN')).toBe('');
  });
});

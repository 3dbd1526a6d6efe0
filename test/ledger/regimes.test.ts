import { describe, expect, it } from 'vitest';
import type { EventInput, IncidentEvent } from '../../src/incident/events.ts';
import { fold } from '../../src/incident/state.ts';
import { parseCsv, parseXlsx, toCsv, toXlsx } from '../../src/ledger/export.ts';
import { LEDGER_COLUMNS, ledgerRows, reportsIn } from '../../src/ledger/ledger.ts';
import { at, fullIncidentEvents } from '../reports/fixtures.ts';

// Reports under CAC, NFRA and the police sit in the same ledger as PBoC's, each row saying whom it went to.

const e = (iso: string, actor: string, body: EventInput): IncidentEvent => ({ at: at(iso), actor, ...body }) as IncidentEvent;
const ID = 'INC-20261130-01';

function withRegimeReports(): IncidentEvent[] {
  return [
    ...fullIncidentEvents(ID),
    e('2026-11-30T11:00:00+08:00', 'U1', {
      type: 'regime-report-submitted', reportId: `${ID}-R3`, regime: 'cac', kind: 'initial', channel: '12387', recipient: '上海市委网信办',
      reportedAt: at('2026-11-30T10:58:00+08:00'), contact: '李四',
    }),
    e('2026-11-30T14:00:00+08:00', 'U2', { type: 'regime-report-submitted', reportId: `${ID}-R4`, regime: 'nfra', kind: 'report', channel: 'written', recipient: '上海金融监管局', summary: '=HYPERLINK("http://x","y")' }),
    e('2026-11-30T14:05:00+08:00', 'U2', { type: 'regime-report-submitted', reportId: `${ID}-R5`, regime: 'police', kind: 'report', channel: 'phone', recipient: '浦东公安分局' }),
    e('2026-11-30T14:10:00+08:00', 'U2', { type: 'report-voided', reportId: `${ID}-R5`, reason: '误记，尚未报案' }),
    e('2026-11-30T14:20:00+08:00', 'U1', { type: 'report-amended', reportId: `${ID}-R3`, reason: '接报人记错', contact: '李思' }),
  ];
}

describe('the ledger carries every regime', () => {
  const s = fold(withRegimeReports());

  it('a regime column on every report row: PBoC rows say 人民银行, CAC, NFRA and police rows say theirs, in the order sent', () => {
    const rows = ledgerRows([s]);
    expect(rows.map((r) => [r.reportId, r.regime, r.reportKind, r.recordStatus])).toEqual([
      [`${ID}-R1`, '人民银行', '事发简要报告', ''],
      [`${ID}-R3`, '网信部门', '初次报告', '原记录（已修改，见下一行）'],
      [`${ID}-R3`, '网信部门', '初次报告', '修改后（第1次修改）'],
      [`${ID}-R2`, '人民银行', '事中进展报告', ''],
      [`${ID}-R4`, '金融监管总局', '操作风险事件报告', ''],
      [`${ID}-R5`, '公安', '报案', '作废'],
    ]);
  });

  it('a CAC report row: the time it was sent, channel, recipient and contact as recorded; the amendment says who changed what and why', () => {
    const [original, amended] = ledgerRows([s]).filter((r) => r.reportId === `${ID}-R3`);
    expect(original).toMatchObject({ reportedAt: '2026-11-30T10:58:00+08:00', channel: '12387', recipient: '上海市委网信办', pbocContact: '李四', confirmedAt: '', committedDate: '' });
    expect(amended).toMatchObject({ pbocContact: '李思' });
    expect(amended!.change).toContain('接报人记错');
    expect(amended!.summary).toBe('初次报告：核心银行系统交易中断（较大）');
    const voided = ledgerRows([s]).find((r) => r.reportId === `${ID}-R5`)!;
    expect(voided.change).toContain('误记，尚未报案');
  });

  it('a regime report’s channel in words: the 12387 hotline, and PBoC’s words for phone and written reports', () => {
    const hotline = fold([...fullIncidentEvents(ID), e('2026-11-30T11:00:00+08:00', 'U1', { type: 'regime-report-submitted', reportId: `${ID}-R9`, regime: 'cac', kind: 'initial', channel: 'hotline', recipient: '网信部门' })]);
    expect(ledgerRows([hotline]).find((r) => r.reportId === `${ID}-R9`)!.channel).toBe('12387热线');
    expect(ledgerRows([s], 'en').find((r) => r.reportId === `${ID}-R4`)!.channel).not.toBe('written');
    expect(ledgerRows([s]).find((r) => r.reportId === `${ID}-R5`)!.channel).toBe('电话');
  });

  it('English: the regime and the kind in English', () => {
    const rows = ledgerRows([s], 'en');
    expect(rows.find((r) => r.reportId === `${ID}-R1`)?.regime).toBe('PBoC');
    expect(rows.find((r) => r.reportId === `${ID}-R3`)).toMatchObject({ regime: 'CAC', reportKind: 'initial report' });
  });

  it('an incident with only a regime report has no "no report" row; a row that is no report has no regime', () => {
    const only = fold([
      ...fullIncidentEvents('INC-X').filter((x) => x.type === 'created' || x.type === 'grade-raised'),
      e('2026-11-30T11:00:00+08:00', 'U1', { type: 'regime-report-submitted', reportId: 'INC-X-R1', regime: 'pipl', kind: 'notify-individuals', channel: 'sms', recipient: '受影响客户' }),
      e('2026-11-30T11:05:00+08:00', 'U1', { type: 'corrected', field: 't0', from: null, to: at('2026-11-30T10:20:00+08:00'), reason: '核对' }),
    ]);
    const rows = ledgerRows([only]);
    expect(rows.map((r) => [r.reportId, r.regime, r.reportKind])).toEqual([['INC-X-R1', '个人信息保护法', '通知个人'], ['', '', '']]);
  });

  it('by report date: a regime report sent in the range is kept, one outside it dropped', () => {
    const [kept] = reportsIn([s], at('2026-11-30T13:00:00+08:00'), at('2026-11-30T15:00:00+08:00'));
    expect(kept!.reports.map((r) => r.reportId)).toEqual([`${ID}-R2`]);
    expect(kept!.regimeReports.map((r) => r.reportId)).toEqual([`${ID}-R4`, `${ID}-R5`]);
    expect(reportsIn([s], at('2026-11-30T10:57:00+08:00'), at('2026-11-30T10:59:00+08:00'))[0]!.regimeReports.map((r) => r.regime)).toEqual(['cac']);
  });

  it('CSV and XLSX: the regime column last, the formula in an NFRA report text guarded, every cell read back as recorded', async () => {
    const rows = ledgerRows([s]);
    const csv = toCsv(rows);
    expect(csv.split('\r\n')[0]!.endsWith(',监管机构')).toBe(true);
    expect(csv).toContain(`'=HYPERLINK`);
    expect(parseCsv(csv)).toEqual(rows);
    expect(await parseXlsx(await toXlsx(rows, 'en'))).toEqual(rows);
    expect(LEDGER_COLUMNS.at(-1)).toBe('regime');
  });
});

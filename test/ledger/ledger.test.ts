import { describe, expect, it } from 'vitest';
import { fold } from '../../src/incident/state.ts';
import { gradeAt, LEDGER_COLUMNS, ledgerRows } from '../../src/ledger/ledger.ts';
import { at, fullIncidentEvents, sparseIncidentEvents } from '../reports/fixtures.ts';

const full = fold(fullIncidentEvents());
const sparse = fold(sparseIncidentEvents());

describe('ledgerRows (Art. 25)', () => {
  it('one row per report: occurrence, grade as reported, report time, channel, the PBoC contact who received it, content', () => {
    expect(ledgerRows([full])).toEqual([
      {
        incidentId: 'INC-20261130-01', reportId: 'INC-20261130-01-R1', title: '核心银行系统交易中断', occurredAt: '2026-11-30T10:05:00+08:00',
        grade: '较大', reportKind: '事发简要报告', reportedAt: '2026-11-30T10:50:00+08:00', channel: '电子邮件', recipient: '中国人民银行上海总部',
        pbocContact: '张三', confirmedAt: '2026-11-30T10:55:00+08:00', summary: '事发简要报告：核心银行系统交易中断（较大）', committedDate: '', recordStatus: '', change: '', regime: '人民银行',
      },
      {
        incidentId: 'INC-20261130-01', reportId: 'INC-20261130-01-R2', title: '核心银行系统交易中断', occurredAt: '2026-11-30T10:05:00+08:00',
        grade: '重大', reportKind: '事中进展报告', reportedAt: '2026-11-30T13:30:00+08:00', channel: '传真', recipient: '中国人民银行上海总部',
        pbocContact: '张三', confirmedAt: '2026-11-30T13:38:00+08:00', summary: '交易已恢复，继续排查', committedDate: '', recordStatus: '', change: '', regime: '人民银行',
      },
    ]);
  });

  it('an incident with no report still has a row, its report fields empty, saying so', () => {
    expect(ledgerRows([sparse])).toEqual([{
      incidentId: 'INC-20261130-02', reportId: '', title: '网银登录异常', occurredAt: '', grade: '较大', reportKind: '', reportedAt: '',
      channel: '', recipient: '', pbocContact: '', confirmedAt: '', summary: '尚未报送任何报告', committedDate: '', recordStatus: '', change: '', regime: '',
    }]);
  });

  it('an unconfirmed email report has no contact yet; incidents keep their order, reports sorted by time', () => {
    const events = [...sparseIncidentEvents(), {
      type: 'report-submitted' as const, reportId: 'X1', kind: 'brief' as const, channel: 'email' as const, recipient: '中国人民银行上海总部',
      at: at('2026-11-30T09:50:00+08:00'), actor: 'U9',
    }];
    const rows = ledgerRows([fold(events), full]);
    expect(rows.map((r) => r.reportId)).toEqual(['X1', 'INC-20261130-01-R1', 'INC-20261130-01-R2']);
    expect(rows[0]).toMatchObject({ pbocContact: '', confirmedAt: '', channel: '电子邮件' });
  });

  it('English', () => {
    const [row] = ledgerRows([full], 'en');
    expect(row).toMatchObject({ grade: 'Significant (较大)', reportKind: 'brief report', channel: 'email', summary: 'Brief report: 核心银行系统交易中断 (Significant (较大))' });
    expect(ledgerRows([sparse], 'en')[0]?.summary).toBe('No report sent yet');
  });

  it('every row has every column as text', () => {
    for (const row of ledgerRows([full, sparse])) {
      expect(Object.keys(row).sort()).toEqual([...LEDGER_COLUMNS].sort());
      for (const c of LEDGER_COLUMNS) expect(typeof row[c]).toBe('string');
    }
  });

  it('gradeAt: the recorded grade in force at a time', () => {
    expect(gradeAt(full, at('2026-11-30T10:19:00+08:00'))).toBeNull();
    expect(gradeAt(full, at('2026-11-30T10:20:00+08:00'))).toBe('较大');
    expect(gradeAt(full, at('2026-11-30T12:00:00+08:00'))).toBe('重大');
  });
});

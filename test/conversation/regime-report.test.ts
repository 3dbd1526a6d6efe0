// Reports under the other regimes: `report <regime> <kind> …` records one under its regime with an id from the same
// sequence as PBoC's reports; a bad regime or kind is refused in the user's language with nothing recorded; void,
// amend and contact find such a report by its id.
import { describe, expect, it } from 'vitest';
import { botConfig } from '../fakes/chat.ts';
import { openIncident } from '../fakes/incidents.ts';
import { loadIncident } from '../../src/incident/stored.ts';

function profiledConfig() {
  const config = botConfig();
  return { ...config, assess: { ...config.assess, profile: { ciiOperator: true, regulators: ['nfra' as const] } } };
}

/** 客户信息泄露 at 15:00, for a CII operator that NFRA regulates. */
const incident = (lang: 'zh-CN' | 'en' = 'zh-CN') => openIncident(lang, { title: '客户信息泄露', config: profiledConfig() });

describe('report <regime> <kind>', () => {
  it('records a CAC report with its recipient and time, by id or Chinese alias, in one id sequence with PBoC reports', async () => {
    const chat = await incident();
    await chat.say('/incident report cac initial via phone to 省网信办 at 15:10 contact 张三').expectReply('已记录 R1：网信部门初次报告，电话报送至省网信办，报告时间 2026-12-01 15:10');
    await chat.say('/incident report 网信 补报 via 12387').expectReply('已记录 R2：网信部门补报，12387热线报送至');
    await chat.say('/incident report 公安 报案 via 现场 to 市公安局网安支队').expectReply('已记录 R3：公安报案');
    await chat.say('/incident report brief via phone contact 李四').expectReply('已记录 R4');
    const [id] = (await chat.store.listOpen('console:test')).map((m) => m.id);
    const s = (await loadIncident(chat.store, id!))!;
    expect(s.regimeReports.map((r) => [r.reportId, r.regime, r.kind, r.recipient, r.contact ?? null])).toEqual([
      ['R1', 'cac', 'initial', '省网信办', '张三'], ['R2', 'cac', 'supplementary', expect.any(String), null], ['R3', 'police', 'report', '市公安局网安支队', null],
    ]);
    expect(s.reports.map((r) => r.reportId)).toEqual(['R4']);
  });

  it('refuses an unknown regime or kind, saying which are known, and records nothing', async () => {
    const chat = await incident();
    await chat.say('/incident report 银保监 初次报告 via phone').expectError('不认识的监管机构“银保监”');
    await chat.say('/incident report cac 月报 via phone').expectError(/网信部门没有“月报”这种报告。可用：initial（初次报告）、supplementary（补报）、summary（总结报告）/);
    await chat.say('/incident report nfra report').expectError('/incident report <cac|nfra|csrc|police|pipl>');
    const [id] = (await chat.store.listOpen('console:test')).map((m) => m.id);
    expect((await loadIncident(chat.store, id!))!.regimeReports).toEqual([]);
  });

  it('in English too', async () => {
    const chat = await incident('en');
    await chat.say('/incident report nfra report via email to NFRA Shanghai').expectReply('Recorded R1: NFRA');
    await chat.say('/incident report csrc monthly via phone').expectError('CSRC has no "monthly" report. Use one of: phone (phone report), written (written incident report)');
    await chat.say('/incident report regulator initial via phone').expectError('"regulator" is not a regulator I know');
  });

  it('void, amend and contact find a regime report by its id', async () => {
    const chat = await incident();
    await chat.say('/incident report cac initial via phone to 省网信办');
    await chat.say('/incident contact R1 张三').expectReply('R1');
    await chat.say('/incident amend R1 at 15:05 reason 实际拨打时间').expectReply('已修改 R1（网信部门初次报告）');
    await chat.say('/incident void R1 reason 误记').expectReply('已作废 R1（网信部门初次报告');
    await chat.say('/incident void R7 reason 误记').expectError('已记录的报告：R1');
    const [id] = (await chat.store.listOpen('console:test')).map((m) => m.id);
    const r = (await loadIncident(chat.store, id!))!.regimeReports[0]!;
    expect(r.contact).toBe('张三');
    expect(r.voided?.reason).toBe('误记');
    expect(r.amendments?.[0]?.before.at).toBeGreaterThan(r.at);
  });
});

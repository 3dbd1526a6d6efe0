// The CAC initial report draft: Art. 7's items (as regimes.md summarises them) filled from the incident record, each
// missing one marked 待补充 with what to send or write, and the draft saying it is not the official form.
import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { fold } from '../../src/incident/state.ts';
import { CAC_ITEMS, cacInitialDraft } from '../../src/reports/cac-draft.ts';
import { cacInitialDocx } from '../../src/reports/cac-docx.ts';
import { assertWellFormedXml, docxParagraphs, readZip } from './zip.ts';
import { botConfig } from '../fakes/chat.ts';
import { at, fullIncidentEvents, sparseIncidentEvents } from './fixtures.ts';

const NOW = at('2026-11-30T16:00:00+08:00');
const set = (iso: string, path: string, value: string | number | boolean): IncidentEvent => ({ type: 'fact-set', path, value, at: at(iso), actor: 'U1' });

describe('the CAC initial report draft (《国家网络安全事件报告管理办法》第七条)', () => {
  it('says it is drafted from our summary of the measure, not the official form; every Art. 7 item in order, numbered as a Chinese report is', () => {
    const d = cacInitialDraft(fold(fullIncidentEvents()), NOW, botConfig());
    expect(d.items.map((i) => i.id)).toEqual([...CAC_ITEMS]);
    expect(d.text.split('\n')[0]).toBe('示例城市商业银行关于“核心银行系统交易中断”网络安全事件的初次报告（报网信部门）');
    expect(d.text).toContain('本稿按我们对该办法报告内容的归纳整理，不是办法所附报告表的原文格式');
    expect(d.text).toContain('一、事件发生单位名称及受影响的网络和信息系统：示例城市商业银行；核心银行系统（等级保护第四级）');
    expect(d.text).toContain('十三、其他需要报告的情况：无');
  });

  it('fills what the record has: type, impact, measures and their effect, trend, cause, next steps', () => {
    const d = cacInitialDraft(fold(fullIncidentEvents()), NOW, botConfig());
    const value = (id: string) => d.items.find((i) => i.id === id)!.value;
    expect(value('type')).toBe('设备设施故障事件—技术故障事件');
    expect(value('impact')).toBe('上海地区柜面及网银转账交易中断约3小时，受影响客户约12万人。');
    expect(value('measures')).toBe('启动应急预案，切换至灾备中心，交易已恢复。核心系统已切换至灾备中心运行。');
    expect(value('trend')).toBe('交易已恢复，影响不再扩大。');
    expect(value('cause')).toBe('主中心存储控制器固件缺陷导致双控制器同时宕机。');
    expect(value('nextSteps')).toBe('排查主中心存储故障原因，择机回切。');
  });

  it('marks what it does not know 待补充, with what the record knows and the command or the place to fill it', () => {
    const d = cacInitialDraft(fold(fullIncidentEvents()), NOW, botConfig());
    expect(d.missing).toEqual(['discoveredAt', 'level', 'ransom', 'leads', 'scene']);
    expect(d.text).toContain('二、事件发现时间：事发时间 2026-11-30 10:05；事件于 2026-11-30 10:10 在机器人中新建【待补充】报送前在本稿中填写');
    expect(d.text).toContain('四、事件级别（按《网络安全事件分级指南》）：人民银行口径为重大；网信部门口径按分级指南另行研判【待补充】');
    expect(d.text).toContain('七、勒索情况（勒索金额、方式、时间等）：【待补充】发送 /incident set ransomwareHarm <是|否>');
    expect(d.text).toContain('尚缺 5 项：事件发现时间、');
    const sparse = cacInitialDraft(fold(sparseIncidentEvents()), NOW, botConfig());
    expect(sparse.text).toContain('五、已造成的影响和危害：【待补充】发送 /incident set report.impactScope <内容>');
  });

  it('ransomware answered no says so; the persons and loss CAC counts go beside the impact', () => {
    const events = [...fullIncidentEvents(), set('2026-11-30T15:30:00+08:00', 'ransomwareHarm', false), set('2026-11-30T15:30:00+08:00', 'cac.personalInfoPersons', 1_200_000), set('2026-11-30T15:30:00+08:00', 'cac.directLossYuan', 12_000_000)];
    const d = cacInitialDraft(fold(events), NOW, botConfig());
    expect(d.items.find((i) => i.id === 'ransom')!.value).toBe('不涉及勒索软件');
    expect(d.items.find((i) => i.id === 'impact')!.value).toBe('上海地区柜面及网银转账交易中断约3小时，受影响客户约12万人。（涉及个人信息 1200000 人；直接经济损失 12000000 元）');
  });

  it('English, complete', () => {
    const d = cacInitialDraft(fold(sparseIncidentEvents()), NOW, botConfig(), 'en');
    expect(d.text).toContain('This draft follows our summary of the items the measure asks for, not the verbatim official form');
    expect(d.text).toContain('3. Type of incident: [to be completed] send /incident set category');
    expect(d.text).toContain("4. Level (under the 《网络安全事件分级指南》): PBoC's grade is Significant (较大); the CAC's is decided separately under its guide [to be completed]");
    expect(d.text).not.toMatch(/待补充|报送前|发送/);
  });

  it('DOCX: the title, the note that it is not the official form, every item, a visible 【待补充】 where content is missing', async () => {
    const d = cacInitialDraft(fold(fullIncidentEvents()), NOW, botConfig());
    const xml = readZip(await cacInitialDocx(d, '示例城市商业银行', 'INC-20261130-01')).get('word/document.xml')!.toString('utf8');
    assertWellFormedXml(xml);
    const paras = docxParagraphs(xml);
    expect(paras[0]).toBe(d.title);
    expect(paras.some((p) => p.includes('不是办法所附报告表的原文格式'))).toBe(true);
    expect(paras).toContain('十二、现场保护情况');
    expect(paras.filter((p) => p.startsWith('【待补充】') || p.includes(' 【待补充】')).length).toBe(d.missing.length);
  });
});

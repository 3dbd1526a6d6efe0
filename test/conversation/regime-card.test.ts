// The card with every regime: PBoC's deadline lines as before, then each other regime's obligations grouped in the
// registry's order (CAC, NFRA, CSRC, police, PIPL), one compact line each with due time, article, recipient and status,
// unverified values marked 未核实 with their key; within Slack's limits; in English too.
import { describe, expect, it } from 'vitest';
import { renderCardBlocks, blockText } from '../../adapters/slack/render/index.ts';
import type { IncidentCard, Reply } from '../../src/conversation/types.ts';
import { FakeChat, botConfig } from '../fakes/chat.ts';

async function leak(lang: 'zh' | 'en', profile: Record<string, unknown>, facts = ['personal 120万', 'cac.personalInfoPersons 120万', 'cac.directLossYuan 1200万元']) {
  const chat = await FakeChat.start('2026-12-04T09:00:00+08:00', { config: botConfig({ profile } as never), lang: lang === 'en' ? 'en' : 'zh-CN' });
  await chat.say('/incident new 客户信息泄露');
  for (const line of ['occurredAt 08:40', 'network 核心银行系统', 'disrupted 否', 'data.coreData 否', 'data.importantData 否', 'data.personalInfoIncident 是', ...facts]) {
    await chat.say(`/incident set ${line}`);
  }
  return chat;
}

const cardOf = (replies: Reply[]): IncidentCard => (replies.find((r) => r.type === 'card') as Extract<Reply, { type: 'card' }>).card;

describe('the card with every regime', () => {
  it('PBoC first, then CAC, NFRA, CSRC, police, PIPL, each line with due time, article and recipient', async () => {
    const chat = await leak('zh', { ciiOperator: true, regulators: ['nfra', 'csrc'] });
    const card = cardOf(await chat.say('/incident set suspectedCrime 是').replies);
    expect(card.deadlines.map((d) => d.kind)).toEqual(['brief', 'incident']); // PBoC's own lines, unchanged
    const order = card.parallel.map((l) => /^【(.+?)】/.exec(l)?.[1]).filter(Boolean);
    expect([...new Set(order)]).toEqual(['网信部门', '金融监管总局', '证监会', '公安', '个人信息保护法']);
    const cac = card.parallel.find((l) => l.startsWith('【网信部门】'))!;
    expect(cac).toBe('【网信部门】向网信部门初次报告：截止 2026-12-04 10:00（北京时间），还剩 1小时；《国家网络安全事件报告管理办法》；报送：本单位关键信息基础设施保护工作部门和公安机关');
    // CSRC's written report clock is not verified: shown 未核实 with the key that sets it.
    expect(card.parallel.filter((l) => l.startsWith('【证监会】')).join('\n')).toMatch(/未核实（regimes\.csrc\.writtenReportHours/);
    expect(card.parallel.at(-1)).toContain('“立即”：义务产生即到期，1小时内未完成视为逾期');
    expect(card.next.some((n) => n.startsWith('【网信部门】报送后记录：/incident report cac <initial> via'))).toBe(true);
  });

  it('a recorded CAC report marks its line met', async () => {
    const chat = await leak('zh', { ciiOperator: true, regulators: ['nfra'] });
    const card = cardOf(await chat.say('/incident report 网信 初次报告 via 电话 to 保护工作部门').replies);
    expect(card.parallel.find((l) => l.startsWith('【网信部门】向网信部门初次报告'))).toContain('已于 2026-12-04 09:00 报送');
  });

  it('fits Slack: under 50 blocks, every section under 3,000 characters', async () => {
    const chat = await leak('zh', { ciiOperator: true, regulators: ['nfra', 'csrc'] });
    const card = cardOf(await chat.say('/incident set suspectedCrime 是').replies);
    const blocks = renderCardBlocks(card, { command: '/incident', lang: 'zh-CN' });
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect(blockText(b).length).toBeLessThanOrEqual(3000);
    expect(blocks.map(blockText).join('\n')).toContain('【金融监管总局】操作风险事件报告');
  });

  // PIPL alone: the CAC, NFRA and police recipients' English texts still carry their Chinese names in brackets.
  it('in English', async () => {
    const chat = await leak('en', { regulators: [] }, []);
    const card = cardOf(await chat.say('/incident status').replies);
    expect(card.parallel[0]).toBe('[PIPL] Take remedial measures at once: at once, 1h left; Personal Information Protection Law Art. 57; to no one: the institution takes them itself');
    expect(card.parallel.at(-1)).toContain('"At once": due when the duty arises, overdue if not done within 1 hour (our reading)');
    expect(card.next).toContain('[PIPL] once sent, record it: /incident report pipl <remedy|notify-authority|notify-individuals> via <channel> [to <recipient>] [at <time sent>]');
  });
});

describe('help rules', () => {
  it('shows the other regimes’ readings: records versus persons, 立即 and 及时', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00', { config: botConfig() });
    const text = await chat.say('/incident help rules');
    expect(text).toContain('人民银行按"条"计数，网信部门按"人"计数');
    expect(text).toContain('"及时"（如向公安机关报案）：无固定时限');
  });
});

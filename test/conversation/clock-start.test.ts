// Transcripts through the real bot: T0 at the instant a criterion was met however late the facts are typed,
// Art. 16 immediate reports only for a raise, Art. 7-10 item 2 only with a disrupted main function, and Art. 10(5)
// for a leak that may have happened.
import { describe, expect, it } from 'vitest';
import { FakeChat } from '../fakes/chat.ts';

/**
 * 核心中断: the key network down from `start` (default 10:00) in `provinces` provinces (default 2) at 90%, restored
 * at `restored` when given, all typed at `typedAt`; the card after the last fact.
 */
async function lateOutage(
  typedAt: string, o: { lang?: 'zh' | 'en'; start?: string; restored?: string; provinces?: number } = {},
): Promise<{ chat: FakeChat; card: string }> {
  const chat = await FakeChat.start(typedAt, { lang: o.lang === 'en' ? 'en' : 'zh-CN' });
  await chat.say('/incident new 核心中断');
  await chat.say('/incident set network 核心');
  await chat.say(`/incident set start ${o.start ?? '10:00'}`);
  if (o.restored) await chat.say(`/incident set restored ${o.restored}`);
  await chat.say(`/incident set provinces ${o.provinces ?? 2}`);
  const card = await chat.say('/incident set rate 90');
  return { chat, card };
}

describe('a key network outage from 10:00 in 2 provinces at 90%, typed late', () => {
  it('typed at 10:40: Art. 9(1) met at 10:15, T0 10:15, brief report due 11:15, with the computation in one line', async () => {
    const { card } = await lateOutage('2026-12-04T10:40:00+08:00');
    expect(card).toContain('等级由一般升为较大（2026-12-04 10:15 达到标准）');
    expect(card).toContain('时限起算（T0）：2026-12-04 10:15（达到较大之时）');
    expect(card).toContain('中断 10:00 起，两省整体中断，10:15 达到第九条第（一）项 15分钟 → 简要报告截止 11:15');
    expect(card).toMatch(/事发简要报告 {2}2026-12-04 11:15 .*还剩 35分钟/);
    expect(card).not.toContain('已逾期');
  });

  it('typed at 11:20: the brief report is shown overdue at once', async () => {
    const { card } = await lateOutage('2026-12-04T11:20:00+08:00');
    expect(card).toContain('10:15 达到第九条第（一）项 15分钟 → 简要报告截止 11:15（已逾期 5分钟）');
    expect(card).toMatch(/✗ 事发简要报告 {2}2026-12-04 11:15 .*已逾期 5分钟/);
  });

  it('in English', async () => {
    const { card } = await lateOutage('2026-12-04T11:20:00+08:00', { lang: 'en' });
    expect(card).toContain('criteria met at 2026-12-04 10:15');
    expect(card).toContain('Clocks start (T0): 2026-12-04 10:15');
    expect(card).toContain("Outage since 10:00, whole interruption in 2 provinces: Art. 9(1)'s 15m reached at 10:15 → brief report due 11:15 (OVERDUE by 5m)");
  });

  it('T0 already started by a count at 10:40 moves earlier to 10:15 when the outage is typed, as a logged event with its reason', async () => {
    const chat = await FakeChat.start('2026-12-04T10:40:00+08:00');
    await chat.say('/incident new 核心中断');
    await chat.say('/incident set network 核心');
    await chat.say('/incident set persons 20万');
    const before = await chat.say('/incident status');
    expect(before).toContain('时限起算（T0）：2026-12-04 10:40');
    chat.clock.advanceMinutes(5);
    await chat.say('/incident set start 10:00');
    await chat.say('/incident set provinces 2');
    const card = await chat.say('/incident set rate 90');
    expect(card).toContain('时限起算（T0）：2026-12-04 10:15（后录入的事实表明较大标准此时已达到，由 2026-12-04 10:40 提前）');
    expect(card).toMatch(/事发简要报告 {2}2026-12-04 11:15/);
    const ledger = await chat.say('/incident status');
    expect(ledger).not.toContain('11:40');
  });

  it('a person may correct T0 later with a reason; the card then shows both', async () => {
    const { chat } = await lateOutage('2026-12-04T10:40:00+08:00');
    const card = await chat.say('/incident correct t0 10:30 reason 监控数据有误');
    expect(card).toContain('已更正：监控数据有误');
    expect(card).toContain('事实显示 T0 为 2026-12-04 10:15（第九条第（一）项），人工更正为 2026-12-04 10:30');
  });
});

describe("the institution's own duration rule and restorations", () => {
  it("off-peak, 1 province: the example institution's 20-minute rule (Art. 6) met at 07:20 is T0, typed at 07:40", async () => {
    const { card } = await lateOutage('2026-12-04T07:40:00+08:00', { start: '07:00', provinces: 1 });
    expect(card).toContain('等级由一般升为较大（2026-12-04 07:20 达到标准）');
    expect(card).toContain('时限起算（T0）：2026-12-04 07:20');
    expect(card).toMatch(/中断 07:00 起，一省整体中断，07:20 达到第六条 .*20分钟.* → 简要报告截止 08:20/);
  });

  it('in English, without Chinese text in the line', async () => {
    const chat = await FakeChat.start('2026-12-04T07:40:00+08:00', { lang: 'en' });
    await chat.say('/incident new core down');
    await chat.say('/incident set network core');
    await chat.say('/incident set start 07:00');
    await chat.say('/incident set provinces 1');
    const card = await chat.say('/incident set rate 90');
    const line = card.split('\n').find((l) => l.includes('Outage since'))!;
    expect(line).toContain("Outage since 07:00, whole interruption in 1 province: Art. 6's institution-rule threshold reached at 07:20 → brief report due 08:20");
    expect(line).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('restored at 07:10, typed at 07:40: no threshold was crossed, no clock starts', async () => {
    const { card } = await lateOutage('2026-12-04T07:40:00+08:00', { start: '07:00', restored: '07:10', provinces: 1 });
    expect(card).toContain('一般（四级）');
    expect(card).not.toContain('时限起算');
  });
});

describe('facts without a time of their own', () => {
  it('a count starts the clocks when recorded; `at <time>` dates it when it became true', async () => {
    const chat = await FakeChat.start('2026-12-04T10:50:00+08:00');
    await chat.say('/incident new 数据泄露');
    const plain = await chat.say('/incident set 勒索 是');
    expect(plain).toContain('时限起算（T0）：2026-12-04 10:50');
    const dated = await chat.say('/incident set 重要数据 是 at 10:20');
    expect(dated).toContain('已记录 重要数据');
    expect(dated).toContain('自 2026-12-04 10:20 起成立');
    expect(dated).toContain('时限起算（T0）：2026-12-04 10:20');
    expect(dated).toMatch(/事发简要报告 {2}2026-12-04 11:20/);
    await chat.say('/incident set 个人信息 100 at 11:30').expectError('今天的 11:30 还没到');
  });
});

describe('Art. 16: immediate reports only for a raise during handling', () => {
  it('first grade 重大 (important data in the minute the incident is opened): the 1-hour brief, no immediate report', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00');
    await chat.say('/incident new 数据泄露');
    const card = await chat.say('/incident set 重要数据 是');
    expect(card).toContain('重大（二级）');
    expect(card).toMatch(/事发简要报告 {2}2026-12-04 10:00/);
    expect(card).not.toContain('立即报告');
    expect(card).not.toContain('应立即报告');
  });

  it('a raise from 较大 to 重大 during handling asks for an immediate report; a problem noted after handling ended does not', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00');
    await chat.say('/incident new 勒索');
    await chat.say('/incident set 勒索 是');
    chat.clock.advanceMinutes(20);
    const raised = await chat.say('/incident set 重要数据 是');
    expect(raised).toMatch(/立即报告（等级达到重大）/);
    await chat.say('/incident report brief via phone contact 李四');
    await chat.say('/incident resolve');
    chat.clock.advanceMinutes(30);
    const after = await chat.say('/incident milestone 发现新的问题');
    expect(after).not.toMatch(/○ 立即报告/);
  });
});

describe('Art. 7-10 item 2 and Art. 10(5)', () => {
  it('`disrupted 否` with 20万 persons stays 一般', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00');
    await chat.say('/incident new 网银');
    await chat.say('/incident set network 网银');
    await chat.say('/incident set disrupted 否');
    const card = await chat.say('/incident set persons 20万');
    expect(card).toContain('一般（四级）');
    expect(card).not.toContain('第九条第（二）项');
  });

  it('the same with the main function disrupted is 较大 under Art. 9(2)', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00');
    await chat.say('/incident new 网银');
    await chat.say('/incident set network 网银');
    await chat.say('/incident set disrupted 是');
    const card = await chat.say('/incident set persons 20万');
    expect(card).toContain('较大（三级）');
    expect(card).toContain('第九条第（二）项');
  });

  it('`个人信息泄露 不确定` cites 第十条第（五）项, and the post-incident draft carries the Art. 20 items', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00');
    await chat.say('/incident new 疑似泄露');
    const card = await chat.say('/incident set 个人信息泄露 不确定');
    expect(card).toContain('第十条第（五）项：可能发生个人信息泄露');
    expect(card).not.toContain('未满足第七条至第十条任何情形');
    const draft = await chat.say('/incident draft final');
    expect(draft).toContain('为避免危害所采取的补救措施');
    expect(draft).toContain('依法通知个人的情况');
  });
});

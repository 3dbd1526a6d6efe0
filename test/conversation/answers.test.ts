// Answers by number mean the option shown; errors and hints talk about what was asked.
import { describe, expect, it } from 'vitest';
import { FakeChat } from '../fakes/chat.ts';

describe('answers mean what the question shows', () => {
  it('1 is 是 in a yes/no question; a percentage error talks about percentages; the provinces hint is a count of provinces', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 核心系统中断');
    await chat.say('13:40');
    const yesno = await chat.say('核心银行系统').expectReply('1 为“是”，2 为“否”');
    expect(yesno).toMatch(/1\. 是\n {2}2\. 否/);
    await chat.say('1').expectReply('从什么时候开始中断'); // 1 = 是: the outage questions follow
    await chat.say('13:40');
    await chat.say('尚未恢复');
    await chat.say('150%').expectError('“150%”不是有效的百分比，请输入 0 到 100');
    await chat.say('95%').expectReply('输入省级行政区个数（1 到 34）');
  });

  it('the PBoC designation offers only what Art. 7(6) and 8(6) provide, after a visible 无', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 勒索病毒攻击');
    await chat.say('/incident set ransomwareHarm 是');
    let text = '';
    for (let i = 0; i < 20 && !text.includes('人民银行（总行'); i++) text = await chat.say('/incident skip');
    expect(text).toMatch(/人民银行（总行[^\n]*\n {2}1\. 无\n {2}2\. 特别重大\n {2}3\. 重大\n {2}\(点选或输入序号（1 为“无”）/);
    for (let i = 0; i < 20 && !text.includes('GB/T 20986-2023'); i++) text = await chat.say('/incident skip');
    expect(text).toContain('勒索恶意程序攻击属于恶意程序事件，建议选 1');
    await chat.say('1').expectReply('问题已问完');
  });
});

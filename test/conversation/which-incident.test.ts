// With several incidents open in one channel, a named incident is the incident; an unnamed recording command goes
// only to the incident this user chose themselves, else the bot asks which.
import { describe, expect, it } from 'vitest';
import { FakeChat } from '../fakes/chat.ts';

/** Two incidents in one channel, opened by alice: INC-20261201-01, then INC-20261201-02 (her current one). */
async function two(lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<FakeChat> {
  const chat = await FakeChat.start('2026-12-01T15:22:00+08:00', { lang });
  await chat.say(lang === 'en' ? '/incident new online banking login' : '/incident new 网上银行登录失败');
  await chat.say(lang === 'en' ? '/incident new mobile transfers' : '/incident new 手机银行转账失败');
  return chat;
}

const reportsOf = async (chat: FakeChat, id: string) => (await chat.bot.load(id))!.reports.map((r) => r.reportId);

describe('an incident id anywhere among the words selects it', () => {
  it('the report naming INC-…-01 after its kind is recorded on 01, not on the current 02', async () => {
    const chat = await two();
    const r = await chat.say('/incident report brief INC-20261201-01 via phone contact 张三').expectReply('已记录 R1');
    expect(r).not.toContain('作用于');
    expect(r).toContain('INC-20261201-01');
    expect(await reportsOf(chat, 'INC-20261201-01')).toEqual(['R1']);
    expect(await reportsOf(chat, 'INC-20261201-02')).toEqual([]);
  });

  it('at the end of the line too; an id inside text, reason or contact is content, not a selector', async () => {
    const chat = await two();
    await chat.say('/incident report brief via phone contact 张三 INC-20261201-01').expectReply('已记录 R1');
    expect(await reportsOf(chat, 'INC-20261201-02')).toEqual(['R1']); // the id was part of the contact's value
    await chat.say('/incident report brief via phone INC-20261201-01 text 同 INC-20261201-02 的处置').expectReply('已记录 R1');
    const one = (await chat.bot.load('INC-20261201-01'))!.reports[0]!;
    expect(one.summary).toBe('同 INC-20261201-02 的处置');
  });

  it('two ids, and an id that does not exist here, are refused naming them; nothing is recorded', async () => {
    const chat = await two();
    await chat.say('/incident report brief INC-20261201-01 via phone INC-20261201-02').expectError('命令中写了两个事件编号（INC-20261201-01, INC-20261201-02）');
    await chat.say('/incident report brief INC-20261201-07 via phone').expectError('找不到本频道的事件 INC-20261201-07');
    expect(await reportsOf(chat, 'INC-20261201-01')).toEqual([]);
    expect(await reportsOf(chat, 'INC-20261201-02')).toEqual([]);
  });

  it('in English', async () => {
    const chat = await two('en');
    await chat.say('/incident report brief INC-20261201-01 via phone contact Zhang').expectReply('R1');
    expect(await reportsOf(chat, 'INC-20261201-01')).toEqual(['R1']);
    await chat.say('/incident note INC-20261201-01 INC-20261201-02 x').expectError('The command names two incidents (INC-20261201-01, INC-20261201-02)');
    await chat.say('/incident note INC-20261201-09 x').expectError('No incident INC-20261201-09 in this channel');
  });
});

describe('several open and none named: the chosen incident, or the question which', () => {
  it('the incident this user opened goes first, and the reply says so on its first line', async () => {
    const chat = await two();
    const r = await chat.say('/incident report brief via phone contact 张三');
    expect(r.split('\n')[0]).toContain('（作用于 INC-20261201-02：这是您本人选定的事件');
    expect(await reportsOf(chat, 'INC-20261201-02')).toEqual(['R1']);
    // set right after new keeps flowing to the new incident
    await chat.say('/incident set 自然人 12万');
    expect((await chat.bot.load('INC-20261201-02'))!.values).toMatchObject({ 'networks.0.affectedNaturalPersons': 120000 });
  });

  it('another person who chose none is asked which, with the incidents as options; the answer records it there', async () => {
    const alice = await two();
    const bob = new FakeChat(alice.bot, alice.store, alice.clock, alice.conversation, 'console:bob');
    const replies = await bob.bot.handle({ kind: 'command', text: 'report brief via phone contact 张三', user: bob.user, conversation: bob.conversation });
    expect(replies).toHaveLength(1);
    const q = replies[0]!;
    expect(q.type).toBe('question');
    if (q.type !== 'question') return;
    expect(q.question.prompt).toBe('本频道有多个处置中的事件（INC-20261201-01, INC-20261201-02），您尚未选定其中一个：这条命令要记录到哪个事件？（未记录任何内容，选定后即记录。）');
    expect(q.question.options.map((o) => o.value)).toEqual(['INC-20261201-01', 'INC-20261201-02']);
    expect(await reportsOf(alice, 'INC-20261201-01')).toEqual([]);
    expect(await reportsOf(alice, 'INC-20261201-02')).toEqual([]);
    await bob.say('3').expectError('“3”不是可选的事件');
    await bob.say('1').expectReply('已记录 R1');
    expect(await reportsOf(alice, 'INC-20261201-01')).toEqual(['R1']);
    // choosing is naming: bob's next unnamed command goes there and says so
    const next = await bob.say('/incident note 值班经理已到场');
    expect(next.split('\n')[0]).toContain('（作用于 INC-20261201-01：这是您本人选定的事件');
  });

  it('a button answers it on the platforms; a new command leaves the question behind', async () => {
    const alice = await two();
    const bob = new FakeChat(alice.bot, alice.store, alice.clock, alice.conversation, 'console:bob');
    await bob.say('/incident milestone 核心系统已恢复').expectReply('要记录到哪个事件');
    await bob.click('which-incident', 'which-incident', 'INC-20261201-02').expectReply('已记录');
    expect((await alice.bot.load('INC-20261201-02'))!.milestones.map((m) => m.text)).toEqual(['核心系统已恢复']);
    expect((await alice.bot.load('INC-20261201-01'))!.milestones).toEqual([]);
    const carol = new FakeChat(alice.bot, alice.store, alice.clock, alice.conversation, 'console:carol');
    await carol.say('/incident resolve').expectReply('要记录到哪个事件');
    await carol.say('/incident list').expectReply('INC-20261201-01');
    await carol.say('2'); // now answers the channel's current question, not the abandoned choice
    expect((await alice.bot.load('INC-20261201-01'))!.resolvedAt).toBeNull();
    expect((await alice.bot.load('INC-20261201-02'))!.resolvedAt).toBeNull();
  });

  it('in English', async () => {
    const alice = await two('en');
    const bob = new FakeChat(alice.bot, alice.store, alice.clock, alice.conversation, 'console:bob');
    bob.quoted.push(...alice.quoted);
    await bob.say('/incident lang en');
    await bob.say('/incident resolve').expectReply('Several incidents are open here (INC-20261201-01, INC-20261201-02) and you have not chosen one: which incident is this command for?');
    await bob.say('INC-20261201-01').expectReply('handling ended');
    expect((await alice.bot.load('INC-20261201-01'))!.resolvedAt).not.toBeNull();
    expect((await alice.bot.load('INC-20261201-02'))!.resolvedAt).toBeNull();
  });
});

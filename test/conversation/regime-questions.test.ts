// The other regimes' facts in the conversation: asked only as the institution's profile makes them relevant, CAC's
// persons apart from PBoC's records, amounts in yuan read as typed, and each settable later with `set`.
import { describe, expect, it } from 'vitest';
import { loadIncident } from '../../src/incident/stored.ts';
import { parseYuan } from '../../src/conversation/parse-number.ts';
import type { RegimeProfile } from '../../src/regimes/port.ts';
import { FakeChat, botConfig } from '../fakes/chat.ts';

function config(profile?: RegimeProfile) {
  const c = botConfig();
  return profile ? { ...c, assess: { ...c.assess, profile } } : c;
}

async function leak(profile?: RegimeProfile): Promise<{ chat: FakeChat; asked: string }> {
  const chat = await FakeChat.start('2026-12-04T09:00:00+08:00', { config: config(profile) });
  await chat.say('/incident new 客户信息泄露');
  for (const line of ['occurredAt 08:40', 'network 核心银行系统', 'disrupted 否', 'data.coreData 否', 'data.importantData 否']) await chat.say(`/incident set ${line}`);
  const asked = await chat.say('/incident set data.personalInfoIncident 是');
  return { chat, asked };
}

async function state(chat: FakeChat) {
  const [id] = (await chat.store.listOpen('console:test')).map((m) => m.id);
  return (await loadIncident(chat.store, id!))!;
}

describe('the other regimes’ questions', () => {
  it('with a profile: records, then persons, as two questions; the loss in yuan; no CII or NFRA question that does not apply', async () => {
    const { chat, asked } = await leak({ regulators: [] });
    expect(asked).toContain('泄露的个人信息（含敏感个人信息）共多少条？');
    await chat.say('120万').expectReply('泄露的个人信息涉及多少人（按人计');
    await chat.say('120万');
    const s = await state(chat);
    expect(s.values['data.personalInfoRecords']).toBe(1_200_000);
    expect(s.values['cac.personalInfoPersons']).toBe(1_200_000);
    await chat.say('/incident set cac.directLossYuan 1,200万元');
    const rest: string[] = [];
    for (let i = 0; i < 10; i++) rest.push(await chat.say('/incident skip'));
    expect(rest.join('\n')).not.toMatch(/预计损失|关键信息基础设施|重要信息系统中断/);
    await chat.say('/incident set 预计损失 5000万'); // settable although not asked
    const after = await state(chat);
    expect(after.values['cac.directLossYuan']).toBe(12_000_000);
    expect(after.values['nfra.expectedLossYuan']).toBe(50_000_000);
  });

  it('without a profile the conversation is as before: no persons question after the records', async () => {
    const { chat } = await leak();
    const next = await chat.say('120万');
    expect(next).not.toContain('涉及多少人');
  });

  it('a CII operator regulated by NFRA with an outage is asked the CII outage and NFRA’s system outage', async () => {
    const chat = await FakeChat.start('2026-12-04T09:00:00+08:00', { config: config({ ciiOperator: true, regulators: ['nfra'] }) });
    await chat.say('/incident new 核心系统中断');
    const seen: string[] = [];
    for (const line of ['occurredAt 08:40', 'network 核心银行系统', 'disrupted 是', 'outage.start 08:40', 'outage.restored 否', 'rate 100', 'provinces 1', 'persons 0', 'orgs 0', 'data.coreData 否', 'data.importantData 否', 'pi 否', 'ransomware 否']) {
      seen.push(await chat.say(`/incident set ${line}`));
    }
    const flow: string[] = [];
    for (let i = 0; i < 12; i++) {
      const text = await chat.say('/incident skip');
      flow.push(text);
    }
    const all = [...seen, ...flow].join('\n');
    for (const q of ['直接经济损失多少元', '预计损失多少元', '关键信息基础设施整体中断运行了多久', '关键信息基础设施主要功能中断运行了多久', '重要信息系统中断分支机构或电子渠道业务多久']) expect(all).toContain(q);
  });

  it('reads amounts of money as typed', () => {
    expect(parseYuan('1200万元')).toEqual({ ok: true, value: 12_000_000 });
    expect(parseYuan('1,200万')).toEqual({ ok: true, value: 12_000_000 });
    expect(parseYuan('¥4,999,999')).toEqual({ ok: true, value: 4_999_999 });
    expect(parseYuan('1.2亿元')).toEqual({ ok: true, value: 120_000_000 });
    expect(parseYuan('5000000 RMB')).toEqual({ ok: true, value: 5_000_000 });
    expect(parseYuan('很多钱').ok).toBe(false);
  });
});

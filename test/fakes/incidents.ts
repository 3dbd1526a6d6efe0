// Incidents opened through the chat as a user opens them, for the conversation and ledger tests that start from one.
import type { BotConfig } from '../../src/conversation/types.ts';
import { FakeChat } from './chat.ts';

export interface Opening {
  /** The chat's clock at the start; default 15:22 on Tuesday 2026-12-01. */
  now?: string;
  /** Default 网上银行登录失败. */
  title?: string;
  /** As typed after `set occurredAt`; default 15:00. */
  occurredAt?: string;
  config?: BotConfig;
  drill?: boolean;
  /** A chat to open it in (a second incident there); default a new chat. */
  chat?: FakeChat;
}

/** A chat with an incident opened in it and its occurrence time set; in English first when `lang` is 'en'. */
export async function openIncident(lang: 'zh-CN' | 'en' = 'zh-CN', o: Opening = {}): Promise<FakeChat> {
  const chat = o.chat ?? await FakeChat.start(o.now ?? '2026-12-01T15:22:00+08:00', {
    lang, ...(o.config ? { config: o.config } : {}), ...(o.drill ? { drill: true } : {}),
  });
  await chat.say(`/incident new ${o.title ?? '网上银行登录失败'}`);
  await chat.say(`/incident set occurredAt ${o.occurredAt ?? '15:00'}`);
  return chat;
}

/** openIncident, graded 较大: online banking disrupted for 120,000 people. */
export async function openMajorIncident(lang: 'zh-CN' | 'en' = 'zh-CN', o: Opening = {}): Promise<FakeChat> {
  const chat = await openIncident(lang, o);
  await chat.say('/incident set network 网上银行');
  await chat.say('/incident set disrupted 是');
  await chat.say('/incident set 自然人 12万');
  return chat;
}

/** Handling ends at 10:00 on 2026-12-02 and the written post-incident report goes to 王五 on 2026-12-08. */
export async function resolveAndReportFinal(chat: FakeChat): Promise<FakeChat> {
  chat.clock.set('2026-12-02T10:00:00+08:00');
  await chat.say('/incident resolve');
  chat.clock.set('2026-12-08T10:00:00+08:00');
  await chat.say('/incident report final via written contact 王五');
  return chat;
}

/**
 * 核心系统中断 opened in `chat` and answered as a 重大 outage (2 provinces): core banking wholly down since 09:00,
 * not restored. Returns the reply to the last answer.
 */
export async function openCoreOutage(chat: FakeChat): Promise<string> {
  await chat.say('/incident new 核心系统中断');
  return chat.answers('09:00', '核心银行系统', '是', '09:00', '尚未恢复', '95%', '2');
}

/** A 较大 ransomware incident opened in `chat`, both its reports made by phone, its handling ended now. */
export async function openResolvedRansomware(chat: FakeChat): Promise<void> {
  await chat.say('/incident new 勒索病毒攻击');
  await chat.say('/incident set ransomwareHarm 是');
  await chat.say('/incident report brief via phone');
  await chat.say('/incident report incident via phone');
  await chat.say('/incident resolve');
}

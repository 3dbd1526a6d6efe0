// The contract's Feishu: the real Lark SDK and adapter (HTTP callbacks, encrypted and signed events) started with
// startChat(feishu) against the fake open API; both chats are groups where the bot is @-mentioned.
import { feishu } from '../../../adapters/feishu/index.ts';
import { startChat } from '../../../adapters/kit/chat.ts';
import { feishuMessageViolation } from '../../limits/feishu-card.ts';
import { FakeFeishuApi, type SentMessage } from '../../fakes/feishu-api.ts';
import { deliver, messageEvent } from '../../fakes/feishu-events.ts';
import { textOf } from '../feishu/harness.ts';
import { startOneServer } from '../../fakes/one-server.ts';
import type { ChatName, Person, PlatformDriver, RunningPlatform, Who } from '../contract.ts';

export const FEISHU = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'SECRETappsecret9f8e7d6c5b4a',
  encryptKey: 'SECRETencryptkey1a2b3c4d',
  token: 'SECRETverificationtoken5e6f',
};
const CHAT: Record<ChatName, string> = { a: 'oc_chat_a', b: 'oc_chat_b' };
const USER: Record<Person, string> = { alice: 'ou_alice', bob: 'ou_bob' };

/** Live Feishu markup: an <at> mention, an HTML-ish link, or a markdown link. */
const LIVE = /<at\b|<a\s|<link\b|\]\(\s*(?:https?|lark):/i;

/** Every string of a message a reader's client interprets as markup: a text message's text, a card's markdown (plain_text is shown as is). */
function rawStrings(m: SentMessage): string[] {
  if (m.msgType === 'text') return [String(m.content.text)];
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if ((o.tag === 'markdown' || o.tag === 'lark_md') && typeof o.content === 'string') out.push(o.content);
    Object.values(o).forEach(walk);
  };
  walk(m.content);
  return out;
}

let seq = 0;

export const feishuDriver: PlatformDriver = {
  name: 'feishu',
  conversation: (chat) => `feishu:${CHAT[chat]}`,
  acknowledges: true,
  remote: true,
  secrets: [FEISHU.appSecret, FEISHU.encryptKey, FEISHU.token],
  async start(d): Promise<RunningPlatform> {
    const api = await FakeFeishuApi.start(FEISHU.appId, FEISHU.appSecret);
    const env: Record<string, string> = {
      FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_ENCRYPT_KEY: FEISHU.encryptKey,
      FEISHU_VERIFICATION_TOKEN: FEISHU.token, FEISHU_DOMAIN: api.url, FEISHU_MODE: 'http', LOG_LEVEL: 'debug',
      ...(d.allow ? { FEISHU_ALLOWED_CHATS: d.allow.chats.map((c) => CHAT[c]).join(','), FEISHU_ALLOWED_USERS: d.allow.users.map((u) => USER[u]).join(',') } : {}),
    };
    const one = await startOneServer(d.log);
    const app = await startChat(feishu, { env, bot: d.bot, store: d.store, config: d.config, now: d.now, log: d.log, http: one.routes, retry: { baseMs: 5 } });
    const chatOf = new Map<string, string>(); // message id -> chat id, for the user's messages and the bot's
    const full = (w: Partial<Who> = {}): Who => ({ chat: 'a', user: 'alice', ...w });
    /** Each bot message with the chat it is in (or the person it was sent to directly). */
    const placed = () => api.sent.map((m) => {
      const where = m.op === 'create' ? (m.receiveIdType === 'open_id' ? `user:${m.target}` : m.target) : chatOf.get(m.target) ?? '?';
      if (m.op !== 'patch') chatOf.set(m.messageId, where);
      return { m, where };
    });
    return {
      async send(text, who) {
        const w = full(who);
        const messageId = `om_user_${++seq}`;
        chatOf.set(messageId, CHAT[w.chat]);
        const event = messageEvent({
          text: `@_user_1 ${text}`, chatId: CHAT[w.chat], chatType: 'group', openId: USER[w.user], token: FEISHU.token, messageId,
          mentions: [{ key: '@_user_1', openId: api.botOpenId, name: '事件机器人' }],
        });
        const r = await deliver(`${one.routes.base()}/feishu/events`, event, { encryptKey: FEISHU.encryptKey });
        if (r.status !== 200) throw new Error(`Feishu got HTTP ${r.status}`);
      },
      settle: () => app.idle(),
      said(who) {
        const w = full(who);
        return placed().filter((x) => x.where === CHAT[w.chat] || x.where === `user:${USER[w.user]}`).map((x) => textOf(x.m));
      },
      overLimits() {
        return [
          ...api.limitViolations.map((v) => `${v.op}: ${v.violation}`),
          ...api.sent.filter((m) => m.op !== 'patch').map((m) => feishuMessageViolation(m.msgType, JSON.stringify(m.content))).filter((v): v is string => v !== null),
        ];
      },
      liveMarkup: () => api.sent.flatMap(rawStrings).filter((s) => LIVE.test(s)),
      payloads: () => [...api.sent],
      async stop() {
        await app.stop();
        await one.server.stop();
        await api.close();
      },
    };
  },
};

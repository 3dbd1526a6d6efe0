// The contract's DingTalk: the real dingtalk-stream SDK and adapter started by the kit (startChat) against the fake
// DingTalk (Stream gateway, CALLBACK frames acknowledged by the client, OpenAPI sends); both chats are groups.
import { TOPIC_ROBOT } from 'dingtalk-stream';
import { dingtalk } from '../../../adapters/dingtalk/index.ts';
import { startChat } from '../../../adapters/kit/chat.ts';
import { FakeDingtalk, type SentMessage } from '../../fakes/dingtalk-api.ts';
import { robotMessage } from '../../fakes/dingtalk-events.ts';
import { textOf } from '../dingtalk/harness.ts';
import type { ChatName, Person, PlatformDriver, RunningPlatform, Who } from '../contract.ts';

export const DINGTALK = { clientId: 'dingfakeclient0001', clientSecret: 'SECRETdingtalkclientsecret0123456789' };
const CHAT: Record<ChatName, string> = { a: 'cidChatA==', b: 'cidChatB==' };
const USER: Record<Person, string> = { alice: 'staff_alice', bob: 'staff_bob' };
const TEXT_MAX = 5000; // sampleText content, characters

/** Live DingTalk markup: a link or tag in a markdown message, or anyone @-mentioned by the robot. */
function live(m: SentMessage): string[] {
  const out: string[] = [];
  if (m.atUserIds && Object.keys(m.atUserIds).length > 0) out.push(`atUserIds: ${JSON.stringify(m.atUserIds)}`);
  const c = m.content as { text?: unknown; isAtAll?: unknown; atUserIds?: unknown };
  if (c.isAtAll === true || c.isAtAll === 'true') out.push('isAtAll');
  if (m.msgKey === 'sampleMarkdown' && typeof c.text === 'string' && /\]\(\s*https?:|<a\s|<font|@all/i.test(c.text)) out.push(c.text);
  return out;
}

export const dingtalkDriver: PlatformDriver = {
  name: 'dingtalk',
  conversation: (chat) => `dingtalk:group:${CHAT[chat]}`,
  acknowledges: true,
  remote: true,
  secrets: [DINGTALK.clientSecret, 'SECRETsessionwebhook0001'],
  async start(d): Promise<RunningPlatform> {
    const api = await FakeDingtalk.start(DINGTALK.clientId, DINGTALK.clientSecret);
    const env: Record<string, string> = {
      DINGTALK_CLIENT_ID: DINGTALK.clientId, DINGTALK_CLIENT_SECRET: DINGTALK.clientSecret, DINGTALK_API_URL: api.url, DINGTALK_OAPI_URL: api.url, LOG_LEVEL: 'debug',
      ...(d.allow ? { DINGTALK_ALLOWED_CHATS: d.allow.chats.map((c) => CHAT[c]).join(','), DINGTALK_ALLOWED_USERS: d.allow.users.map((u) => USER[u]).join(',') } : {}),
    };
    const app = await startChat(dingtalk, { env, bot: d.bot, store: d.store, config: d.config, now: d.now, log: d.log, retry: { baseMs: 5 } });
    const full = (w: Partial<Who> = {}): Who => ({ chat: 'a', user: 'alice', ...w });
    return {
      async send(text, who) {
        const w = full(who);
        const ack = await api.pushCallback(TOPIC_ROBOT, robotMessage({ text, staffId: USER[w.user], conversationType: '2', conversationId: CHAT[w.chat] }));
        if (ack.code !== 200) throw new Error(`DingTalk got no ack (${ack.code})`);
      },
      settle: () => app.idle(),
      said(who) {
        const w = full(who);
        return api.sent.filter((m) => m.target === CHAT[w.chat] || m.target === USER[w.user]).map(textOf);
      },
      overLimits() {
        // The fake refuses (400) a text over the limit, as DingTalk does: such a reply is missing from said().
        return api.sent.filter((m) => m.msgKey === 'sampleText' && String(m.content.content ?? '').length > TEXT_MAX).map((m) => `sampleText of ${String(m.content.content).length} characters`);
      },
      liveMarkup: () => api.sent.flatMap(live),
      payloads: () => [...api.sent],
      async stop() {
        await app.stop();
        await api.close();
      },
    };
  },
};

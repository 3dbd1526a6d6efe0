// The contract's WeCom: the real aibot SDK and the kit started with startChat(wecom) against the fake long-connection
// endpoint; both chats are groups where the bot is @-mentioned. WeCom does not acknowledge a callback: taking it off
// the connection is the only answer it gets.
import { startChat } from '../../../adapters/kit/chat.ts';
import { wecom } from '../../../adapters/wecom/index.ts';
import { FakeWecomServer, type Outgoing } from '../../fakes/wecom-server.ts';
import { readable } from '../wecom/harness.ts';
import type { ChatName, Person, PlatformDriver, RunningPlatform, Who } from '../contract.ts';

export const WECOM = { botId: 'aibAbCdEf0123456789', secret: 'SECRETwecombotsecret7f6e5d4c3b2a' };
const CHAT: Record<ChatName, string> = { a: 'wrchat_a', b: 'wrchat_b' };
const USER: Record<Person, string> = { alice: 'alice', bob: 'bob' };
const MARKDOWN_MAX_BYTES = 20_480; // a stream reply's or markdown message's content

/** Live WeCom markup: a <@userid> mention, a link, a font or HTML tag. */
const LIVE = /<@|<at\b|<font|<a\s|\]\(\s*https?:/i;

/** The strings of a message WeCom renders as markdown, and its mention lists. */
function live(m: Outgoing): string[] {
  const out = m.markdown && LIVE.test(m.markdown) ? [m.markdown] : [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x)) {
      if (/mentioned_(list|mobile_list)/.test(k) && Array.isArray(v) && v.some((u) => /^@?all$/i.test(String(u)) || u === 'ceo')) out.push(`${k}: ${JSON.stringify(v)}`);
      walk(v);
    }
  };
  walk(m.body);
  return out;
}

export const wecomDriver: PlatformDriver = {
  name: 'wecom',
  conversation: (chat) => `wecom:${CHAT[chat]}`,
  acknowledges: false,
  remote: true,
  secrets: [WECOM.secret],
  async start(d): Promise<RunningPlatform> {
    const server = await FakeWecomServer.start(WECOM.botId, WECOM.secret);
    const env: Record<string, string> = {
      WECOM_BOT_ID: WECOM.botId, WECOM_BOT_SECRET: WECOM.secret, WECOM_WS_URL: server.url, LOG_LEVEL: 'debug',
      ...(d.allow ? { WECOM_ALLOWED_CHATS: d.allow.chats.map((c) => CHAT[c]).join(','), WECOM_ALLOWED_USERS: d.allow.users.map((u) => USER[u]).join(',') } : {}),
    };
    const app = await startChat(wecom, { env, bot: d.bot, store: d.store, config: d.config, now: d.now, log: d.log, retry: { baseMs: 5 }, connection: { reconnectMs: 10 } });
    await server.subscribed();
    const full = (w: Partial<Who> = {}): Who => ({ chat: 'a', user: 'alice', ...w });
    return {
      async send(text, who) {
        const w = full(who);
        server.message({ text: `@事件机器人\u2005${text}`, userId: USER[w.user], group: true, chatId: CHAT[w.chat] });
        await server.barrier(); // the client has read it
      },
      async settle() {
        await server.barrier();
        await app.idle();
      },
      said(who) {
        const w = full(who);
        return server.sent.filter((m) => m.chatId === CHAT[w.chat] || m.chatId === USER[w.user])
          .map((m) => [readable(m.markdown), m.card ? JSON.stringify(m.card) : ''].filter(Boolean).join('\n'))
          .filter((t) => t !== '');
      },
      overLimits() {
        return server.sent.filter((m) => m.markdown !== null && Buffer.byteLength(m.markdown) > MARKDOWN_MAX_BYTES)
          .map((m) => `${m.op} ${m.msgtype}: ${Buffer.byteLength(m.markdown!)} bytes of markdown (at most ${MARKDOWN_MAX_BYTES})`);
      },
      liveMarkup: () => server.sent.flatMap(live),
      payloads: () => [...server.sent],
      async stop() {
        await app.stop();
        await server.close();
      },
    };
  },
};

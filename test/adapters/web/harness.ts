// The bot and the web page over one real SQLite file, one FixedClock, a real HTTP server on an ephemeral port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createWebApp, type WebDeps } from '../../../adapters/web/app.ts';
import { createLinkIssuer } from '../../../adapters/web/auth.ts';
import { createBot } from '../../../src/bot.ts';
import type { BotConfig } from '../../../src/conversation/types.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FakeChat, FixedClock } from '../../fakes/chat.ts';

export const SECRET = 'test-web-secret-0123456789abcdef0123456789';
export const LINK_TTL_MS = 10 * 60_000;

export interface WebHarness {
  clock: FixedClock;
  store: Store;
  config: BotConfig;
  chat: FakeChat; // the real bot, as a user in console:test
  drillChat: FakeChat; // the same store and channel, a drill bot (its incidents are marked drill)
  url: string;
  close(): Promise<void>;
}

export async function startWebHarness(nowIso: string, extra: Partial<WebDeps> = {}, opts: { officers?: string[] } = {}): Promise<WebHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-web-'));
  const store = createSqliteStore(join(dir, 'web.db'));
  const clock = new FixedClock(parseIso(nowIso));
  const config = botConfig();
  if (opts.officers) config.institution.complianceOfficers = opts.officers;
  const app = createWebApp({ store, config, now: clock.now, secret: SECRET, sessionTtlMs: 8 * 3600_000, ...extra });
  const server: ServerType = await new Promise((resolve) => {
    const srv = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(srv));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webLink = createLinkIssuer({ secret: SECRET, baseUrl: url, linkTtlMs: LINK_TTL_MS, now: clock.now });
  const bot = createBot({ store, config, now: clock.now, webLink, webLinkTtlMs: LINK_TTL_MS });
  const drillBot = createBot({ store, config, now: clock.now, drill: true, webLink, webLinkTtlMs: LINK_TTL_MS });
  return {
    clock, store, config, url,
    chat: new FakeChat(bot, store, clock),
    drillChat: new FakeChat(drillBot, store, clock, 'console:test', 'console:bob'), // the same channel: a signed-in person there sees its drills too
    async close() {
      await new Promise<void>((resolve) => { server.close(() => resolve()); if ('closeAllConnections' in server) server.closeAllConnections(); });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The sign-in link from the bot's private reply to `/incident web`. */
export async function linkFrom(chat: FakeChat): Promise<string> {
  const replies = await chat.say('/incident web').replies;
  const r = replies.find((x) => x.type === 'text' && x.private === true);
  if (!r || r.type !== 'text') throw new Error(`no private reply: ${JSON.stringify(replies)}`);
  const m = /(http:\/\/\S+\/login\?t=\S+)/.exec(r.text);
  if (!m) throw new Error(`no link in: ${r.text}`);
  return m[1]!;
}

/** The walkthrough's incident (docs/operators/walkthrough.md): online banking down in one province, 120,000 people affected: 较大. */
export const WALKTHROUGH = ['40分钟前', '网上银行', '是', '1', '尚未恢复', '85%', '1', '12万'];

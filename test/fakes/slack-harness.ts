import { startChat, type StartedChat } from '../../adapters/kit/chat.ts';
import { slack as slackPlatform } from '../../adapters/slack/index.ts';
import { EVENTS_PATH } from '../../adapters/slack/transport/index.ts';
import { createBot, type Bot, type BotDeps } from '../../src/bot.ts';
import type { BotConfig } from '../../src/conversation/types.ts';
import { createTicker, type Ticker } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig, FixedClock } from './chat.ts';
import { FakeSlackApi } from './slack-api.ts';
import { httpTransport, SlackDriver, socketTransport } from './slack-driver.ts';
import { startOneServer, type OneServer } from './one-server.ts';

// Fake credentials in Slack's formats; tests assert they never reach a log line.
export const BOT_TOKEN = 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001';
export const APP_TOKEN = 'xapp-1-A0000000001-3000000003-fakeapptokenvalue00000000000000000000000000000000000000000000';
export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

export interface Harness {
  api: FakeSlackApi;
  slack: StartedChat;
  slackDriver: SlackDriver; // alice (U1) in #incident-room (C1) of T1
  clock: FixedClock;
  store: Store;
  bot: Bot;
  config: BotConfig;
  ticker: Ticker;
  logs: string[];
  eventsUrl: string | null;
  /** HTTP mode: the one HTTP server Slack's route is on. */
  server: OneServer | null;
  stop(): Promise<void>;
}

/** The real Bolt app (HTTP on the one HTTP server on a random port, or Socket Mode) against the fake Slack, over the real bot and SQLite. */
/** apiClock: the fake Slack's message ts follow the test's clock (for history windows), as real ones follow real time. */
export async function startHarness(opts: { mode: 'http' | 'socket'; nowIso: string; env?: Record<string, string>; retry?: { retries: number; baseMs?: number; maxWaitMs?: number }; botDeps?: Partial<BotDeps>; apiClock?: boolean; store?: Store }): Promise<Harness> {
  const clock = new FixedClock(parseIso(opts.nowIso));
  const api = await FakeSlackApi.start({ bot: BOT_TOKEN, app: APP_TOKEN }, opts.apiClock ? { now: clock.now } : {});
  const store = opts.store ?? createSqliteStore(':memory:');
  const config = botConfig();
  const bot = createBot({ store, config, now: clock.now, ...opts.botDeps });
  const logs: string[] = [];
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: api.apiUrl,
    LOG_LEVEL: 'debug',
    ...(opts.mode === 'http' ? { SLACK_SIGNING_SECRET: SIGNING_SECRET } : { SLACK_APP_TOKEN: APP_TOKEN }),
    ...opts.env,
  };
  const server = opts.mode === 'http' && !env.SLACK_APP_TOKEN ? await startOneServer((m) => logs.push(m)) : null;
  const slack = await startChat(slackPlatform, {
    env, bot, store, config, now: clock.now, log: (m) => logs.push(m), retry: opts.retry ?? { retries: 0 }, transport: { socketPingMs: 200 },
    ...(server ? { http: server.routes } : {}),
  });
  const ticker = createTicker({ store, config, sender: slack.sender, now: clock.now });
  const eventsUrl = server ? `${server.routes.base()}${EVENTS_PATH}` : null;
  const transport = eventsUrl ? httpTransport(eventsUrl, SIGNING_SECRET) : socketTransport(api);
  const slackDriver = new SlackDriver(api, transport, () => slack.idle(), undefined, slackPlatform.settings.read(env).command);
  return {
    api, slack, slackDriver, clock, store, bot, config, ticker, logs, eventsUrl, server,
    async stop() {
      await slack.stop();
      await server?.server.stop();
      await api.close();
      await store.close();
    },
  };
}

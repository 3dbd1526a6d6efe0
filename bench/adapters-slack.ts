// Slack slash command latency through the real Bolt app and the whole bot, on SQLite and on Redis: from sending the
// signed `/incident <command>` to its HTTP 200 (the ack), and to the fake Slack Web API receiving the bot's first post
// (chat.postMessage in the channel, or the command's response_url). Baseline, measured in the same run: a bare Bolt
// App, same receiver (HTTP), same signing secret, whose /incident listener only acks. Commands: `status` on an
// existing, graded incident (a full card in the channel), and `help` (ephemeral, through response_url).
// Targets: ack p99 within 1.3x the bare app's; the reply posted within 50 ms p99 on loopback.
// Run alone: node --import tsx bench/adapters-slack.ts (Redis at REDIS_URL or 127.0.0.1:6379; its rows are skipped
// when none answers; its keys live under a unique prefix, deleted at the end).
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger } from '@slack/bolt';
import { startChat, type StartedChat } from '../adapters/kit/chat.ts';
import { slack as slackDeclaration } from '../adapters/slack/index.ts';
import { EVENTS_PATH } from '../adapters/slack/transport/index.ts';
import { createBot } from '../src/bot.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import type { Store } from '../src/store/types.ts';
import { FakeSlackApi, type ApiCall } from '../test/fakes/slack-api.ts';
import { encode, sign, SlackDriver } from '../test/fakes/slack-driver.ts';
import { startOneServer } from '../test/fakes/one-server.ts';
import {
  Arrivals, BENCH_NOW, drainOp, keptLog, measure, MIX, openGradedIncident, platformBench, platformBenchModule, rows, throughAdapter,
  timedPost, TIMED_ROUNDS, WARMUP_ROUNDS, type SendResult, type Target,
} from './adapters.ts';
import type { BenchResult } from './run.ts';

// Fake credentials in Slack's formats (as test/fakes/slack-harness.ts).
const BOT_TOKEN = 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const ROLE = 'slack-platform';

// ---- main thread: the apps under test ----

const silent: Logger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
  setLevel: () => {}, getLevel: () => LogLevel.INFO, setName: () => {},
};

/** The baseline: a bare Bolt App on the same HTTP receiver and signing secret, whose /incident only acks. */
async function startBare(apiUrl: string): Promise<{ app: App; url: string }> {
  const app = new App({
    token: BOT_TOKEN, signingSecret: SIGNING_SECRET, logger: silent, logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 2 } }, convoStore: false, deferInitialization: true,
  });
  await app.init();
  app.command('/incident', async ({ ack }) => {
    await ack();
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

/** The real adapter (the kit's startChat, HTTP mode on the one HTTP server, as deployed) over the whole bot on `store`. */
async function startReal(apiUrl: string, store: Store, config: BotConfig, logs: string[]): Promise<{ slack: StartedChat; url: string }> {
  const now = () => BENCH_NOW;
  const log = keptLog(logs);
  const bot = createBot({ store, config, now, log });
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, LOG_LEVEL: 'info' };
  const one = await startOneServer(log);
  const slack = await startChat(slackDeclaration, { env, bot, store, config, now, log, http: one.routes });
  const stop = slack.stop.bind(slack);
  return { slack: { ...slack, stop: async () => { await stop(); await one.server.stop(); } }, url: `${one.base}${EVENTS_PATH}` };
}

export function benchSlack(): Promise<BenchResult> {
  return platformBench<{ apiUrl: string }>(import.meta.url, ROLE, 'slack', async ({ platform, started, configurations, config, logs, stops }) => {
    const bare = await startBare(started.apiUrl);
    stops.push(async () => {
      await bare.app.stop();
    });
    const targets: Target[] = [{
      label: 'bare Bolt App, ack only (baseline)',
      baseline: true,
      async request(command) {
        const r = await platform.call<SendResult>('send', { url: bare.url, text: command, expectReply: false });
        if (r.status !== 200) throw new Error(`slack bench: bare Bolt answered ${r.status}`);
        return { command, ack: r.ack, reply: null, done: null, posts: 0 };
      },
    }];
    for (const [kind, store] of configurations) {
      const { slack, url } = await startReal(started.apiUrl, store, config, logs);
      stops.push(() => slack.stop());
      const send = throughAdapter(platform, slack, `slack bench (${kind})`, (command) => ({ url, text: command }));
      const check = await openGradedIncident(send);
      if (!check.what.includes('chat.postMessage')) throw new Error(`slack bench (${kind}): status posted ${check.what.join(', ') || 'nothing'} (expected a card in the channel); log: ${logs.join(' | ')}`);
      targets.push({ label: `adapter + bot, ${kind}`, baseline: false, request: send });
    }
    return {
      name:
        `slack: /incident through Bolt (HTTP receiver) on loopback, ${TIMED_ROUNDS} sequential requests per configuration after ${WARMUP_ROUNDS} warm-up, ` +
        `configurations interleaved; commands in turn: ${MIX.join(', ')}; reply = first post at the fake Web API (chat.postMessage or response_url); ` +
        'client and fake Slack in a worker thread',
      rows: rows(await measure(targets)),
    };
  }, /fail|error/i);
}

// ---- worker thread: Slack ----

interface SendArgs { url: string; text: string; expectReply: boolean }

function slackPlatform() {
  let api: FakeSlackApi | null = null;
  let driver: SlackDriver | null = null;
  const arrivals = new Arrivals();
  return {
    async start() {
      api = await FakeSlackApi.start({ bot: BOT_TOKEN });
      // Hook: every Web API call and response_url post the bot makes (auth.test aside), timed as the fake reads it.
      const calls = api.calls;
      const push = calls.push.bind(calls);
      calls.push = (...items: ApiCall[]) => {
        for (const c of items) if (c.method !== 'auth.test') arrivals.record(c.method);
        return push(...items);
      };
      driver = new SlackDriver(api, async () => ({}), async () => {});
      return { apiUrl: api.apiUrl };
    },
    async send(args: unknown): Promise<SendResult> {
      const { url, text, expectReply } = args as SendArgs;
      // A fresh trigger_id (commands are handled once per trigger_id) and response_url each time.
      const { body, contentType } = encode('command', driver!.slashPayload(text));
      const ts = Math.floor(Date.now() / 1000);
      const headers = { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(SIGNING_SECRET, ts, body) };
      return timedPost(arrivals, url, headers, body, expectReply);
    },
    drain: drainOp(arrivals),
    async close() {
      await api?.close();
    },
  };
}

await platformBenchModule(import.meta.url, ROLE, slackPlatform, benchSlack);

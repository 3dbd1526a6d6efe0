// DingTalk latency through the real adapter (Stream mode: the dingtalk-stream SDK's WebSocket) and the whole bot, on
// SQLite and on Redis: from the fake server writing a CALLBACK frame (topic /v1.0/im/bot/messages/get) carrying
// `/incident <command>` to the client's ack frame arriving (the ack), and to the fake OpenAPI receiving the bot's first
// robot send (the reply). Baseline, measured in the same run: a bare DWClient from the SDK whose robot listener does
// nothing but ack (socketCallBackResponse). Each configuration has its own fake DingTalk (gateway, stream, OpenAPI),
// all in one worker thread that takes every timestamp itself.
// Targets: ack p99 within 1.3x the bare client's; the reply posted within 50 ms p99 on loopback.
// Run alone: node --import tsx bench/adapters-dingtalk.ts (Redis at REDIS_URL or 127.0.0.1:6379; its rows are skipped
// when none answers; its keys live under a unique prefix, deleted at the end).
import axios from 'axios';
import { DWClient, GATEWAY_URL, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { dingtalk } from '../adapters/dingtalk/index.ts';
import { startChat, type StartedChat } from '../adapters/kit/chat.ts';
import { createBot } from '../src/bot.ts';
import type { Store } from '../src/store/types.ts';
import { FakeDingtalk, type ApiCall } from '../test/fakes/dingtalk-api.ts';
import { robotMessage } from '../test/fakes/dingtalk-events.ts';
import {
  Arrivals, BENCH_NOW, benchConfig, keptLog, measure, MIX, openGradedIncident, platformBench, platformBenchModule,
  REPLY_TIMEOUT_MS, rows, throughAdapter, TIMED_ROUNDS, WARMUP_ROUNDS, type DrainResult, type SendResult, type Target,
} from './adapters.ts';
import type { BenchResult } from './run.ts';

// Fake credentials (as CREDS in test/adapters/dingtalk/harness.ts, which imports vitest).
const CREDS = { clientId: 'dingfakeclient0001', clientSecret: 'SECRETdingtalkclientsecret0123456789' };
const ROLE = 'dingtalk-platform';
const FAKES = 3; // bare SDK client, adapter on SQLite, adapter on Redis

// ---- main thread: the apps under test ----

/** The baseline: the SDK's own client, connected through fake `url`, acking each robot message and doing nothing else. */
async function startBare(url: string): Promise<() => void> {
  const id = axios.interceptors.request.use((cfg) => {
    if (cfg.url === GATEWAY_URL) cfg.url = `${url}/v1.0/gateway/connections/open`;
    return cfg;
  });
  const client = new DWClient({ clientId: CREDS.clientId, clientSecret: CREDS.clientSecret });
  client.config.subscriptions = [];
  client.registerCallbackListener(TOPIC_ROBOT, (m: DWClientDownStream) => client.socketCallBackResponse(m.headers.messageId, { status: 'SUCCESS' }));
  try {
    await client.getEndpoint();
    await client._connect();
  } finally {
    axios.interceptors.request.eject(id);
  }
  return () => client.disconnect();
}

async function startReal(url: string, store: Store, logs: string[]): Promise<StartedChat> {
  const now = () => BENCH_NOW;
  const log = keptLog(logs);
  const config = benchConfig();
  const bot = createBot({ store, config, now, log });
  const env = { DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_CLIENT_SECRET: CREDS.clientSecret, DINGTALK_API_URL: url, DINGTALK_OAPI_URL: url, LOG_LEVEL: 'info' };
  return startChat(dingtalk, { env, bot, store, config, now, log });
}

export function benchDingtalk(): Promise<BenchResult> {
  return platformBench<{ urls: string[] }>(import.meta.url, ROLE, 'dingtalk', async ({ platform, started, configurations, logs, stops }) => {
    const stopBare = await startBare(started.urls[0]!);
    stops.push(async () => stopBare());
    const targets: Target[] = [{
      label: 'bare dingtalk-stream DWClient that only acks (baseline)',
      baseline: true,
      async request(command) {
        const r = await platform.call<SendResult>('send', { fake: 0, text: `/incident ${command}`, expectReply: false });
        return { command, ack: r.ack, reply: null, done: null, posts: 0 };
      },
    }];
    // Fake 0 is the bare client's; fake 1 + i serves configuration i.
    for (const [i, [kind, store]] of configurations.entries()) {
      const fake = 1 + i;
      const app = await startReal(started.urls[fake]!, store, logs);
      stops.push(() => app.stop());
      const send = throughAdapter(platform, app, `dingtalk bench (${kind})`, (command) => ({ fake, text: `/incident ${command}` }));
      const check = await openGradedIncident(send);
      if (check.posts < 1) throw new Error(`dingtalk bench (${kind}): status made no send; log: ${logs.join(' | ')}`);
      targets.push({ label: `adapter + bot, ${kind}`, baseline: false, request: send });
    }
    return {
      name:
        `dingtalk: robot message CALLBACK frames over the Stream WebSocket on loopback, ${TIMED_ROUNDS} sequential messages per configuration after ` +
        `${WARMUP_ROUNDS} warm-up, configurations interleaved; commands in turn: ${MIX.join(', ')}; ack = the client's ack frame back at the fake; ` +
        'reply = first robot send at the fake OpenAPI (groupMessages/send); fakes in a worker thread',
      rows: rows(await measure(targets)),
    };
  });
}

// ---- worker thread: DingTalk ----

interface SendArgs { fake: number; text: string; expectReply: boolean }

function dingtalkPlatform() {
  const fakes: FakeDingtalk[] = [];
  const arrivals: Arrivals[] = [];
  return {
    async start() {
      for (let i = 0; i < FAKES; i++) {
        const api = await FakeDingtalk.start(CREDS.clientId, CREDS.clientSecret);
        const a = new Arrivals();
        // Hook: every robot send and card call, timed as the fake reads it.
        const push = api.calls.push.bind(api.calls);
        api.calls.push = (...items: ApiCall[]) => {
          for (const c of items) if (/^\/v1\.0\/(robot|card)\//.test(c.path)) a.record(`${c.method} ${c.path}`);
          return push(...items);
        };
        fakes.push(api);
        arrivals.push(a);
      }
      return { urls: fakes.map((f) => f.url) };
    },
    async send(args: unknown): Promise<SendResult> {
      const { fake, text, expectReply } = args as SendArgs;
      const api = fakes[fake]!;
      const a = arrivals[fake]!;
      const mark = a.mark();
      const t0 = performance.now();
      const ackFrame = await api.pushCallback(TOPIC_ROBOT, robotMessage({ text }));
      const ack = performance.now() - t0;
      const reply = expectReply ? (await a.first(mark, REPLY_TIMEOUT_MS)) - t0 : null;
      return { status: ackFrame.code, ack, reply, mark, t0 };
    },
    async drain(args: unknown): Promise<DrainResult> {
      const { fake, mark, t0 } = args as { fake: number; mark: number; t0: number };
      return arrivals[fake]!.drain(mark, t0);
    },
    async close() {
      for (const f of fakes) await f.close();
    },
  };
}

await platformBenchModule(import.meta.url, ROLE, dingtalkPlatform, benchDingtalk);

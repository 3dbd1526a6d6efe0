// Feishu event latency through the real adapter (HTTP callbacks, the SDK's EventDispatcher) and the whole bot, on
// SQLite and on Redis: from sending an encrypted, signed im.message.receive_v1 carrying `/incident <command>` to its
// HTTP 200 (the ack), and to the fake open API receiving the bot's first message (im.message.reply, or create).
// Baseline, measured in the same run: a bare node:http server that reads the body, runs the same signature check,
// decryption and token check as the adapter (openRequest), and answers 200 {}. Commands: `status` on an existing,
// graded incident (a full card) and `help` (a card too).
// Targets: ack p99 within 1.3x the bare server's; the reply posted within 50 ms p99 on loopback.
// Run alone: node --import tsx bench/adapters-feishu.ts (Redis at REDIS_URL or 127.0.0.1:6379; its rows are skipped
// when none answers; its keys live under a unique prefix, deleted at the end).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { feishu } from '../adapters/feishu/index.ts';
import { startChat, type StartedChat } from '../adapters/kit/chat.ts';
import { openRequest } from '../adapters/feishu/transport/callbacks.ts';
import { createBot } from '../src/bot.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import type { Store } from '../src/store/types.ts';
import { FakeFeishuApi, type ApiCall } from '../test/fakes/feishu-api.ts';
import { encryptEvent, messageEvent, signEvent } from '../test/fakes/feishu-events.ts';
import { startOneServer } from '../test/fakes/one-server.ts';
import {
  Arrivals, BENCH_NOW, drainOp, keptLog, measure, MIX, openGradedIncident, platformBench, platformBenchModule, rows, throughAdapter,
  timedPost, TIMED_ROUNDS, WARMUP_ROUNDS, type SendResult, type Target,
} from './adapters.ts';
import type { BenchResult } from './run.ts';

// Fake credentials (as CREDS in test/adapters/feishu/harness.ts, which imports vitest).
const CREDS = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'SECRETappsecret9f8e7d6c5b4a',
  encryptKey: 'SECRETencryptkey1a2b3c4d',
  token: 'SECRETverificationtoken5e6f',
};
const ROLE = 'feishu-platform';
const CHAT = 'oc_incident';

// ---- main thread: the apps under test ----

/** The baseline: node:http, the adapter's own request check (signature, decryption, token), then 200 {}. */
async function startBare(): Promise<{ url: string; stop(): Promise<void> }> {
  const keys = { encryptKey: CREDS.encryptKey, verificationToken: CREDS.token };
  const readBody = (req: IncomingMessage) => new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const v = openRequest(raw, req.headers, keys);
      const json = JSON.stringify({});
      res.writeHead(v.ok ? 200 : v.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feishu/events`,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** The real adapter (startChat(feishu), HTTP callbacks on the one HTTP server, encrypt key and verification token set, as deployed) over the whole bot on `store`. */
async function startReal(apiUrl: string, store: Store, config: BotConfig, logs: string[]): Promise<{ app: StartedChat; url: string }> {
  const now = () => BENCH_NOW;
  const log = keptLog(logs);
  const bot = createBot({ store, config, now, log });
  const env = {
    FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
    FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: apiUrl, FEISHU_MODE: 'http', LOG_LEVEL: 'info',
  };
  const one = await startOneServer(log);
  const app = await startChat(feishu, { env, bot, store, config, now, log, http: one.routes });
  const stop = app.stop.bind(app);
  return { app: { ...app, stop: async () => { await stop(); await one.server.stop(); } }, url: `${one.routes.base()}/feishu/events` };
}

export function benchFeishu(): Promise<BenchResult> {
  return platformBench<{ apiUrl: string }>(import.meta.url, ROLE, 'feishu', async ({ platform, started, configurations, config, logs, stops }) => {
    const bare = await startBare();
    stops.push(bare.stop);
    const targets: Target[] = [{
      label: 'bare node:http + openRequest, 200 {} (baseline)',
      baseline: true,
      async request(command) {
        const r = await platform.call<SendResult>('send', { url: bare.url, text: `/incident ${command}`, expectReply: false });
        if (r.status !== 200) throw new Error(`feishu bench: the bare server answered ${r.status}`);
        return { command, ack: r.ack, reply: null, done: null, posts: 0 };
      },
    }];
    for (const [kind, store] of configurations) {
      const { app, url } = await startReal(started.apiUrl, store, config, logs);
      stops.push(() => app.stop());
      const send = throughAdapter(platform, app, `feishu bench (${kind})`, (command) => ({ url, text: `/incident ${command}` }));
      const check = await openGradedIncident(send);
      if (check.posts !== 1 || !/reply$/.test(check.what[0] ?? '')) {
        throw new Error(`feishu bench (${kind}): status made ${check.what.join(', ') || 'no call'} (expected one reply); log: ${logs.join(' | ')}`);
      }
      targets.push({ label: `adapter + bot, ${kind}`, baseline: false, request: send });
    }
    return {
      name:
        `feishu: encrypted, signed im.message.receive_v1 to the HTTP callback on loopback, ${TIMED_ROUNDS} sequential events per configuration after ` +
        `${WARMUP_ROUNDS} warm-up, configurations interleaved; commands in turn: ${MIX.join(', ')}; reply = first message at the fake open API ` +
        '(im.message.reply); client and fake open API in a worker thread',
      rows: rows(await measure(targets)),
    };
  });
}

// ---- worker thread: Feishu ----

interface SendArgs { url: string; text: string; expectReply: boolean }

function feishuPlatform() {
  let api: FakeFeishuApi | null = null;
  const arrivals = new Arrivals();
  return {
    async start() {
      api = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
      // Hook: every message the bot sends (create, reply, patch), timed as the fake reads it.
      const calls = api.calls;
      const push = calls.push.bind(calls);
      calls.push = (...items: ApiCall[]) => {
        for (const c of items) {
          if (c.path.startsWith('/open-apis/im/v1/messages')) arrivals.record(`${c.method} ${c.path.replace(/^\/open-apis\/im\/v1\/messages\/?[^/]*/, 'messages')}`);
        }
        return push(...items);
      };
      return { apiUrl: api.url };
    },
    async send(args: unknown): Promise<SendResult> {
      const { url, text, expectReply } = args as SendArgs;
      // A fresh event_id and message_id each time (events are handled once per event_id).
      const event = messageEvent({ text, chatId: CHAT, chatType: 'p2p', openId: 'ou_alice', token: CREDS.token });
      const body = JSON.stringify({ encrypt: encryptEvent(CREDS.encryptKey, JSON.stringify(event)) });
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(8).toString('hex');
      const headers = {
        'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce,
        'x-lark-signature': signEvent(ts, nonce, CREDS.encryptKey, body),
      };
      return timedPost(arrivals, url, headers, body, expectReply);
    },
    drain: drainOp(arrivals),
    async close() {
      await api?.close();
    },
  };
}

await platformBenchModule(import.meta.url, ROLE, feishuPlatform, benchFeishu);

// WeCom latency through the real adapter (the official @wecom/aibot-node-sdk on the long connection) and the whole
// bot, on SQLite and on Redis. The fake WeCom endpoint (test/fakes/wecom-server.ts) runs in a worker thread and takes
// every timestamp itself: t0 just before it writes an aibot_msg_callback carrying `/incident <command>`, then a
// WebSocket ping right behind it.
// - ack: the pong's arrival. The long connection has no per-callback ack; the pong comes back once the client has
//   read the callback and run its listener's synchronous part (for the adapter: parsing and claiming the msgid in
//   the store), so it is when the connection is free for the next frame.
// - reply: the first aibot_respond_msg frame on the callback's req_id reaching the fake.
// Baseline, measured in the same run: a bare SDK WSClient that does nothing but answer every callback with a fixed
// finished stream ("ok"). Commands: `status` on an existing, graded incident (the full card) and `help`.
// Run alone: node --import tsx bench/adapters-wecom.ts (Redis at REDIS_URL or 127.0.0.1:6379; its rows are skipped
// when none answers; its keys live under a unique prefix, deleted at the end).
import { WSClient, type WsFrameHeaders } from '@wecom/aibot-node-sdk';
import { startChat } from '../adapters/kit/chat.ts';
import { wecom } from '../adapters/wecom/index.ts';
import { createBot } from '../src/bot.ts';
import { FakeWecomServer } from '../test/fakes/wecom-server.ts';
import {
  Arrivals, BENCH_NOW, keptLog, measure, MIX, platformBench, platformBenchModule, REPLY_TIMEOUT_MS, rows, TIMED_ROUNDS,
  WARMUP_ROUNDS, type DrainResult, type Sample, type SendResult, type Target,
} from './adapters.ts';
import type { BenchResult } from './run.ts';

// Fake credentials (as CREDS in test/adapters/wecom/harness.ts, which imports vitest).
const CREDS = { botId: 'aibAbCdEf0123456789', secret: 'SECRETwecombotsecret7f6e5d4c3b2a' };
const ROLE = 'wecom-platform';
const CHAT = 'wrbenchgroup';
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface SendArgs { server: number; text: string; expectReply: boolean }

export function benchWecom(): Promise<BenchResult> {
  return platformBench<unknown>(import.meta.url, ROLE, 'wecom', async ({ platform, configurations, config, logs, stops }) => {
    const request = (server: number, kind: string) => async (command: string): Promise<Sample> => {
      const r = await platform.call<SendResult>('send', { server, text: `@事件机器人\u2005/incident ${command}`, expectReply: true } satisfies SendArgs);
      if (r.status !== 200) throw new Error(`wecom bench (${kind}): /incident ${command} got no reply`);
      return { command, ack: r.ack, reply: r.reply, done: null, posts: 1 };
    };

    // The baseline: the bare SDK client, answering each callback with a fixed finished stream.
    const bare = await platform.call<{ id: number; url: string }>('server');
    const client = new WSClient({ botId: CREDS.botId, secret: CREDS.secret, wsUrl: bare.url, logger: quiet });
    let n = 0;
    client.on('message', (frame: WsFrameHeaders) => { void client.replyStream(frame, `s${++n}`, 'ok', true).catch(() => undefined); });
    await new Promise<void>((resolve) => { client.once('authenticated', () => resolve()); client.connect(); });
    stops.push(async () => client.disconnect());
    const targets: Target[] = [{ label: 'bare SDK WSClient that answers "ok" (baseline)', baseline: true, request: request(bare.id, 'bare') }];

    for (const [kind, store] of configurations) {
      const server = await platform.call<{ id: number; url: string }>('server');
      const now = () => BENCH_NOW;
      const log = keptLog(logs);
      const app = await startChat(wecom, {
        env: { WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: server.url, LOG_LEVEL: 'warn' },
        bot: createBot({ store, config, now, log }), store, config, now, log,
      });
      stops.push(() => app.stop());
      const send = request(server.id, kind);
      const timed: Target['request'] = async (command) => {
        const s = await send(command);
        await app.idle();
        return s;
      };
      // An incident in the chat, graded 较大 (ransomware harm), so that `status` renders a full card.
      await timed('new 勒索软件加密核心系统');
      await timed('set ransomwareHarm 是');
      targets.push({ label: `adapter + bot, ${kind}`, baseline: false, request: timed });
    }
    // One reply frame per callback: the last-post and posts-per-request columns say nothing here.
    const out = rows(await measure(targets)).map((r) => {
      const { ['last post p99 (ms)']: _last, ['posts/request']: _posts, ...rest } = r;
      return rest;
    });
    return {
      name:
        `wecom: aibot_msg_callback over the long connection on loopback, ${TIMED_ROUNDS} sequential callbacks per configuration after ` +
        `${WARMUP_ROUNDS} warm-up, configurations interleaved; commands in turn: ${MIX.join(', ')}; ack = a WebSocket ping behind the ` +
        'callback answered (the callback taken); reply = the first aibot_respond_msg at the fake; fake endpoint in a worker thread',
      rows: out,
    };
  });
}

// ---- worker thread: the fake WeCom endpoints, one per configuration ----

function wecomPlatform() {
  const servers: Array<{ fake: FakeWecomServer; arrivals: Arrivals }> = [];
  return {
    async start() {
      return {};
    },
    async server() {
      const fake = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
      const arrivals = new Arrivals();
      fake.onSent = (m) => arrivals.record(m.cmd);
      servers.push({ fake, arrivals });
      return { id: servers.length - 1, url: fake.url };
    },
    async send(args: unknown): Promise<SendResult> {
      const { server, text } = args as SendArgs;
      const s = servers[server]!;
      await s.fake.subscribed();
      const mark = s.arrivals.mark();
      const t0 = performance.now();
      s.fake.message({ text, group: true, chatId: CHAT, userId: 'zhangsan' });
      await s.fake.barrier();
      const ack = performance.now() - t0;
      const reply = (await s.arrivals.first(mark, REPLY_TIMEOUT_MS)) - t0;
      return { status: 200, ack, reply, mark, t0 };
    },
    async drain(): Promise<DrainResult> {
      return { posts: 0, done: null, what: [] };
    },
    async close() {
      for (const s of servers) await s.fake.close();
    },
  };
}

await platformBenchModule(import.meta.url, ROLE, wecomPlatform, benchWecom);

// Shared by the chat-adapter latency benches (bench/adapters-{slack,feishu,wecom,dingtalk}.ts): the platform
// worker, stores, the timed loop and the table rows.
//
// The platform side (the fake Slack or Feishu open API, and the client that signs and posts each request) runs in a
// worker thread with its own event loop, and takes every timestamp itself: t0 just before the POST, the ack when the
// HTTP answer has been read, the reply when the fake open API has read the bot's post (performance.now(), one clock).
// In the same thread as the app, the client could only read the ack once the bot's synchronous work after it
// (better-sqlite3 is synchronous) had run, which would charge that work to the ack; on a real network the ack is on
// the wire as soon as the app writes it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseIso } from '../src/calendar/time.ts';
import { createRedisStore } from '../src/store/redis.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import type { Store } from '../src/store/types.ts';
import type { Bench, BenchResult } from './run.ts';
import { benchConfig, deleteKeys } from './support.ts';

export { benchConfig };

export type Row = Record<string, string | number>;

export const WARMUP_ROUNDS = 60; // untimed requests per configuration first (JIT, connections, tenant token)
export const TIMED_ROUNDS = 1000; // timed requests per configuration, sequential
/** The commands sent, in turn: a status card on an existing incident twice, then help (ephemeral text / a card). */
export const MIX = ['status', 'status', 'help'] as const;
export const REPLY_TIMEOUT_MS = 5_000;
export const TARGET_ACK_RATIO = 1.3; // ack p99 at most this many times the baseline's
export const TARGET_REPLY_MS = 50; // reply posted within this, p99, on loopback
/** The bot's clock: a fixed Monday afternoon, so every run renders the same cards and deadlines. */
export const BENCH_NOW = parseIso('2026-11-30T14:00:00+08:00');


// ---- stores ----

export interface Stores {
  /** As deployed: a file in a temp dir, WAL, synchronous=FULL. */
  sqlite: Store;
  /** null when no Redis answers (its rows are then skipped, with a note). */
  redis: Store | null;
  notes: string[];
  /** Closes both, deletes the temp dir and every Redis key under this run's prefix. */
  close(): Promise<void>;
}

export async function openStores(tag: string): Promise<Stores> {
  const dir = mkdtempSync(join(tmpdir(), `pboc-bench-${tag}-`));
  const sqlite = createSqliteStore(join(dir, `${tag}.db`));
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = `pboc-bench:${tag}:${process.pid}-${randomBytes(4).toString('hex')}:`;
  const notes: string[] = [];
  let redis: Store | null = null;
  try {
    redis = await withTimeout(createRedisStore(url, { prefix }), 3_000, 'Redis connect');
  } catch (e) {
    notes.push(`redis skipped: ${(e as Error).message}`);
  }
  return {
    sqlite,
    redis,
    notes,
    async close() {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
      if (redis) {
        await redis.close();
        await deleteKeys(url, prefix);
      }
    },
  };
}


export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

// ---- the platform worker ----

type Handlers = Record<string, (args: unknown) => Promise<unknown>>;
type Message = { id: number; op: string; args: unknown } | { id: number; result?: unknown; error?: string };

/** The main thread's handle on a platform worker: calls its ops, one answer each. */
export interface Platform {
  call<T>(op: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * Starts `moduleUrl` in a worker thread (through tsx, as `npm run bench` runs) with workerData { role }; the module
 * serves its ops there with servePlatform(). The worker's 'start' op is called first and its answer returned.
 */
export async function startPlatform<T>(moduleUrl: string, role: string): Promise<{ platform: Platform; started: T }> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); })`;
  const worker = new Worker(code, { eval: true, workerData: { role } });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failed: Error | null = null;
  const failAll = (e: Error) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (m: Message) => {
    const w = waiting.get(m.id);
    if (!w || 'op' in m) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(`${role}: ${m.error}`));
    else w.resolve(m.result);
  });
  worker.on('error', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new Error(`${role} worker exited (${code})`)));
  const platform: Platform = {
    call<R>(op: string, args?: unknown): Promise<R> {
      if (failed) return Promise.reject(failed);
      const id = ++seq;
      return new Promise<R>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, op, args });
      });
    },
    async close() {
      try {
        if (!failed) await withTimeout(platform.call('close'), 5_000, `${role} close`);
      } finally {
        await worker.terminate();
      }
    },
  };
  // The worker takes a moment to load tsx and the module: 'start' waits until it listens.
  const started = await withTimeout(platform.call<T>('start'), 30_000, `${role} start`).catch(async (e: Error) => {
    await worker.terminate();
    throw e;
  });
  return { platform, started };
}

/** In the worker: answers the main thread's calls with these ops. Messages that arrive before this runs wait in the port. */
export function servePlatform(handlers: Handlers): void {
  const port = parentPort;
  if (!port) throw new Error('servePlatform: not in a worker');
  port.on('message', (m: Message) => {
    if (!('op' in m)) return;
    const h = handlers[m.op];
    const run = h ? h(m.args) : Promise.reject(new Error(`unknown op ${m.op}`));
    run.then(
      (result) => port.postMessage({ id: m.id, result }),
      (e: Error) => port.postMessage({ id: m.id, error: e.stack ?? e.message }),
    );
  });
}

/**
 * Arrival times of the bot's posts at the fake open API (worker side): call record() from a hook on the fake,
 * then wait for the first post after a mark.
 */
export class Arrivals {
  private readonly at: Array<{ t: number; what: string }> = [];
  private waiters: Array<() => void> = [];

  record(what: string): void {
    this.at.push({ t: performance.now(), what });
    for (const w of this.waiters.splice(0)) w();
  }

  mark(): number {
    return this.at.length;
  }

  /** The time of the first post at or after `mark`; rejects after `timeoutMs`. */
  async first(mark: number, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.at.length <= mark) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no reply posted within ${timeoutMs} ms`);
      await withTimeout(new Promise<void>((r) => this.waiters.push(r)), left, 'reply').catch(() => undefined);
    }
    return this.at[mark]!.t;
  }

  since(mark: number): Array<{ t: number; what: string }> {
    return this.at.slice(mark);
  }

  /** Every post at or after `mark`, the last one timed from t0 (a platform worker's 'drain' op). */
  drain(mark: number, t0: number): DrainResult {
    const posts = this.since(mark);
    return { posts: posts.length, done: posts.length ? posts.at(-1)!.t - t0 : null, what: posts.map((p) => p.what) };
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * The platform's POST (worker side): node:http on a keep-alive connection, as lean a client as Node has, so that
 * the client's own cost, common to every configuration, dilutes the ratios as little as it can. Resolves with the
 * status and body once the whole answer has been read.
 */
export function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The platform's timed POST (worker side): t0 just before it, the ack once the answer has been read, and, when a
 * reply is expected and the POST was answered 200, the reply at the first post the fake reads after it.
 */
export async function timedPost(
  arrivals: Arrivals, url: string, headers: Record<string, string>, body: string, expectReply: boolean,
): Promise<SendResult> {
  const mark = arrivals.mark();
  const t0 = performance.now();
  const { status } = await post(url, headers, body);
  const ack = performance.now() - t0;
  const reply = expectReply && status === 200 ? (await arrivals.first(mark, REPLY_TIMEOUT_MS)) - t0 : null;
  return { status, ack, reply, mark, t0 };
}

/** The 'drain' op of a worker with one Arrivals: every post since the request's mark, the last timed from its t0. */
export function drainOp(arrivals: Arrivals): (args: unknown) => Promise<DrainResult> {
  return async (args) => {
    const { mark, t0 } = args as { mark: number; t0: number };
    return arrivals.drain(mark, t0);
  };
}

/** What the worker answers for one timed request; times in ms from t0 (just before the POST). */
export interface SendResult {
  status: number;
  ack: number;
  reply: number | null; // first post at the fake; null when none was expected
  mark: number;
  t0: number;
}

/** After the app is idle again: every post the request caused. */
export interface DrainResult {
  posts: number;
  done: number | null; // the last post, from t0
  what: string[];
}

// ---- one platform bench, main thread ----

/** The adapters' log in a bench: its first 50 lines are kept, for the table to show any trouble. */
export function keptLog(logs: string[]): (m: string) => void {
  return (m) => {
    if (logs.length < 50) logs.push(m);
  };
}

/**
 * A timed request through a real adapter: the worker's 'send' (with `where(command)`, which names the fake and the
 * text), refused unless it was answered 200; then, once the app is idle again, every post the request caused.
 */
export function throughAdapter(
  platform: Platform, app: { idle(): Promise<void> }, what: string, where: (command: string) => Record<string, unknown>,
): (command: string) => Promise<Sample & { what: string[] }> {
  return async (command) => {
    const at = where(command);
    const r = await platform.call<SendResult>('send', { ...at, expectReply: true });
    if (r.status !== 200) throw new Error(`${what}: /incident ${command} answered ${r.status}`);
    await app.idle();
    const d = await platform.call<DrainResult>('drain', { ...at, mark: r.mark, t0: r.t0 });
    return { command, ack: r.ack, reply: r.reply, done: d.done, posts: d.posts, what: d.what };
  };
}

/** Opens the incident the timed `status` shows, graded 较大 (ransomware harm) so that it renders a full card; the first status. */
export async function openGradedIncident<S>(send: (command: string) => Promise<S>): Promise<S> {
  await send('new 勒索软件加密核心系统');
  await send('set ransomwareHarm 是');
  return send('status');
}

/** What a platform bench's body works with. */
export interface PlatformRun<T> {
  platform: Platform;
  /** The worker's answer to 'start'. */
  started: T;
  stores: Stores;
  /** The stores present, each with its name for the table: SQLite, then Redis when one answers. */
  configurations: Array<[string, Store]>;
  config: BotConfig;
  /** The adapters' log (keptLog), for the table to show any trouble. */
  logs: string[];
  /** What the body started, stopped at the end, last first, before the stores and the worker close. */
  stops: Array<() => Promise<void>>;
}

/**
 * One platform bench: starts the platform worker (`moduleUrl` under `role`) and the stores tagged `tag`, runs `body`,
 * and adds to its rows the stores' notes and the first three lines of the adapters' log that match `trouble`; then
 * stops and closes everything, whatever happened.
 */
export async function platformBench<T>(
  moduleUrl: string, role: string, tag: string, body: (run: PlatformRun<T>) => Promise<BenchResult>, trouble = /fail|refused|error/i,
): Promise<BenchResult> {
  const { platform, started } = await startPlatform<T>(moduleUrl, role);
  const stores = await openStores(tag);
  const configurations: Array<[string, Store]> = [['SQLite file (WAL)', stores.sqlite]];
  if (stores.redis) configurations.push(['Redis', stores.redis]);
  const run: PlatformRun<T> = { platform, started, stores, configurations, config: benchConfig(), logs: [], stops: [] };
  try {
    const { name, rows: out } = await body(run);
    for (const note of stores.notes) out.push({ configuration: note });
    const lines = run.logs.filter((l) => trouble.test(l));
    if (lines.length) out.push({ configuration: `adapter log: ${lines.slice(0, 3).join(' | ')}` });
    return { name, rows: out };
  } finally {
    for (const stop of run.stops.reverse()) await stop().catch(() => undefined);
    await stores.close();
    await platform.close();
  }
}

/**
 * A platform bench module's entry, at its end: in the worker started under `role`, serves the platform's ops; run
 * as a script (`node --import tsx bench/adapters-<platform>.ts`), runs the bench alone.
 */
export async function platformBenchModule(moduleUrl: string, role: string, serve: () => Handlers, bench: Bench): Promise<void> {
  if (!isMainThread && (workerData as { role?: string } | null)?.role === role) servePlatform(serve());
  if (isMainThread && process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href) {
    const { runBenches } = await import('./run.ts');
    await runBenches([bench]);
  }
}

// ---- the timed loop ----

export interface Sample {
  command: string;
  ack: number;
  reply: number | null;
  done: number | null;
  posts: number;
}

/** One configuration under test: a bare baseline app (ack only) or the real adapter with the bot on a store. */
export interface Target {
  label: string;
  baseline: boolean;
  request(command: string): Promise<Sample>;
}

/**
 * Warm-up, then TIMED_ROUNDS rounds; each round sends one request to every target, in an order that rotates, so
 * drift (GC, the other core's load, Redis sharing the machine) hits every configuration alike. Sequential: the next
 * request goes out when the app has finished the previous one.
 */
export async function measure(targets: readonly Target[], warmup = WARMUP_ROUNDS, rounds = TIMED_ROUNDS): Promise<Map<Target, Sample[]>> {
  const samples = new Map<Target, Sample[]>(targets.map((t) => [t, []]));
  for (let i = 0; i < warmup + rounds; i++) {
    const command = MIX[i % MIX.length]!;
    for (let j = 0; j < targets.length; j++) {
      const t = targets[(i + j) % targets.length]!;
      const s = await t.request(command);
      if (i >= warmup) samples.get(t)!.push(s);
    }
  }
  return samples;
}

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const r2 = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : '—');
const ratio = (x: number, base: number) => (Number.isFinite(x) && base > 0 ? `${(x / base).toFixed(2)}x` : '—');

/**
 * The table: for every configuration, all its requests, then each command apart; ratios against the baseline's
 * requests of the same command (all of them in the 'all' rows). The target columns are judged on the 'all' rows.
 */
export function rows(samples: Map<Target, Sample[]>): Row[] {
  const base = [...samples.keys()].find((t) => t.baseline);
  if (!base) throw new Error('no baseline target');
  const commands = ['all', ...new Set(MIX)];
  const pick = (t: Target, c: string) => samples.get(t)!.filter((s) => c === 'all' || s.command === c);
  const out: Row[] = [];
  for (const [t] of samples) {
    for (const c of commands) {
      const xs = pick(t, c);
      const bs = pick(base, c);
      const ack = xs.map((s) => s.ack);
      const reply = xs.flatMap((s) => (s.reply === null ? [] : [s.reply]));
      const done = xs.flatMap((s) => (s.done === null ? [] : [s.done]));
      const ackP50 = quantile(ack, 0.5);
      const ackP99 = quantile(ack, 0.99);
      const baseP50 = quantile(bs.map((s) => s.ack), 0.5);
      const baseP99 = quantile(bs.map((s) => s.ack), 0.99);
      const replyP99 = quantile(reply, 0.99);
      const judged = c === 'all' && !t.baseline;
      out.push({
        configuration: c === 'all' ? t.label : '',
        command: c === 'all' ? `all (${MIX.join(', ')})` : c,
        n: xs.length,
        'ack p50 (ms)': r2(ackP50),
        'ack p99 (ms)': r2(ackP99),
        'ack p50 vs baseline': t.baseline ? '1.00x' : ratio(ackP50, baseP50),
        'ack p99 vs baseline': t.baseline ? '1.00x' : ratio(ackP99, baseP99),
        'reply p50 (ms)': reply.length ? r2(quantile(reply, 0.5)) : '—',
        'reply p99 (ms)': reply.length ? r2(replyP99) : '—',
        'last post p99 (ms)': done.length ? r2(quantile(done, 0.99)) : '—',
        'posts/request': xs.length ? r2(xs.reduce((a, s) => a + s.posts, 0) / xs.length) : '—',
        [`ack p99 ≤ ${TARGET_ACK_RATIO}x`]: judged ? (ackP99 <= TARGET_ACK_RATIO * baseP99 ? 'met' : 'MISSED') : '',
        [`reply p99 ≤ ${TARGET_REPLY_MS} ms`]: judged ? (replyP99 <= TARGET_REPLY_MS ? 'met' : 'MISSED') : '',
      });
    }
  }
  return out;
}

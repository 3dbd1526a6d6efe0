// Restart to drained: the compiled bot (bin/start.js, as `npm start`) on Slack (HTTP, fake API) restarted with
// 1,000 acknowledged commands pending in its inbox (`/incident new drain-<n>` from 25 channels, written as the
// adapter writes them before acknowledging, under this replica's lease, as a SIGKILL leaves them), timed from the
// restart's spawn until the inbox is empty. Baseline from the same run: the same 1,000 commands sent live to a
// running bot (25 channels at once, each waiting for its acknowledgement), from the first send until all are recorded.
// Checked: every command recorded exactly once. On a SQLite file (WAL, synchronous=FULL) and on a private Redis
// with an append-only file (fsync always; skipped without redis-server). Target: under 5 s.
// Run alone: node --import tsx bench/drain.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseSlashCommand } from '../adapters/slack/parse.ts';
import { createRedisStore } from '../src/store/redis.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { httpTransport, SlackDriver } from '../test/fakes/slack-driver.ts';
import { freePort, startPrivateRedis } from '../test/fakes/redis-server.ts';
import type { BenchResult } from './run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = 1000;
const CHATS = 25;
const TARGET_MS = 5000;
const CLOCK_START = '2026-11-30T10:00:00+08:00';
const BOT_TOKEN = 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

interface Bot { child: ChildProcess; log: () => string; report: string }

const REPORT = fileURLToPath(new URL('./process-report.mjs', import.meta.url));

/** The bot's own CPU time (user + system), written by bench/process-report.mjs as it exits. */
function cpuMsOf(bot: Bot): number {
  const { cpuMs } = JSON.parse(readFileSync(bot.report, 'utf8')) as { cpuMs: number };
  rmSync(dirname(bot.report), { recursive: true, force: true });
  return cpuMs;
}

function spawnBot(env: NodeJS.ProcessEnv): Bot {
  // DRAIN_PROF=<dir>: each bot writes a CPU profile there (node --cpu-prof), to see where a drain's time goes.
  const prof = process.env.DRAIN_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DRAIN_PROF}`] : [];
  // Its CPU time too: on a machine shared with other work the wall times stretch, the process's own CPU time much less.
  const report = join(mkdtempSync(join(tmpdir(), 'pboc-drain-cpu-')), 'report.json');
  const child = spawn(process.execPath, ['--import', REPORT, ...prof, '--max-semi-space-size=4', 'bin/start.js'], { cwd: ROOT, env: { ...env, BENCH_REPORT: report }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => { log += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
  return { child, log: () => log, report };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, bot: Bot, ms = 300_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited (${bot.child.exitCode}) waiting for ${what}:\n${bot.log().slice(-3000)}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${bot.log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(bot: Bot): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const gone = new Promise<void>((r) => bot.child.once('exit', () => r()));
  bot.child.kill('SIGTERM');
  await gone;
}

/** Each drain-<n> title recorded, with how many times. */
async function recorded(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await store.listInRange(0, Number.MAX_SAFE_INTEGER)) {
    for (const { event } of (await store.load(m.id))?.events ?? []) {
      const e = event as { type?: string; title?: string };
      if (e.type === 'created' && e.title?.startsWith('drain-')) counts.set(e.title, (counts.get(e.title) ?? 0) + 1);
    }
  }
  return counts;
}

function check(counts: Map<string, number>): string {
  const missing = Array.from({ length: N }, (_, n) => `drain-${n}`).filter((m) => !counts.has(m)).length;
  const twice = [...counts.values()].filter((c) => c > 1).length;
  return missing === 0 && twice === 0 ? `all ${N} once` : `MISSING ${missing}, TWICE ${twice}`;
}

interface Figures { liveMs: number; liveCpuMs: number; live: string; drainMs: number; drainCpuMs: number; drained: string; pendingAtRestart: number }

/** A fresh, empty store: the environment that points the bot at it, and how to open it here. */
interface FreshStore { env: NodeJS.ProcessEnv; open: () => Promise<Store> }

async function measure(fresh: () => Promise<FreshStore>): Promise<Figures> {
  const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
  const port = await freePort();
  const envOf = (storeEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: CLOCK_START, TICK_SECONDS: '3600', INBOX_MAX: String(2 * N),
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port),
    };
    for (const k of Object.keys(env)) if (/^(FEISHU|WECOM|DINGTALK|DIGEST)_|^(NODE_OPTIONS|REPLICA_ID|HTTP_PORT|METRICS_PORT)$/.test(k)) delete env[k];
    if (!storeEnv.REDIS_URL) delete env.REDIS_URL;
    return env;
  };
  const send = httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  const driver = (c: number) => new SlackDriver(slack, send, async () => {}, { team: 'T1', channel: `C${c}`, user: `U${c}`, userName: `u${c}` });
  const ready = (b: Bot) => until(() => /slack: ready \(http/.test(b.log()), 'the receiver', b);
  try {
    // Baseline: the same commands, live.
    const a = await fresh();
    const live = spawnBot(envOf(a.env));
    let liveMs: number;
    let liveCheck: string;
    try {
      await ready(live);
      const store = await a.open();
      try {
        const t0 = performance.now();
        await Promise.all(Array.from({ length: CHATS }, async (_, c) => {
          for (let n = c; n < N; n += CHATS) {
            if ((await driver(c).commandLine(`new drain-${n}`)).status !== 200) throw new Error(`drain-${n} not acknowledged`);
          }
        }));
        await until(async () => (await store.inboxPendingCount()) === 0, 'the live commands', live);
        liveMs = performance.now() - t0;
        liveCheck = check(await recorded(store));
      } finally {
        await store.close();
      }
    } finally {
      await stop(live);
    }
    const liveCpuMs = cpuMsOf(live);

    // Restart with the same commands pending: the store as the first bot made it, the items as its adapter wrote them.
    const b = await fresh();
    const env = envOf(b.env);
    const first = spawnBot(env);
    await ready(first).finally(() => stop(first));
    const store = await b.open();
    try {
      const t = Date.parse(CLOCK_START) - 60_000;
      const owner = `slack@${hostname()}#`; // adapters/inbox.ts replicaOwner, REPLICA_ID unset: this host's own items
      for (let n = 0; n < N; n++) {
        const c = n % CHATS;
        const { token: _token, ...payload } = driver(c).slashPayload(`new drain-${n}`);
        const p = parseSlashCommand(payload)!;
        await store.inboxAdd({ key: p.onceKey, source: 'slack', conversation: p.input.conversation, payload, receivedAtMs: t + n }, owner, 60_000, t + n);
      }
      const pendingAtRestart = await store.inboxPendingCount();
      const t0 = performance.now();
      const second = spawnBot(env);
      let drainMs: number;
      try {
        await until(async () => (await store.inboxPendingCount()) === 0, 'the inbox to drain', second);
        drainMs = performance.now() - t0;
      } finally {
        await stop(second);
      }
      return { liveMs, liveCpuMs, live: liveCheck, drainMs, drainCpuMs: cpuMsOf(second), drained: check(await recorded(store)), pendingAtRestart };
    } finally {
      await store.close();
    }
  } finally {
    await slack.close();
  }
}

export async function benchDrain(): Promise<BenchResult> {
  const built = spawnSync(process.execPath, ['--input-type=module', '-e', "(await import('./bin/build-check.js')).ensureBuilt()"], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('drain bench: dist/ could not be built');
  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-drain-'));
  const rows: BenchResult['rows'] = [];
  const row = (store: string, f: Figures) => rows.push({
    store, 'live: 1,000 sent to recorded (ms)': Math.round(f.liveMs), 'pending at restart': f.pendingAtRestart,
    'restart to drained (ms)': Math.round(f.drainMs), 'drain vs live': `${(f.drainMs / f.liveMs).toFixed(2)}x`,
    // Each bot's whole life: the live one from its start through the 1,000 commands; the restarted one from its start through the drain.
    'bot CPU live / restart (ms)': `${Math.round(f.liveCpuMs)} / ${Math.round(f.drainCpuMs)}`,
    recorded: `live ${f.live}; restart ${f.drained}`, target: `< ${TARGET_MS} ms: ${f.drainMs < TARGET_MS ? 'met' : 'missed'}`,
  });
  try {
    let k = 0;
    // DRAIN_ONLY=sqlite|redis: one store only (with DRAIN_PROF, to profile that one).
    const only = process.env.DRAIN_ONLY;
    if (only !== 'redis') row('SQLite (WAL, synchronous=FULL)', await measure(async () => {
      const path = join(dir, `drain-${k++}.db`);
      return { env: { SQLITE_PATH: path }, open: async () => createSqliteStore(path) };
    }));
    if (only === 'sqlite') {
      rows.push({ store: 'Redis (AOF)', target: 'left out: DRAIN_ONLY=sqlite' });
    } else if (spawnSync('redis-server', ['--version']).status === 0 && (!process.env.DRAIN_PROF || only === 'redis')) {
      const servers: Array<{ kill: () => Promise<void> }> = [];
      try {
        row('Redis (AOF, fsync always)', await measure(async () => {
          const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
          servers.push(redis);
          return { env: { REDIS_URL: redis.url }, open: () => createRedisStore(redis.url) };
        }));
      } finally {
        for (const r of servers) await r.kill();
      }
    } else {
      rows.push({ store: 'Redis (AOF)', target: 'skipped: no redis-server' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: `Restart to drained, ${N.toLocaleString('en')} acknowledged commands pending (Slack, compiled build), against the same commands live`, rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatTable, machineInfo } = await import('./run.ts');
  console.log(machineInfo());
  const r = await benchDrain();
  console.log(`\n${r.name}\n${formatTable(r.rows)}`);
}

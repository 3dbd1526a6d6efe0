// Load: 30 Slack clients, each in its own channel with one open incident, send signed `/incident note …` back to back
// for 30 s to the bot (`npm start`'s compiled build, a child process) on a SQLite file and on a Redis with AOF (a
// private server). Each client is the only writer of its incident. Measured: acknowledged and processed per second,
// end to end (sent → the bot's reply reached the fake Slack API) p50 / p99, replies refused busy or for a conflict,
// and the bot's peak RSS (VmHWM). Baseline, in the same run: the bot answering `help` (no store write) under the same
// load, so the ratio is what writing each note durably costs. Run alone: node --import tsx bench/load-slack.ts
// (LOAD_SECONDS and LOAD_CLIENTS override 30 and 30).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { httpTransport, SlackDriver } from '../test/fakes/slack-driver.ts';
import { freePort, startPrivateRedis } from '../test/fakes/redis-server.ts';

const BOT_TOKEN = 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 30);

type Row = Record<string, string | number>;

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

async function waitFor(cond: () => Promise<boolean> | boolean, what: string, child: ChildProcess, log: () => string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`load bench: no ${what}:\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One run: the bot on `storeEnv`, CLIENTS clients sending `line(i)` for SECONDS. */
async function run(label: string, storeEnv: Record<string, string>, line: (i: number) => string): Promise<Row> {
  const api = await FakeSlackApi.start({ bot: BOT_TOKEN });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '3600', LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.apiUrl, PORT: String(port),
  };
  if (!storeEnv.REDIS_URL) delete env.REDIS_URL;
  const child = spawn(process.execPath, ['bin/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (b: Buffer) => { log += b.toString(); if (log.length > 100_000) log = log.slice(-50_000); });
  child.stdout!.on('data', () => {});
  const send = httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  const drivers = Array.from({ length: CLIENTS }, (_, c) => new SlackDriver(api, send, async () => {}, { team: 'T1', channel: `CL${c}`, user: `UL${c}`, userName: `l${c}` }));
  try {
    await waitFor(async () => (await drivers[0]!.commandLine('help').catch(() => null))?.status === 200, 'receiver', child, () => log);
    // Each client's incident, before the clock starts.
    for (const d of drivers) await d.commandLine('new 负载测试');
    await waitFor(() => drivers.every((d) => api.calls.some((c) => JSON.stringify(c.body).includes(d.who.channel) && JSON.stringify(c.body).includes('INC-'))), 'incidents', child, () => log);

    // Every reply of a command comes through its own response_url (ephemeral) or the channel; per channel, in order.
    const sentAt = new Map<string, number[]>(); // channel -> send times, in order
    const ackMs: number[] = [];
    let acked = 0; let busy = 0; let failed = 0;
    const calls0 = api.calls.length;
    const t0 = Date.now();
    await Promise.all(drivers.map(async (d, c) => {
      const times: number[] = [];
      sentAt.set(d.who.channel, times);
      for (let i = 0; Date.now() - t0 < SECONDS * 1000; i++) {
        const start = Date.now();
        const r = await d.commandLine(line(c * 1_000_000 + i)).catch(() => null);
        ackMs.push(Date.now() - start);
        if (r?.status !== 200) { failed++; continue; }
        if (r.body?.includes('机器人正忙')) { busy++; continue; }
        acked++;
        times.push(start);
      }
    }));
    const sendEnd = Date.now();
    // Drain: every acknowledged command answered.
    const repliesFor = (channel: string) => api.calls.slice(calls0).filter((x) => x.method === 'response_url' && JSON.stringify(x.body).length > 0 && api.responseTarget(String(x.body.id))?.channel === channel);
    await waitFor(() => drivers.every((d) => repliesFor(d.who.channel).length >= (sentAt.get(d.who.channel)?.length ?? 0)), 'drain', child, () => log, 600_000);
    const drainEnd = Date.now();
    const e2e: number[] = [];
    let conflicts = 0;
    for (const d of drivers) {
      const times = sentAt.get(d.who.channel)!;
      const replies = repliesFor(d.who.channel);
      replies.forEach((x, k) => {
        if (JSON.stringify(x.body).includes('同时修改')) conflicts++;
        if (times[k] !== undefined && x.at !== undefined) e2e.push(x.at - times[k]!);
      });
    }
    const rss = peakRssMb(child.pid!);
    return {
      run: label, 'acked/s': Math.round(acked / ((sendEnd - t0) / 1000)), 'processed/s': Math.round(acked / ((drainEnd - t0) / 1000)),
      'ack p99 ms': pct(ackMs, 99), 'e2e p50 ms': pct(e2e, 50), 'e2e p99 ms': pct(e2e, 99), busy, conflicts, failed, 'peak RSS MB': rss,
    };
  } finally {
    child.kill('SIGKILL');
    await api.close();
  }
}

export async function benchLoadSlack(): Promise<{ name: string; rows: Row[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-load-'));
  const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
  try {
    const note = (i: number) => `note 负载 ${i}`;
    const rows: Row[] = [];
    rows.push(await run('SQLite, help (baseline: no write)', { SQLITE_PATH: join(dir, 'help.db') }, () => 'help'));
    rows.push(await run('SQLite, notes', { SQLITE_PATH: join(dir, 'notes.db') }, note));
    rows.push(await run('Redis AOF, notes', { REDIS_URL: redis.url }, note));
    const base = rows[0]!;
    for (const r of rows) r['e2e p99 / baseline'] = Number(((r['e2e p99 ms'] as number) / Math.max(1, base['e2e p99 ms'] as number)).toFixed(2));
    return { name: `Load: ${CLIENTS} Slack clients × ${SECONDS} s, one writer per incident (bot as a child process)`, rows };
  } finally {
    await redis.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { formatTable } = await import('./run.ts');
  const r = await benchLoadSlack();
  console.log(`${r.name}\n${formatTable(r.rows)}`);
}

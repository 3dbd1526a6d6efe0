// Nothing acknowledged is lost: signed slash commands in flight, the bot killed with SIGKILL mid-burst, restarted.
// Every command Slack got its 200 for is in the record exactly once; none is recorded twice. On a SQLite file and on
// a Redis with an append-only file (a private server: the shared one keeps nothing on disk).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { httpTransport, SlackDriver } from '../fakes/slack-driver.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack-harness.ts';
import { freePort, startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';
import { describeRedis } from '../fakes/redis.ts';

const N = 240; // commands sent
const CHANNELS = 24; // sent concurrently, one sender per channel
const KILL_AFTER = 80; // acknowledged commands before the SIGKILL

const dir = mkdtempSync(join(tmpdir(), 'pboc-crash-slack-'));
const servers: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(dir, { recursive: true, force: true });
});

function spawnBot(env: NodeJS.ProcessEnv): { child: ChildProcessWithoutNullStreams; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
  let log = '';
  child.stderr.on('data', (b: Buffer) => { log += b.toString(); });
  child.stdout.on('data', (b: Buffer) => { log += b.toString(); });
  return { child, log: () => log };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, bot: { child: ChildProcessWithoutNullStreams; log: () => string }, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    const gone = bot.child.exitCode !== null ? `the bot exited (${bot.child.exitCode})` : Date.now() > end ? 'timed out' : null;
    if (gone) throw new Error(`${gone} waiting for ${what}; bot output:\n${bot.log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<void>((r) => {
  if (child.exitCode !== null || child.signalCode !== null) r();
  else child.once('exit', () => r());
});

/** Titles of the incidents recorded, with how many times each. */
async function recordedTitles(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await store.listInRange(0, Number.MAX_SAFE_INTEGER)) {
    const stored = await store.load(m.id);
    for (const { event } of stored?.events ?? []) {
      const e = event as { type?: string; title?: string };
      if (e.type === 'created' && e.title) counts.set(e.title, (counts.get(e.title) ?? 0) + 1);
    }
  }
  return counts;
}

async function crashRun(storeEnv: NodeJS.ProcessEnv, openStore: () => Promise<Store>): Promise<void> {
  const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '3600',
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port),
  };
  if (!storeEnv.REDIS_URL) delete env.REDIS_URL;
  const send = httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  const driver = (channel: number) => new SlackDriver(slack, send, async () => {}, { team: 'T1', channel: `C${channel}`, user: `U${channel}`, userName: `u${channel}` });

  const first = spawnBot(env);
  await until(async () => (await driver(0).commandLine('help').catch(() => null))?.status === 200, 'the Slack receiver', first);

  const acknowledged = new Set<string>();
  const refused: string[] = [];
  let killed = false;
  const kill = exited(first.child);
  const senders = Array.from({ length: CHANNELS }, async (_, c) => {
    for (let n = c; n < N && !killed; n += CHANNELS) {
      const title = `crash-${n}`;
      const r = await driver(c).commandLine(`new ${title}`).catch(() => null);
      if (r?.status === 200) acknowledged.add(title);
      else refused.push(title);
      if (acknowledged.size >= KILL_AFTER && !killed) {
        killed = true;
        first.child.kill('SIGKILL'); // mid-burst: other senders' requests are in flight
      }
    }
  });
  await Promise.all(senders);
  await kill;
  expect(killed).toBe(true);

  // Restarted: what was acknowledged and not yet processed is resumed from the inbox, once.
  const second = spawnBot(env);
  const store = await openStore();
  try {
    await until(() => /ready: HTTP/.test(second.log()), 'the restarted bot', second);
    await until(async () => (await store.inboxPendingCount()) === 0, 'the inbox to drain', second);
    second.child.kill('SIGTERM');
    await exited(second.child);
    const titles = await recordedTitles(store);
    const missing = [...acknowledged].filter((t) => !titles.has(t));
    const doubled = [...titles].filter(([, n]) => n > 1).map(([t]) => t);
    const unacknowledgedButRecorded = [...titles.keys()].filter((t) => !acknowledged.has(t)).length;
    console.log(`crash (${storeEnv.REDIS_URL ? 'Redis AOF' : 'SQLite'}, Slack): sent ${acknowledged.size + refused.length}, acknowledged ${acknowledged.size}, `
      + `recorded ${[...titles.keys()].filter((t) => acknowledged.has(t)).length} of them, duplicated ${doubled.length}, `
      + `in flight at the kill and recorded ${unacknowledgedButRecorded}; resumed after restart: ${/resumed (\d+)/.exec(second.log())?.[1] ?? 0}`);
    expect(missing).toEqual([]);
    expect(doubled).toEqual([]);
  } finally {
    if (second.child.exitCode === null) second.child.kill('SIGKILL');
    await store.close();
    await slack.close();
  }
}

describe('SIGKILL mid-burst, then a restart (Slack)', () => {
  it('SQLite: every acknowledged command is recorded exactly once', async () => {
    const path = join(dir, 'crash.db');
    await crashRun({ SQLITE_PATH: path }, async () => createSqliteStore(path));
  }, 300_000);
});

describeRedis('SIGKILL mid-burst, then a restart (Slack, Redis with AOF)', () => {
  it('Redis: every acknowledged command is recorded exactly once', async () => {
    const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
    servers.push(redis);
    await crashRun({ REDIS_URL: redis.url }, () => createRedisStore(redis.url));
  }, 300_000);
});

// Nothing acknowledged is lost (Feishu): signed message events in flight from many chats, the bot killed with SIGKILL
// mid-burst, restarted. Every event Feishu got its 200 for is in the record exactly once; none is recorded twice. On a
// SQLite file and on a Redis with an append-only file (a private server: the shared one keeps nothing on disk).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { FakeFeishuApi } from '../fakes/feishu-api.ts';
import { deliver, messageEvent } from '../fakes/feishu-events.ts';
import { freePort, startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';
import { describeRedis } from '../fakes/redis.ts';
import { CREDS } from '../adapters/feishu/harness.ts';

const N = 200; // message events sent
const CHATS = 20; // sent concurrently, one sender per chat
const KILL_AFTER = 70; // acknowledged events before the SIGKILL

const dir = mkdtempSync(join(tmpdir(), 'pboc-crash-feishu-'));
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

async function until(cond: () => boolean | Promise<boolean>, what: string, log: () => string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; bot output:\n${log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<void>((r) => {
  if (child.exitCode !== null || child.signalCode !== null) r();
  else child.once('exit', () => r());
});

/** Each marker recorded (an incident's title, a note's text), with how many times. */
async function recordedMarkers(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (m: string) => counts.set(m, (counts.get(m) ?? 0) + 1);
  for (const m of await store.listInRange(0, Number.MAX_SAFE_INTEGER)) {
    for (const { event } of (await store.load(m.id))?.events ?? []) {
      const e = event as { type?: string; title?: string; text?: string };
      if (e.type === 'created' && e.title?.startsWith('crash-')) add(e.title);
      if (e.type === 'note' && e.text?.startsWith('crash-')) add(e.text);
    }
  }
  return counts;
}

async function crashRun(storeEnv: NodeJS.ProcessEnv, openStore: () => Promise<Store>): Promise<void> {
  const api = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '3600',
    FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
    FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: api.url, FEISHU_MODE: 'http', FEISHU_PORT: String(port),
  };
  if (!storeEnv.REDIS_URL) delete env.REDIS_URL;
  for (const k of Object.keys(env)) if (k.startsWith('SLACK_') || k.startsWith('WECOM_') || k.startsWith('DINGTALK_')) delete env[k];
  const url = `http://127.0.0.1:${port}/feishu/events`;
  // Chat c's k-th message: its incident first (`new crash-<n>`), then notes to it, each with its own marker.
  const send = (c: number, k: number, n: number) => deliver(url, messageEvent({
    text: k === 0 ? `/incident new crash-${n}` : `/incident note crash-${n}`, token: CREDS.token,
    chatId: `oc_crash${c}`, openId: `ou_crash${c}`, messageId: `om_crash${String(n).padStart(5, '0')}`,
  }), { encryptKey: CREDS.encryptKey });

  const first = spawnBot(env);
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, 'the Feishu receiver', first.log);

  const acknowledged = new Set<string>();
  const refused: string[] = [];
  let killed = false;
  const kill = exited(first.child);
  const senders = Array.from({ length: CHATS }, async (_, c) => {
    for (let n = c, k = 0; n < N && !killed; n += CHATS, k++) {
      const r = await send(c, k, n).catch(() => null);
      if (r?.status === 200) acknowledged.add(`crash-${n}`);
      else {
        refused.push(`crash-${n}`);
        return; // this chat's later notes would have no incident
      }
      if (acknowledged.size >= KILL_AFTER && !killed) {
        killed = true;
        first.child.kill('SIGKILL'); // mid-burst: other chats' events are in flight
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
    const pendingAtRestart = await store.inboxPendingCount();
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, 'the restarted bot', second.log);
    await until(async () => (await store.inboxPendingCount()) === 0, 'the inbox to drain', second.log);
    second.child.kill('SIGTERM');
    await exited(second.child);
    const markers = await recordedMarkers(store);
    const missing = [...acknowledged].filter((m) => !markers.has(m));
    const doubled = [...markers].filter(([, n]) => n > 1).map(([m]) => m);
    const recorded = [...markers.keys()].filter((m) => acknowledged.has(m)).length;
    const inFlightRecorded = [...markers.keys()].filter((m) => !acknowledged.has(m)).length;
    console.log(`crash (${storeEnv.REDIS_URL ? 'Redis AOF' : 'SQLite'}, Feishu): sent ${acknowledged.size + refused.length}, acknowledged ${acknowledged.size}, `
      + `recorded ${recorded} of them, duplicated ${doubled.length}, in flight at the kill and recorded ${inFlightRecorded}; `
      + `pending at restart ${pendingAtRestart}, resumed ${/resumed (\d+)/.exec(second.log())?.[1] ?? 0}`);
    expect(missing).toEqual([]);
    expect(doubled).toEqual([]);
  } finally {
    if (second.child.exitCode === null) second.child.kill('SIGKILL');
    await store.close();
    await api.close();
  }
}

describe('SIGKILL mid-burst, then a restart (Feishu)', () => {
  it('SQLite: every acknowledged message is recorded exactly once', async () => {
    const path = join(dir, 'crash.db');
    await crashRun({ SQLITE_PATH: path }, async () => createSqliteStore(path));
  }, 300_000);
});

describeRedis('SIGKILL mid-burst, then a restart (Feishu, Redis with AOF)', () => {
  it('Redis: every acknowledged message is recorded exactly once', async () => {
    const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
    servers.push(redis);
    await crashRun({ REDIS_URL: redis.url }, () => createRedisStore(redis.url));
  }, 300_000);
});

// The store fails (Redis stopped, the disk full): every command still gets an answer, in both languages, saying
// nothing was recorded; nothing is half-recorded; the log says so once per outage; when the store is back, the bot
// carries on without a restart.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../../src/store/redis.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { startPrivateRedis, type PrivateRedis } from '../../fakes/redis-server.ts';
import { describeRedis } from '../../fakes/redis.ts';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-slack-store-'));
const servers: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(dir, { recursive: true, force: true });
});

const NOT_TAKEN = '存储暂时不可用，本次命令没有被接收，也没有被记录';
const NOT_TAKEN_EN = 'this command was not taken and nothing was recorded';

async function eventTypes(store: Store, id: string): Promise<string[]> {
  return ((await store.load(id))?.events ?? []).map((e) => (e.event as { type: string }).type);
}

/** While the store is down: a slash command, an answer click and a mention, each answered and none recorded. */
async function duringOutage(h: Harness): Promise<void> {
  const d = h.slackDriver;
  const r = await d.commandLine('note 数据库切换');
  expect(r.status).toBe(200);
  expect(r.body).toContain(NOT_TAKEN); // the command's own answer: no store needed
  expect(r.body).toContain(NOT_TAKEN_EN);
  await d.commandLine('status');
  const told = () => h.api.ephemeralFor('U1').filter((m) => m.text.includes(NOT_TAKEN)).length;
  const clicked = await d.click(/网上银行/);
  expect(clicked.status).toBe(200);
  expect(told()).toBe(1); // through the question's response_url
  const mentioned = await d.mention('status');
  expect(mentioned.status).toBe(200);
  expect(told()).toBe(2); // chat.postEphemeral
  expect(h.logs.filter((l) => l.includes('cannot take commands'))).toHaveLength(1);
}

describeRedis('Slack, Redis stopped', () => {
  it('each command is answered "not recorded"; nothing is half-recorded; Redis back, the bot carries on', async () => {
    const redisDir = join(dir, 'redis');
    mkdirSync(redisDir);
    let redis = await startPrivateRedis(redisDir);
    servers.push(redis);
    const store = await createRedisStore(redis.url);
    const h = await startHarness({ mode: 'http', nowIso: '2026-11-30T10:00:00+08:00', store });
    try {
      await h.slackDriver.commandLine('new 网银中断');
      await h.slackDriver.commandLine('set occurredAt 2026-11-30T09:40+08:00');
      const id = /INC-\d{8}-\d\d/.exec(JSON.stringify(h.api.messages))![0];
      const before = await eventTypes(store, id);
      await redis.kill();
      await duringOutage(h);
      redis = await startPrivateRedis(redisDir, { port: redis.port }); // its append-only file: all it acknowledged
      servers.push(redis);
      for (let i = 0; i < 100 && !(await store.inboxPendingCount().then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await eventTypes(store, id)).toEqual(before); // nothing of the outage reached the ledger
      const after = await h.slackDriver.commandLine('note 数据库切换');
      expect(after.body ?? '').not.toContain(NOT_TAKEN);
      expect((await eventTypes(store, id)).length).toBe(before.length + 1);
      expect(h.logs.some((l) => l.includes('taking commands again'))).toBe(true);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

/** A small filesystem of our own, so the disk can really fill up (needs mount, i.e. root, as on the CI machine). */
function mountTmpfs(at: string): boolean {
  mkdirSync(at, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const fsDir = join(dir, 'small-disk');
const mounted = mountTmpfs(fsDir);
if (!mounted) console.warn('\n*** DISK-FULL TEST SKIPPED: cannot mount a tmpfs here (needs root) ***\n');
afterAll(() => { if (mounted) execFileSync('umount', ['-l', fsDir], { stdio: 'ignore' }); });

(mounted ? describe : describe.skip)('Slack, the disk full (SQLite on a 4 MB filesystem)', () => {
  it('each command is answered "not recorded"; nothing is half-recorded; space freed, the bot carries on', async () => {
    const store = createSqliteStore(join(fsDir, 'bot.db'));
    const h = await startHarness({ mode: 'http', nowIso: '2026-11-30T10:00:00+08:00', store });
    try {
      await h.slackDriver.commandLine('new 网银中断');
      await h.slackDriver.commandLine('set occurredAt 2026-11-30T09:40+08:00');
      const id = /INC-\d{8}-\d\d/.exec(JSON.stringify(h.api.messages))![0];
      const before = await eventTypes(store, id);
      // Fill what is left of the filesystem.
      const filler = join(fsDir, 'filler');
      try { execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' }); } catch { /* ENOSPC: full */ }
      await duringOutage(h);
      expect(await eventTypes(store, id)).toEqual(before);
      rmSync(filler); // space again
      const after = await h.slackDriver.commandLine('note 数据库切换');
      expect(after.body ?? '').not.toContain(NOT_TAKEN);
      expect((await eventTypes(store, id)).length).toBe(before.length + 1);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

describeRedis('Slack, Redis stops after a command was taken, before it ran', () => {
  it('the user is told it was not recorded, and it is never run later (forgotten once Redis is back)', async () => {
    const redisDir = join(dir, 'redis-mid');
    mkdirSync(redisDir);
    let redis = await startPrivateRedis(redisDir);
    servers.push(redis);
    const store = await createRedisStore(redis.url);
    const h = await startHarness({ mode: 'http', nowIso: '2026-11-30T10:00:00+08:00', store });
    try {
      const d = h.slackDriver;
      await d.commandLine('new 网银中断');
      const id = /INC-\d{8}-\d\d/.exec(JSON.stringify(h.api.messages))![0];
      const before = await eventTypes(store, id);
      // The channel's queue is held by a card that cannot be posted yet; the note waits behind it, already taken.
      const release = h.api.hold('chat.postMessage');
      expect((await d.send('command', d.slashPayload('status'))).status).toBe(200);
      expect((await d.send('command', d.slashPayload('note 数据库切换'))).status).toBe(200);
      expect(await store.inboxPendingCount()).toBe(2);
      await redis.kill();
      release();
      // The note runs with Redis down: answered "not recorded" (response_url needs no store).
      for (let i = 0; i < 100 && !h.api.ephemeralFor('U1').some((m) => m.text.includes('本次操作没有被记录')); i++) await new Promise((r) => setTimeout(r, 50));
      expect(h.api.ephemeralFor('U1').some((m) => m.text.includes('本次操作没有被记录'))).toBe(true);
      redis = await startPrivateRedis(redisDir, { port: redis.port });
      servers.push(redis);
      await h.slack.idle(); // the inbox keeps trying to forget it until Redis answers
      expect(await store.inboxPendingCount()).toBe(0); // nothing left to resume: it will not run behind the user's back
      expect(await eventTypes(store, id)).toEqual(before);
      expect(h.logs.some((l) => /could not mark inbox item .* forgotten/.test(l))).toBe(true);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createBot } from '../../src/bot.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { botConfig, FakeChat, FixedClock } from '../fakes/chat.ts';
import { describeRedis } from '../fakes/redis.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-redis-outage-'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A private redis-server that keeps its data in an append-only file, so a restart loses nothing. */
function startRedis(port: number): Promise<ChildProcess> {
  // The server runs on the machine's real clock: under `npm run test:clock` libfaketime (LD_PRELOAD) and Redis's
  // jemalloc deadlock each other, and the server's clock is not what this test is about.
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  delete env.FAKETIME;
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'], env });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('Ready to accept connections')) resolve(child); });
    child.on('error', reject);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); });
}

/** Retries until the bot answers without a storage error (the client reconnects with backoff). */
async function untilRecovered(chat: FakeChat, line: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = await chat.say(line);
    if (!text.includes('存储暂时不可用')) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bot never recovered');
}

let server: ChildProcess | null = null;
afterAll(async () => {
  if (server && server.exitCode === null) await stop(server);
  rmSync(dir, { recursive: true, force: true });
});

describeRedis('Redis stops mid-conversation', () => {
  it('the user is told nothing was recorded; when Redis returns the bot carries on without a restart, losing nothing', async () => {
    const port = await freePort();
    server = await startRedis(port);
    const store = await createRedisStore(`redis://127.0.0.1:${port}`, { prefix: 'outage:' });
    const clock = new FixedClock(Date.parse('2026-11-30T06:00:00Z'));
    const chat = new FakeChat(createBot({ store, config: botConfig(), now: clock.now }), store, clock);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-01');
    await chat.say('13:40').expectReply('受影响的人民银行业务领域网络');

    await stop(server);
    await chat.say('网上银行').expectError('存储暂时不可用，本次操作没有被记录');
    await chat.say('/incident status').expectError('存储暂时不可用');

    server = await startRedis(port);
    // The same answer again, now recorded; the question flow continues where it was.
    const text = await untilRecovered(chat, '网上银行');
    expect(text).toContain('主要功能');
    const stored = await store.load('INC-20261130-01');
    const paths = stored!.events.map((e) => (e.event as { path?: string }).path).filter(Boolean);
    expect(paths).toEqual(['occurredAt', 'networks.0.ref']);
    await store.close();
  });
});


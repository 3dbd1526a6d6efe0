import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createBot } from '../../src/bot.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { botConfig, FakeChat, FixedClock } from '../fakes/chat.ts';
import { describeRedis } from '../fakes/redis.ts';
import { startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-redis-outage-'));

/** Retries until the bot answers without a storage error (the client reconnects with backoff). */
async function untilRecovered(chat: FakeChat, line: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = await chat.say(line);
    if (!text.includes('存储暂时不可用')) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bot never recovered');
}

let server: PrivateRedis | null = null;
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describeRedis('Redis stops mid-conversation', () => {
  it('the user is told nothing was recorded; when Redis returns the bot carries on without a restart, losing nothing', async () => {
    server = await startPrivateRedis(dir); // an append-only file: a restart loses nothing it acknowledged
    const { port } = server;
    const store = await createRedisStore(server.url, { prefix: 'outage:' });
    const clock = new FixedClock(Date.parse('2026-11-30T06:00:00Z'));
    const chat = new FakeChat(createBot({ store, config: botConfig(), now: clock.now }), store, clock);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-01');
    await chat.say('13:40').expectReply('受影响的人民银行业务领域网络');

    await server.kill();
    await chat.say('网上银行').expectError('存储暂时不可用，本次操作没有被记录');
    await chat.say('/incident status').expectError('存储暂时不可用');

    server = await startPrivateRedis(dir, { port });
    // The same answer again, now recorded; the question flow continues where it was.
    const text = await untilRecovered(chat, '网上银行');
    expect(text).toContain('主要功能');
    const stored = await store.load('INC-20261130-01');
    const paths = stored!.events.map((e) => (e.event as { path?: string }).path).filter(Boolean);
    expect(paths).toEqual(['occurredAt', 'networks.0.ref']);
    await store.close();
  });
});


// A command resumed from the inbox after a restart is recorded as of when it was received, says so, and is
// recorded once however often it is run again.
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { botConfig, FixedClock } from '../fakes/chat.ts';

describe('a command resumed after a restart', () => {
  it('is recorded at its receipt time, tells the user, and a second run records nothing', async () => {
    const store = createSqliteStore(':memory:');
    const clock = new FixedClock(Date.parse('2026-11-30T02:40:00Z')); // 10:40 Beijing: the bot is back
    const bot = createBot({ store, config: botConfig(), now: clock.now });
    const receivedAtMs = Date.parse('2026-11-30T02:00:00Z'); // 10:00: when Slack delivered it, before the crash
    const input = { kind: 'command' as const, text: 'new 核心系统中断', user: 'slack:U1', conversation: 'slack:T1:C1', onceKey: 'slack:cmd:1', receivedAtMs };
    const replies = await bot.handle(input);
    const text = replies.map((r) => ('text' in r ? r.text : '')).join('\n');
    expect(text).toContain('此命令于 2026-11-30 10:00（北京时间）收到');
    const [meta] = await store.listOpen();
    expect(meta!.createdAtMs).toBe(receivedAtMs);
    const again = await bot.handle(input);
    expect(again.map((r) => ('text' in r ? r.text : '')).join('\n')).toContain('该命令已在机器人重启前记录');
    expect(await store.listOpen()).toHaveLength(1);
    // Fresh commands say nothing of the kind.
    const fresh = await bot.handle({ ...input, text: 'status', onceKey: 'slack:cmd:2', receivedAtMs: clock.now() });
    expect(fresh.map((r) => ('text' in r ? r.text : '')).join('\n')).not.toContain('收到，机器人重启后');
    await store.close();
  });
});

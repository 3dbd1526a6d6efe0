import { afterAll, describe, expect, it } from 'vitest';
import { loadIncident } from '../../src/incident/stored.ts';
import { createTicker } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';
import { RecordingSender } from '../fakes/sender.ts';
import { seedRansomwareIncident } from '../fakes/seed.ts';

const config = botConfig();

describe('ticker after downtime, and with a failing platform', () => {
  it('sends the latest missed step once, marked late, then carries on: no burst of stale pings', async () => {
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00');
    await chat.say('/incident new 勒索');
    await chat.say('/incident set ransomwareHarm 是'); // 较大 at 09:00: brief due 10:00
    // The bot is down from 09:00 to 10:50: T-30, T-10 and the ladder's E1 (10:00), E2 (10:30) all fell due unsent.
    chat.clock.set('2026-11-30T10:50:00+08:00');
    const sender = new RecordingSender(chat.clock.now);
    const restarted = createTicker({ store: chat.store, config, sender, now: chat.clock.now });
    await restarted.tick();
    await restarted.tick();
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.text).toContain('事发简要报告已逾期 50分钟');
    expect(sender.sent[0]!.text).toContain('补发：机器人停机期间错过的提醒');
    expect(sender.sent[0]!.text).toContain('升级至分管领导');
    chat.clock.set('2026-11-30T12:00:00+08:00'); // the ladder's third rung, on time
    await restarted.tick();
    expect(sender.sent).toHaveLength(2);
    expect(sender.lines().at(-1)).toMatch(/^11-30 12:00 ‼ .*已逾期 2小时/);
    expect(sender.sent.at(-1)!.text).not.toContain('补发');
  });

  it('a failing send is released and retried with backoff: delivered once, recorded once', async () => {
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00');
    await chat.say('/incident new 勒索');
    await chat.say('/incident set ransomwareHarm 是');
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config, sender, now: chat.clock.now });
    chat.clock.set('2026-11-30T09:30:00+08:00');
    sender.failNext = 2;
    const first = await ticker.tick();
    expect(first.failed).toEqual(['INC-20261130-01:brief:T-30']);
    chat.clock.ms += 5_000; // inside the 15 s backoff: not retried yet
    expect((await ticker.tick()).failed).toEqual([]);
    chat.clock.ms += 15_000;
    expect((await ticker.tick()).failed).toEqual(['INC-20261130-01:brief:T-30']); // second failure, 30 s backoff
    chat.clock.ms += 30_000;
    const ok = await ticker.tick();
    expect(ok.sent.map((r) => r.key)).toEqual(['INC-20261130-01:brief:T-30']);
    chat.clock.ms += 60_000;
    await ticker.tick();
    expect(sender.sent).toHaveLength(1);
    const s = await loadIncident(chat.store, 'INC-20261130-01');
    expect(s!.remindersSent).toEqual(['INC-20261130-01:brief:T-30']);
  });
});

describeRedis('two tickers on one real Redis', () => {
  const prefix = uniquePrefix('tickers');
  afterAll(() => deleteKeys(prefix));

  it('500 reminders due at once: every one sent exactly once across both', async () => {
    const t0 = parseIso('2026-11-30T09:00:00+08:00');
    const seeder = await createRedisStore(url, { prefix });
    for (let i = 0; i < 500; i++) {
      const id = `INC-20261130-${String(i + 1).padStart(3, '0')}`;
      await seedRansomwareIncident(seeder, config, { id, title: `勒索 ${id}`, conversation: `slack:T1:C${id}`, at: t0, actor: 'seed' });
    }
    await seeder.close();

    let nowMs = t0 + 30 * 60_000; // every brief report's T-30 step is due
    const now = () => nowMs;
    const [a, b] = [await createRedisStore(url, { prefix }), await createRedisStore(url, { prefix })];
    const [sa, sb] = [new RecordingSender(now), new RecordingSender(now)];
    const ta = createTicker({ store: a, config, sender: sa, now, batch: 1000 });
    const tb = createTicker({ store: b, config, sender: sb, now, batch: 1000 });
    await Promise.all([ta.tick(), tb.tick()]);
    nowMs += 1000; // anything left for a later tick is picked up, still once
    await Promise.all([ta.tick(), tb.tick()]);

    const keys = [...sa.sent, ...sb.sent].map((m) => `${m.incidentId}|${m.text.split('\n')[0]}`);
    expect(keys).toHaveLength(500);
    expect(new Set(keys).size).toBe(500);
    expect(sa.sent.length).toBeGreaterThan(0);
    expect(sb.sent.length).toBeGreaterThan(0);
    const one = await loadIncident(a, 'INC-20261130-250');
    expect(one!.remindersSent).toEqual(['INC-20261130-250:brief:T-30']);
    await Promise.all([a.close(), b.close()]);
  });
});

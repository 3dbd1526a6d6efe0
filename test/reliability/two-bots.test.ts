import { afterAll, expect, it } from 'vitest';
import { createBot } from '../../src/bot.ts';
import { createTicker } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { botConfig, FakeChat, FixedClock } from '../fakes/chat.ts';
import { openCoreOutage } from '../fakes/incidents.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';
import { RecordingSender } from '../fakes/sender.ts';

describeRedis('two bot replicas on one Redis during a full incident', () => {
  const prefix = uniquePrefix('replicas');
  afterAll(() => deleteKeys(prefix));

  it('no duplicated reminder, no lost event, whichever replica takes each message', async () => {
    const config = botConfig();
    const clock = new FixedClock(parseIso('2026-11-30T09:05:00+08:00'));
    const [sa, sb] = [await createRedisStore(url, { prefix }), await createRedisStore(url, { prefix })];
    // Two commanders, each routed to a different replica, in the same channel.
    const alice = new FakeChat(createBot({ store: sa, config, now: clock.now }), sa, clock, 'slack:T1:C1', 'slack:U_ALICE');
    const bob = new FakeChat(createBot({ store: sb, config, now: clock.now }), sb, clock, 'slack:T1:C1', 'slack:U_BOB');
    const [ra, rb] = [new RecordingSender(clock.now), new RecordingSender(clock.now)];
    const ta = createTicker({ store: sa, config, sender: ra, now: clock.now });
    const tb = createTicker({ store: sb, config, sender: rb, now: clock.now });
    const runUntil = async (iso: string) => {
      const end = parseIso(iso);
      while (clock.ms < end) {
        clock.ms = Math.min(end, clock.ms + 60_000);
        await Promise.all([ta.tick(), tb.tick()]);
      }
    };

    await openCoreOutage(alice);
    // Bob works on the same incident through the other replica, at the same moments as Alice.
    await Promise.all([bob.say('/incident set 自然人 20万'), alice.say('/incident set 法人 6000')]);
    await runUntil('2026-11-30T10:08:00+08:00');
    await bob.say('/incident report brief via email');
    await runUntil('2026-11-30T10:28:00+08:00');
    await alice.say('/incident confirm R1 by phone contact 张三');
    await runUntil('2026-11-30T10:40:00+08:00');
    await bob.say('/incident report immediate via phone');
    await runUntil('2026-11-30T12:45:00+08:00');

    const posts = [...ra.sent, ...rb.sent].map((m) => `${m.atMs}|${m.text.split('\n')[0]}`);
    expect(posts.length).toBeGreaterThanOrEqual(7);
    expect(new Set(posts).size).toBe(posts.length);
    const events = (await sa.load('INC-20261130-01'))!.events.map((e) => e.event as IncidentEvent);
    expect(events.map((e) => e.type === 'fact-set' && e.path).filter(Boolean)).toEqual(expect.arrayContaining(['networks.0.affectedNaturalPersons', 'networks.0.affectedOrganizations']));
    expect(events.filter((e) => e.type === 'report-submitted').map((e) => e.actor)).toEqual(['slack:U_BOB', 'slack:U_BOB']);
    expect(events.filter((e) => e.type === 'receipt-confirmed').map((e) => e.actor)).toEqual(['slack:U_ALICE']);
    const sentKeys = events.filter((e) => e.type === 'reminder-sent').map((e) => e.type === 'reminder-sent' && e.key);
    expect(new Set(sentKeys).size).toBe(sentKeys.length);
    await Promise.all([sa.close(), sb.close()]);
  });
});

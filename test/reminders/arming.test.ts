// The ticker wakes at the earliest indexed due time, not only on its periodic pass, and hears of wake-ups set
// by other replicas through the store's notice. Time is a FixedClock; the ticker's timers are driven by the test.
import { afterAll, describe, expect, it } from 'vitest';
import { createTicker } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig, FakeChat, FixedClock } from '../fakes/chat.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';
import { RecordingSender } from '../fakes/sender.ts';
import { ManualTimers } from '../fakes/timers.ts';

const at = (hhmmss: string) => parseIso(`2026-11-30T${hhmmss}+08:00`);
const config = botConfig();

function replica(store: Store, clock: FixedClock) {
  const sender = new RecordingSender(clock.now);
  const timers = new ManualTimers(clock);
  const ticker = createTicker({ store, config, sender, now: clock.now, timers });
  return { sender, timers, ticker };
}

/** Opens a ransomware incident at the clock's time: 较大 at once, so the brief report is due 1 h later and
 *  its first reminder ("30 minutes left") 30 minutes later. */
async function ransomware(chat: FakeChat): Promise<void> {
  await chat.say('/incident new 勒索软件');
  await chat.say('/incident set ransomwareHarm 是');
}

describe('the ticker arms itself at the next due reminder', () => {
  it('posts a reminder on its due second, between two periodic passes, then falls back to the periodic pass', async () => {
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00', { config });
    await ransomware(chat);
    chat.clock.ms = at('09:29:52') + 700; // 7.3 s before the reminder: a 15 s pass alone would post it 7.7 s late
    const r = replica(chat.store, chat.clock);
    await r.ticker.start(15_000);
    expect(r.timers.nextAt).toBe(at('09:30:00'));
    const next = await r.timers.fireNext();
    expect(r.sender.sent.map((m) => m.atMs)).toEqual([at('09:30:00')]);
    expect(r.sender.sent[0]!.text).toMatch(/事发简要报告截止 2026-11-30 10:00.*还剩 30分钟/);
    expect(next).toBe(at('09:30:15')); // the next reminder is 20 min away: the periodic pass comes first
    await r.ticker.stop();
  });

  it('re-arms when the bot indexes an earlier wake-up than the one armed (same process, SQLite)', async () => {
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00', { config });
    const r = replica(chat.store, chat.clock);
    await r.ticker.start(3_600_000); // an hourly safety net: only the notice can bring the pass forward
    expect(r.timers.nextAt).toBe(at('10:00:00'));
    await ransomware(chat);
    await r.timers.armedAt(at('09:30:00'));
    await r.timers.fireNext();
    expect(r.sender.sent.map((m) => m.atMs)).toEqual([at('09:30:00')]);
    await r.ticker.stop();
  });

  it('after stop() nothing is armed and a notice arms nothing', async () => {
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00', { config });
    const r = replica(chat.store, chat.clock);
    await r.ticker.start(15_000);
    await r.ticker.stop();
    expect(r.timers.nextAt).toBeNull();
    await ransomware(chat);
    await chat.store.setWake('INC-x', at('09:00:05'));
    await Promise.resolve();
    expect(r.timers.nextAt).toBeNull();
  });
});

describeRedis('two replicas on Redis: the wake-up notice', () => {
  const prefix = uniquePrefix('arming');
  afterAll(() => deleteKeys(prefix));

  it('replica B learns of a wake-up written by A through the notice, and the reminder goes out once', async () => {
    const clock = new FixedClock(at('09:00:00'));
    const [sa, sb] = [await createRedisStore(url, { prefix }), await createRedisStore(url, { prefix })];
    const a = replica(sa, clock);
    const b = replica(sb, clock);
    await Promise.all([a.ticker.start(3_600_000), b.ticker.start(3_600_000)]);
    expect(b.timers.nextAt).toBe(at('10:00:00')); // nothing indexed yet: the hourly pass
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00', { config, store: sa }); // users talk to replica A only
    chat.clock.ms = clock.ms;
    await ransomware(chat);
    await b.timers.armedAt(at('09:30:00')); // B never read the index since it started: this came by the notice
    await a.timers.armedAt(at('09:30:00'));
    // Both wake at 09:30:00 and race for the reminder's claim.
    await Promise.all([b.timers.fireNext(), a.timers.fireNext()]);
    const posts = [...a.sender.sent, ...b.sender.sent];
    expect(posts.map((m) => m.atMs)).toEqual([at('09:30:00')]);
    expect(posts[0]!.text).toMatch(/还剩 30分钟/);
    await Promise.all([a.ticker.stop(), b.ticker.stop()]);
    await Promise.all([sa.close(), sb.close()]);
  });
});

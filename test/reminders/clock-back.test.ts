// After the clock is set back, no reminder step older than one already sent for the same obligation goes out.
import { describe, expect, it } from 'vitest';
import { loadIncident } from '../../src/incident/stored.ts';
import { createTicker } from '../../src/reminders/ticker.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { RecordingSender } from '../fakes/sender.ts';

describe('the clock goes backwards', () => {
  it('a step older than one already sent for the same obligation is never sent; the ledger holds only what went out', async () => {
    const config = botConfig();
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00', { config });
    await chat.say('/incident new 勒索');
    await chat.say('/incident set ransomwareHarm 是'); // 较大 at 09:00: the brief report is due at 10:00
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config, sender, now: chat.clock.now });
    chat.clock.set('2026-11-30T09:30:00+08:00');
    await ticker.tick(); // T-30
    chat.clock.set('2026-11-30T10:16:00+08:00');
    await ticker.tick(); // the ladder's first rung E1 at 10:00 (T-10 was missed, superseded)
    expect(sender.lines().map((l) => l.slice(0, 11))).toEqual(['11-30 09:30', '11-30 10:16']);

    // The clock is set back 40 minutes: T-10 (09:50) now looks due and unsent, but E1 (10:00) went out.
    for (const iso of ['2026-11-30T09:36:00+08:00', '2026-11-30T09:51:00+08:00', '2026-11-30T10:00:00+08:00', '2026-11-30T10:14:00+08:00']) {
      chat.clock.set(iso);
      await ticker.reindex(); // as a restart, or the periodic reindex, does: the wake index follows the corrected clock
      await ticker.tick();
    }
    expect(sender.sent).toHaveLength(2);

    // Time catches up: the next rung (E2, 30 minutes overdue) goes out as usual.
    chat.clock.set('2026-11-30T10:31:00+08:00');
    await ticker.tick();
    expect(sender.sent).toHaveLength(3);
    expect(sender.sent.at(-1)!.text).toContain('已逾期');
    const s = await loadIncident(chat.store, 'INC-20261130-01');
    expect(s!.remindersSent).toEqual(['INC-20261130-01:brief:T-30', 'INC-20261130-01:brief:E1', 'INC-20261130-01:brief:E2']);
  });
});

// A restart in the minute a reminder falls due, on a real SQLite file: the reminder the first process posted is not
// posted again by the next one, whether it restarts within the same minute or the next (a receipt confirmation's
// reminder was once posted at 15:49 and again at 15:50).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.ts';
import { loadIncident } from '../../src/incident/stored.ts';
import { createTicker } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { botConfig, FixedClock } from '../fakes/chat.ts';
import { RecordingSender } from '../fakes/sender.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = botConfig();

describe('a restart at a reminder\'s due minute (SQLite file)', () => {
  it('the receipt-confirmation reminder goes out once across restarts in its due minute and the next; its next rung once too', async () => {
    const file = join(dir, 'ledger.db');
    const clock = new FixedClock(parseIso('2026-11-30T15:24:30+08:00'));
    const first = createSqliteStore(file);
    const bot = createBot({ store: first, config, now: clock.now });
    const say = (text: string) => bot.handle({ kind: 'command', text, user: 'console:alice', conversation: 'console:ops' });
    await say('new 勒索');
    await say('set ransomwareHarm 是'); // 较大 at 15:24:30: the brief is due 16:24:30
    await say('report brief via email contact 王五'); // R1 by email: its receipt confirmation falls due at 15:34:30
    const posted = new RecordingSender(clock.now);
    const a = createTicker({ store: first, config, sender: posted, now: clock.now });
    await a.reindex();
    clock.set('2026-11-30T15:34:30+08:00'); // the confirmation's due minute
    await a.tick();
    expect(posted.sent.map((m) => m.key)).toEqual(['INC-20261130-01:confirm:R1:E1']);
    await a.stop();
    await first.close();

    // The next process, in the same minute and the minute after: start-up reindex and pass, as adapters/main.ts does.
    for (const iso of ['2026-11-30T15:34:50+08:00', '2026-11-30T15:35:10+08:00']) {
      clock.set(iso);
      const store = createSqliteStore(file);
      const b = createTicker({ store, config, sender: posted, now: clock.now });
      await b.reindex();
      await b.tick();
      await b.tick();
      await b.stop();
      await store.close();
    }
    expect(posted.sent).toHaveLength(1);

    // The next rung, 30 minutes later, goes out once, after one more restart.
    clock.set('2026-11-30T16:04:30+08:00');
    const store = createSqliteStore(file);
    const c = createTicker({ store, config, sender: posted, now: clock.now });
    await c.reindex();
    await c.tick();
    await c.tick();
    expect(posted.sent.map((m) => m.key)).toEqual(['INC-20261130-01:confirm:R1:E1', 'INC-20261130-01:confirm:R1:E2']);
    expect((await loadIncident(store, 'INC-20261130-01'))!.remindersSent).toEqual(['INC-20261130-01:confirm:R1:E1', 'INC-20261130-01:confirm:R1:E2']);
    await c.stop();
    await store.close();
  });
});

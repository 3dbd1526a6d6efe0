// The per-incident read model: what it serves is always what a fresh build would give at that moment and log version.
// Cards are reused between minute ticks; here every 7 s over three hours (deadlines falling due and overdue, an email
// submission waiting) the reused card equals a fresh one, and a second store instance's append is seen at once.
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { createReadModel } from '../../../src/web/read-model.ts';
import { nowIncident } from '../../../src/web/model.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeChat } from '../../fakes/chat.ts';
import { WALKTHROUGH } from './harness.ts';

describe('web read model', () => {
  it('serves, at every moment, the card a fresh build would; another instance\'s append shows on the next read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pboc-readmodel-'));
    const path = join(dir, 'x.db');
    const writer = createSqliteStore(path);
    const reader = createSqliteStore(path); // another replica's connection to the same ledger
    try {
      const chat = await FakeChat.start('2026-11-30T09:00:00+08:00', { store: writer });
      await chat.say('/incident new 网上银行登录失败');
      await chat.answers(...WALKTHROUGH);
      const config = (await import('../../fakes/chat.ts')).botConfig();
      const model = createReadModel(reader, config.assess);
      const id = 'INC-20261130-01';
      const sweep = async (fromMs: number, hours: number) => {
        for (let t = fromMs; t < fromMs + hours * 3_600_000; t += 7_000) {
          const v = (await model.get(id, t))!;
          expect(model.card(v, t, 'zh-CN', config), new Date(t).toISOString()).toEqual(nowIncident(v.state, t, 'zh-CN', config).entry);
        }
      };
      await sweep(chat.clock.ms, 2); // the brief report falls due, then is overdue
      expect(model.card((await model.get(id, chat.clock.ms + 2 * 3_600_000))!, chat.clock.ms + 2 * 3_600_000, 'zh-CN', config).card.deadlines.find((d) => d.kind === 'brief')?.status).toBe('overdue');
      chat.clock.advanceMinutes(7);
      await chat.say('/incident report brief via email');
      let before = (await model.get(id, chat.clock.ms))!;
      expect(before.awaiting).toBe(1);
      await sweep(chat.clock.ms, 1); // an email submission waiting for its confirmation
      expect(model.stats().hits).toBeGreaterThan(1000); // the log did not change: the fold was reused
      await chat.say('/incident confirm R1 by phone contact 张三'); // through the writer
      const after = (await model.get(id, chat.clock.ms))!;
      expect(after.version).toBeGreaterThan(before.version);
      expect(after.awaiting).toBe(0);
      before = after;
      expect(model.card(after, chat.clock.ms, 'zh-CN', config).awaitingKinds).toEqual([]);
    } finally {
      await writer.close();
      await reader.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('restart mid-incident', () => {
  it('reopening the SQLite file keeps the incident, its reports and the open question', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pboc-restart-'));
    dirs.push(dir);
    const path = join(dir, 'bot.db');
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00', { store: createSqliteStore(path) });
    await chat.say('/incident new 网银中断');
    await chat.answers('13:40', '网上银行', '是', '13:40', '尚未恢复', '85%', '1');
    await chat.say('12万').expectReply('较大（三级）');
    await chat.say('/incident report brief via email').expectReply('已记录 R1');
    const before = await chat.store.load('INC-20261130-01');
    await chat.store.close();

    const store = createSqliteStore(path);
    const again = new FakeChat(createBot({ store, config: botConfig(), now: chat.clock.now }), store, chat.clock);
    expect((await store.load('INC-20261130-01'))!.events).toEqual(before!.events);
    const status = await again.say('/incident status').expectReply('较大（三级）');
    expect(status).toContain('R1 事发简要报告（电子邮件，2026-11-30 14:00 发出）待电话或即时通信工具确认收悉');
    // The question that was open before the restart is still the one an answer goes to.
    await again.say('800').expectReply(/核心数据/);
    await store.close();
  });
});

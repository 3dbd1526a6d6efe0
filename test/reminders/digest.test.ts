import { describe, expect, it } from 'vitest';
import { createTicker } from '../../src/reminders/ticker.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { RecordingSender } from '../fakes/sender.ts';

describe('daily digest (optional, configured conversation)', () => {
  it('once each working day at 09:00: what falls due in the next 24 hours, earliest first; nothing on a weekend', async () => {
    const config = botConfig();
    const chat = await FakeChat.start('2026-11-27T17:00:00+08:00'); // a Friday
    await chat.say('/incident new 勒索');
    await chat.say('/incident set ransomwareHarm 是'); // brief 18:00 Fri, incident report 17:00 Sat
    await chat.say('/incident report brief via email');
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config, sender, now: chat.clock.now, digest: { conversation: 'slack:T1:CDIGEST', at: '09:00' } });
    const digests = () => sender.sent.filter((m) => m.conversation === 'slack:T1:CDIGEST');

    chat.clock.set('2026-11-28T09:30:00+08:00'); // Saturday: not a working day
    await ticker.tick();
    expect(digests()).toHaveLength(0);

    chat.clock.set('2026-11-30T08:59:00+08:00'); // Monday, before 09:00
    await ticker.tick();
    expect(digests()).toHaveLength(0);
    chat.clock.set('2026-11-30T09:00:00+08:00');
    await ticker.tick();
    chat.clock.set('2026-11-30T09:01:00+08:00');
    await ticker.tick();
    expect(digests()).toHaveLength(1);
    const text = digests()[0]!.text;
    expect(text).toContain('📋 2026-11-30 未来24小时到期及逾期的报告义务（共2项）');
    expect(text.split('\n').slice(1)).toEqual([
      '• INC-20261127-01 R1（电子邮件，2026-11-27 17:00 发出）待确认收悉',
      '• INC-20261127-01 勒索（较大）事发报告：2026-11-28 17:00，已逾期 40小时',
      '逐项知悉：/incident ack <义务> <事件编号>（至下一升级前暂停提醒，不视为已报送）',
    ]);
  });
  it('the institution-wide digest and a conversation\'s own digest slot at the same time are one post there', async () => {
    const chat = await FakeChat.start('2026-11-27T17:00:00+08:00', { config: botConfig() }); // a Friday; the chat is console:test
    await chat.say('/incident new 勒索');
    await chat.say('/incident set ransomwareHarm 是');
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config: botConfig(), sender, now: chat.clock.now, digest: { conversation: 'console:test', at: '09:00' } });
    const end = Date.parse('2026-11-30T09:30:00+08:00');
    while (chat.clock.ms < end) {
      chat.clock.ms = Math.min(end, chat.clock.ms + 5 * 60_000);
      await ticker.tick();
    }
    expect(sender.sent.filter((m) => m.text.startsWith('📋') && m.atMs === Date.parse('2026-11-30T09:00:00+08:00'))).toHaveLength(1);
  });
});

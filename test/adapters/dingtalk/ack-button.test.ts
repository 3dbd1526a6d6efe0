// With a card template (DINGTALK_CARD_TEMPLATE_ID), a reminder on DingTalk is a card whose one button acknowledges it;
// a click runs `/incident ack …` as the clicker through the card callback → inbox → bot path: the log records who and
// when, the card says so, and the obligation is quiet until the next rung. The real dingtalk-stream SDK against the
// fake DingTalk on loopback, real bot and SQLite, a fixed clock.
import { TOPIC_CARD } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { cardCallback } from '../../fakes/dingtalk-events.ts';
import { DingtalkUser, Harness, optionsOf, TEMPLATE, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const acks = async (harness: Harness) => (await harness.store.load('INC-20261130-01'))!.events.map((e) => e.event as IncidentEvent).filter((e) => e.type === 'reminder-acked');

describe('DingTalk: a reminder\'s acknowledge button', () => {
  it('records the clicker and the time, says so on the card, quiets the obligation until the next rung, and counts a second click once', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00', env: { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE }, config: botConfig({ responsible: ['dingtalk:staff_commander'] }) });
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 勒索');
    await alice.say('/incident set ransomwareHarm 是'); // the brief report is due at 10:00
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    const reminder = h.api.last();
    expect(reminder).toMatchObject({ op: 'card', atUserIds: { staff_commander: 'staff_commander' } });
    expect(textOf(reminder)).toContain('升级至值班负责人');
    expect(optionsOf(reminder.content as Record<string, string>)).toEqual([{ label: '知悉', value: 'ack' }]); // no command, no user text

    h.clock.set('2026-11-30T10:07:00+08:00');
    const bob = new DingtalkUser(h, 'staff_bob');
    const said = await bob.click('知悉');
    await h.app.idle();
    expect(await acks(h)).toEqual([expect.objectContaining({ obligation: 'brief', step: 'E1', actor: 'dingtalk:staff_bob', at: Date.parse('2026-11-30T10:07:00+08:00') })]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ op: 'update', target: reminder.outTrackId });
    expect((said[0]!.content as Record<string, string>).answered).toMatch(/^✓ 已记录：dingtalk:staff_bob 于 2026-11-30 10:07.*知悉“事发简要报告”的提醒/);

    // The same person again (a double click, a re-delivered frame): one acknowledgement, nothing more sent.
    const again = await Promise.all([
      h.api.pushCallback(TOPIC_CARD, cardCallback({ outTrackId: reminder.outTrackId!, userId: 'staff_bob', params: { value: 'ack' } }), 'frame-x'),
      h.api.pushCallback(TOPIC_CARD, cardCallback({ outTrackId: reminder.outTrackId!, userId: 'staff_bob', params: { value: 'ack' } }), 'frame-y'),
    ]);
    await h.app.idle();
    expect(again.map((a) => a.code)).toEqual([200, 200]);
    expect(await acks(h)).toHaveLength(1);

    const overdue = () => h!.api.sent.filter((m) => m.op === 'card' && textOf(m).includes('事发简要报告已逾期')).length;
    const posted = overdue();
    h.clock.set('2026-11-30T10:29:00+08:00');
    await ticker.tick();
    expect(overdue()).toBe(posted); // quiet until the next rung
    h.clock.set('2026-11-30T10:30:00+08:00');
    await ticker.tick();
    expect(overdue()).toBe(posted + 1); // the next rung (分管领导) is not quieted
  });

  it('in English after /incident lang en: the button and its answer', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00', env: { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE } });
    const alice = new DingtalkUser(h);
    await alice.say('/incident lang en');
    await alice.say('/incident new ransomware');
    await alice.say('/incident set ransomwareHarm yes');
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    await ticker.tick();
    const reminder = h.api.last();
    expect(textOf(reminder)).toContain('brief report');
    expect(optionsOf(reminder.content as Record<string, string>)).toEqual([{ label: 'Acknowledge', value: 'ack' }]);
    const said = await alice.click('Acknowledge');
    expect((said[0]!.content as Record<string, string>).answered).toContain('acknowledged the reminder of the brief report');
  });

  it('a typed value or any other value on a reminder card runs nothing', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00', env: { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE } });
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 勒索');
    await alice.say('/incident set ransomwareHarm 是');
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    await ticker.tick();
    const reminder = h.api.last();
    const count = async () => (await h!.store.load('INC-20261130-01'))!.events.length;
    const before = await count();
    expect(await alice.callback({ outTrackId: reminder.outTrackId!, params: { value: 'resolve' } })).toEqual([]);
    expect(await alice.callback({ outTrackId: reminder.outTrackId!, params: { answer: 'ack' } })).toEqual([]);
    await h.app.idle();
    expect(await count()).toBe(before);
  });

  it('without a card template a reminder stays text, with the ack command printed to type', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00' });
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 勒索');
    await alice.say('/incident set ransomwareHarm 是');
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    await ticker.tick();
    expect(h.api.last().op).toBe('group');
    expect(textOf(h.api.last())).toContain('/incident ack brief INC-20261130-01');
  });
});

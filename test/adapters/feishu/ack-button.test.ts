// A reminder on Feishu is a card with an acknowledge button; a click runs `/incident ack …` as the clicker through the
// card callback → inbox → bot path: the log records who and when, and the obligation is quiet until the next rung.
// Real SDK against the fake open API on loopback, real bot and SQLite, a fixed clock.
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { cardActionEvent } from '../../fakes/feishu-events.ts';
import { CREDS, FeishuUser, Harness, buttonsOf, cardText, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const acks = async (harness: Harness) => (await harness.store.load('INC-20261130-01'))!.events.map((e) => e.event as IncidentEvent).filter((e) => e.type === 'reminder-acked');

describe('Feishu: a reminder\'s acknowledge button', () => {
  for (const mode of ['http', 'ws'] as const) {
    it(`${mode}: records the clicker and the time, quiets the obligation until the next rung, and counts a second click once`, async () => {
      h = await Harness.start({ mode, nowIso: '2026-11-30T09:00:00+08:00', config: botConfig({ responsible: ['ou_commander', '王五'] }) });
      const alice = new FeishuUser(h);
      await alice.say('/incident new 勒索');
      await alice.say('/incident set ransomwareHarm 是'); // the brief report is due at 10:00
      const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
      h.clock.set('2026-11-30T10:00:00+08:00');
      expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
      const reminder = h.api.last();
      expect(reminder.msgType).toBe('interactive');
      expect(textOf(reminder)).toContain('升级至值班负责人');
      expect(JSON.stringify(reminder.content)).toContain('<at id=ou_commander></at>'); // still a real mention
      expect(buttonsOf(reminder.content)).toEqual([{ label: '知悉', value: { kind: 'ack', command: 'ack brief INC-20261130-01' }, submit: false }]);

      h.clock.set('2026-11-30T10:07:00+08:00');
      const bob = new FeishuUser(h, 'ou_bob');
      const before = h.api.sent.length;
      const answer = await bob.click('知悉');
      await h.app.idle();
      expect(answer.toast).toMatchObject({ type: 'success', content: expect.stringContaining('知悉“事发简要报告”的提醒') });
      expect(answer.card).toBeUndefined(); // the reminder keeps its button, for the others
      expect(await acks(h)).toEqual([expect.objectContaining({ obligation: 'brief', step: 'E1', actor: 'feishu:ou_bob', at: Date.parse('2026-11-30T10:07:00+08:00') })]);
      const said = h.api.sent.slice(before);
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ op: 'reply', target: reminder.messageId });
      expect(cardText(said[0]!.content)).toContain('知悉“事发简要报告”的提醒');

      // The same person clicking again (a new event id): counted once, nothing more recorded or posted.
      const again = await bob.click('知悉');
      await h.app.idle();
      expect(again.toast).toEqual({ type: 'info', content: '已处理' });
      expect(await acks(h)).toHaveLength(1);
      expect(h.api.sent.length).toBe(before + 1);

      const overdue = () => h!.api.sent.filter((m) => textOf(m).includes('事发简要报告已逾期')).length;
      const posted = overdue();
      h.clock.set('2026-11-30T10:29:00+08:00');
      await ticker.tick();
      expect(overdue()).toBe(posted); // quiet until the next rung
      h.clock.set('2026-11-30T10:30:00+08:00');
      await ticker.tick();
      expect(overdue()).toBe(posted + 1); // the next rung (分管领导) is not quieted
    });
  }

  it('in English after /incident lang en: the button and its answer', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00' });
    const alice = new FeishuUser(h);
    await alice.say('/incident lang en');
    await alice.say('/incident new ransomware');
    await alice.say('/incident set ransomwareHarm yes');
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    await ticker.tick();
    expect(textOf(h.api.last())).toContain('brief report');
    expect(buttonsOf(h.api.last().content).map((b) => b.label)).toEqual(['Acknowledge']);
    const answer = await alice.click('Acknowledge');
    expect(answer.toast).toMatchObject({ type: 'success', content: expect.stringContaining('acknowledged the reminder of the brief report') });
  });

  it('a button value other than the ticker\'s ack command runs nothing', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00' });
    const alice = new FeishuUser(h);
    await alice.say('/incident new 勒索');
    const before = (await h.store.load('INC-20261130-01'))!.events.length;
    for (const command of ['resolve INC-20261130-01', 'ack brief INC-20261130-01\nresolve', 'ack <at id=all></at> INC-20261130-01']) {
      const answer = await alice.callback(cardActionEvent({ token: CREDS.token, value: { kind: 'ack', command }, messageId: 'om_x', chatId: alice.chatId, openId: alice.openId }));
      expect(answer).toEqual({});
    }
    await h.app.idle();
    expect((await h.store.load('INC-20261130-01'))!.events.length).toBe(before);
  });
});

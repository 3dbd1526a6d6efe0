// A reminder on WeCom is followed by a template card with an acknowledge button; a click runs `/incident ack …` as the
// clicker through the template_card_event → inbox → bot path: the log records who and when, the card says so, and the
// obligation is quiet until the next rung. The real SDK against the fake long-connection endpoint, real bot and SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { Harness, WecomUser, choicesOf, readable } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const GROUP = 'wrgroupIncident01';
const acks = async (harness: Harness) => (await harness.store.load('INC-20261130-01'))!.events.map((e) => e.event as IncidentEvent).filter((e) => e.type === 'reminder-acked');

describe('WeCom: a reminder\'s acknowledge button', () => {
  it('records the clicker and the time, says so on the card and in the group, quiets the obligation until the next rung, and counts a second click once', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00', config: botConfig({ responsible: ['wecom:commander01'] }) });
    const alice = new WecomUser(h, 'zhangsan', GROUP);
    await alice.say('/incident new 勒索');
    await alice.say('/incident set ransomwareHarm 是'); // the brief report is due at 10:00
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    const before = h.server.sent.length;
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    const [reminder, button, ...rest] = h.server.sent.slice(before);
    expect(rest).toEqual([]);
    expect(reminder).toMatchObject({ op: 'send', chatId: GROUP, msgtype: 'markdown' });
    expect(readable(reminder!.markdown)).toContain('升级至值班负责人');
    expect(reminder!.markdown).toContain('<@commander01>'); // the mention stays in the markdown, which pings
    expect(button).toMatchObject({ op: 'send', chatId: GROUP, msgtype: 'template_card' });
    expect(button!.card).toMatchObject({ card_type: 'button_interaction', main_title: { desc: 'INC-20261130-01' } });
    expect(choicesOf(button!.card!)).toEqual([{ label: '知悉', key: JSON.stringify({ a: 'ack brief INC-20261130-01', l: '知悉' }) }]);

    h.clock.set('2026-11-30T10:07:00+08:00');
    const bob = new WecomUser(h, 'lisi', GROUP);
    const said = await bob.click('知悉');
    expect(await acks(h)).toEqual([expect.objectContaining({ obligation: 'brief', step: 'E1', actor: 'wecom:lisi', at: Date.parse('2026-11-30T10:07:00+08:00') })]);
    const update = said.find((m) => m.op === 'update')!;
    expect(update.card).toMatchObject({ main_title: { title: '✓ 知悉' }, task_id: button!.card!.task_id });
    expect(String(update.card!.sub_title_text)).toContain('wecom:lisi');
    const pushed = said.filter((m) => m.op === 'send');
    expect(pushed).toHaveLength(1);
    expect(readable(pushed[0]!.markdown)).toContain('知悉“事发简要报告”的提醒');

    // The same person clicking the same button again (a new msgid): counted once, nothing more recorded or sent.
    const again = await bob.click('✓'); // the answered card's button: nothing to do
    expect(again.filter((m) => m.op === 'send')).toEqual([]);
    const fresh = h.server.sent.length;
    h.server.click({ card: button!.card!, key: choicesOf(button!.card!)[0]!.key, userId: 'lisi', group: true, chatId: GROUP });
    await h.settle();
    expect(h.server.sent.length).toBe(fresh);
    expect(await acks(h)).toHaveLength(1);

    const overdue = () => h!.server.sent.filter((m) => readable(m.markdown).includes('事发简要报告已逾期')).length;
    const posted = overdue();
    h.clock.set('2026-11-30T10:29:00+08:00');
    await ticker.tick();
    expect(overdue()).toBe(posted); // quiet until the next rung
    h.clock.set('2026-11-30T10:30:00+08:00');
    await ticker.tick();
    expect(overdue()).toBe(posted + 1); // the next rung (分管领导) is not quieted
  });

  it('in English after /incident lang en: the button and its answer', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00' });
    const alice = new WecomUser(h, 'zhangsan', GROUP);
    await alice.say('/incident lang en');
    await alice.say('/incident new ransomware');
    await alice.say('/incident set ransomwareHarm yes');
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T10:00:00+08:00');
    await ticker.tick();
    expect(readable(h.server.sent.at(-2)!.markdown)).toContain('brief report');
    const card = h.server.last().card!;
    expect(choicesOf(card).map((c) => c.label)).toEqual(['Got it']); // "Acknowledge" is longer than a WeCom button takes
    const said = await alice.click('Got it');
    expect(said.find((m) => m.op === 'update')!.card).toMatchObject({ main_title: { title: '✓ Got it' } });
    expect(readable(said.find((m) => m.op === 'send')!.markdown)).toContain('acknowledged the reminder of the brief report');
  });

  it('a button key other than the ticker\'s ack command runs nothing', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:00:00+08:00' });
    const alice = new WecomUser(h, 'zhangsan', GROUP);
    await alice.say('/incident new 勒索');
    const count = async () => (await h!.store.load('INC-20261130-01'))!.events.length;
    const before = await count();
    const card = { task_id: 'pboc_forged', card_type: 'button_interaction' };
    for (const a of ['resolve INC-20261130-01', 'ack brief INC-20261130-01\nresolve', 'ack <@all> INC-20261130-01']) {
      h.server.click({ card, key: JSON.stringify({ a, l: '知悉' }), userId: 'zhangsan', group: true, chatId: GROUP });
    }
    await h.settle();
    expect(await count()).toBe(before);
  });
});

// A reminder on Slack carries an acknowledge button; clicking it records who acknowledged which reminder and when,
// in the incident's log, and quiets that obligation until the next rung of the ladder. Real Bolt app and WebClient
// against the fake Slack on loopback, over the real bot and SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('Slack: a reminder\'s acknowledge button', () => {
  it('records the clicker and the time in the log and quiets the obligation until the next rung', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T09:00:00+08:00' });
    const { api, slackDriver, clock, ticker, store } = h;
    await slackDriver.commandLine('new 勒索');
    await slackDriver.commandLine('set ransomwareHarm 是'); // the brief report is due at 10:00
    clock.set('2026-11-30T10:00:00+08:00');
    await ticker.tick();
    const reminder = api.messages.filter((m) => m.text.includes('升级至值班负责人')).at(-1)!;
    expect(reminder).toBeDefined();
    const buttons = reminder.blocks.filter((b) => b.type === 'actions');
    expect(buttons).toEqual([expect.objectContaining({ elements: [expect.objectContaining({ action_id: 'pboc:ack', value: 'ack brief INC-20261130-01', text: { type: 'plain_text', text: '知悉' } })] })]);

    clock.set('2026-11-30T10:07:00+08:00');
    await slackDriver.clickOn(reminder, '知悉');
    const events = (await store.load('INC-20261130-01'))!.events.map((e) => e.event as IncidentEvent).filter((e) => e.type === 'reminder-acked');
    expect(events).toEqual([expect.objectContaining({ obligation: 'brief', step: 'E1', actor: 'slack:U1 (alice)', at: Date.parse('2026-11-30T10:07:00+08:00') })]);
    expect(api.messages.some((m) => m.text.includes('知悉“事发简要报告”的提醒'))).toBe(true);

    const posts = () => api.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes('事发简要报告已逾期')).length;
    clock.set('2026-11-30T10:29:00+08:00');
    await ticker.tick();
    expect(posts()).toBe(0);
    clock.set('2026-11-30T10:30:00+08:00');
    await ticker.tick();
    expect(posts()).toBe(1); // the next rung (分管领导) is not quieted
  });
});

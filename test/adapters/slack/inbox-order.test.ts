// One channel's commands run one at a time, in the order Slack delivered them (acknowledged means durably queued);
// past the inbox's bound a command is refused with a reason and an event gets 503 so Slack sends it again.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => { await h?.stop(); h = null; });

describe('Slack inbox: order and bound', () => {
  it('a new incident and ten notes sent back to back land in order on it, with no conflict refused', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T10:00:00+08:00' });
    const d = h.slackDriver;
    // Each request is answered once it is in the inbox, before it is processed: nothing waits for the bot here.
    const statuses = [(await d.send('command', d.slashPayload('new 网银中断'))).status];
    for (let i = 1; i <= 10; i++) statuses.push((await d.send('command', d.slashPayload(`note 第${i}条`))).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await h.slack.idle();
    const [meta] = await h.store.listOpen();
    const notes = (await h.store.load(meta!.id))!.events.map((e) => e.event as { type: string; text?: string }).filter((e) => e.type === 'note').map((e) => e.text);
    expect(notes).toEqual(Array.from({ length: 10 }, (_, i) => `第${i + 1}条`));
    expect(JSON.stringify(h.api.calls)).not.toContain('同时修改');
  });

  it('past INBOX_MAX a command is refused "busy" (nothing written) and a mention gets 503; both go through once there is room', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T10:00:00+08:00', env: { INBOX_MAX: '2' } });
    const d = h.slackDriver;
    const release = h.api.hold('chat.postMessage'); // the first card hangs: the queue cannot drain
    expect((await d.send('command', d.slashPayload('new 网银中断'))).status).toBe(200);
    expect((await d.send('command', d.slashPayload('note 一'))).status).toBe(200);
    const refused = await d.send('command', d.slashPayload('note 二'));
    expect(refused.status).toBe(200);
    expect(refused.body).toContain('机器人正忙');
    expect(refused.body).toContain('nothing was recorded');
    const mention = d.mentionPayload('incident note 三');
    expect((await d.send('event', mention)).status).toBe(503);
    release();
    await h.slack.idle();
    // Slack re-sends the event it got no 200 for: now taken.
    expect((await d.send('event', mention, { retryNum: 1 })).status).toBe(200);
    await h.slack.idle();
    const [meta] = await h.store.listOpen();
    const notes = (await h.store.load(meta!.id))!.events.map((e) => e.event as { type: string; text?: string }).filter((e) => e.type === 'note').map((e) => e.text);
    expect(notes).toEqual(['一', '三']);
    expect(h.logs.some((l) => l.includes('inbox full'))).toBe(true);
  });
});

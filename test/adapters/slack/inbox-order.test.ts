// Past the inbox's bound a command is refused with a reason and an event gets 503 so Slack sends it again. (One
// channel's commands in the order Slack delivered them: the platform contract, test/adapters/slack.contract.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => { await h?.stop(); h = null; });

describe('Slack inbox: its bound', () => {
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

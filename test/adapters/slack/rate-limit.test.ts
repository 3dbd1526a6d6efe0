import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('Slack answers 429 or 500', () => {
  it('a reply is retried by the Web API client (Retry-After honoured) and posted once', async () => {
    // The production client retries (adapters/slack/transport/index.ts, the kit's retry policy); here with short waits.
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00', retry: { retries: 2, baseMs: 50, maxWaitMs: 50 } });
    h.api.failHttp('chat.postMessage', 429, 1, 1);
    const started = Date.now();
    await h.slackDriver.commandLine('new 限流测试');
    const posts = h.api.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2); // the 429, then the retry
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited for Retry-After: 1
    expect(h.api.channelMessages('C1').filter((m) => m.text.includes('已新建事件'))).toHaveLength(1);

    h.api.failHttp('chat.postMessage', 500, 1);
    await h.slackDriver.commandLine('set ransomwareHarm 是');
    expect(h.api.channelMessages('C1').filter((m) => m.text.includes('较大'))).not.toHaveLength(0);
  });

  it('a reminder refused with 429 then 500 is retried by the ticker with backoff and delivered once', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00' }); // no client retries: the ticker's own backoff
    const { api, slackDriver, clock, ticker } = h;
    await slackDriver.commandLine('new 勒索');
    await slackDriver.commandLine('set ransomwareHarm 是');
    const before = api.callsTo('chat.postMessage').length;
    clock.set('2026-11-30T14:30:00+08:00');
    api.failHttp('chat.postMessage', 429, 1, 0);
    expect((await ticker.tick()).failed).toHaveLength(1);
    clock.ms += 15_000;
    api.failHttp('chat.postMessage', 500, 1);
    expect((await ticker.tick()).failed).toHaveLength(1);
    clock.ms += 30_000;
    expect((await ticker.tick()).sent).toHaveLength(1);
    clock.ms += 60_000;
    await ticker.tick();
    const reminders = api.callsTo('chat.postMessage').slice(before).filter((c) => String(c.body.text).includes('事发简要报告截止'));
    expect(reminders).toHaveLength(3); // two refused, one delivered
    expect(api.messages.filter((m) => m.text.includes('事发简要报告截止'))).toHaveLength(1);
  });
});

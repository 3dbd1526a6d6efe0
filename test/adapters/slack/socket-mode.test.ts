import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../fakes/slack-driver.ts';
import { APP_TOKEN, BOT_TOKEN, startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('Slack in Socket Mode, end to end over a fake WebSocket', () => {
  it('opens the connection with the app token, acks every envelope before working, and runs the incident flow', async () => {
    h = await startHarness({ mode: 'socket', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slackDriver: alice } = h;
    expect(h.eventsUrl).toBeNull();
    expect(h.slack.receives).toBe('Socket Mode');
    expect(h.slack.connected?.()).toBe(true); // Slack said hello on the socket
    expect(api.callsTo('apps.connections.open').map((c) => c.token)).toEqual([APP_TOKEN]);
    expect(api.callsTo('auth.test').every((c) => c.token === BOT_TOKEN)).toBe(true);
    expect(api.sockets).toHaveLength(1);

    // slash_commands envelope: acked with its envelope_id, then the work (chat.postMessage) follows.
    const sent = await alice.commandLine('new 网上银行登录失败');
    expect(sent.ack).toEqual({ envelope_id: expect.any(String), payload: {} });
    expect(api.timeline.indexOf(`ack:${sent.ack!.envelope_id}`)).toBeLessThan(api.timeline.indexOf('call:chat.postMessage'));
    expect(api.channelMessages('C1')[0]!.text).toContain('已新建事件 INC-20261130-01');

    // interactive envelopes: block_actions (modal button, then choices) and view_submission.
    const opened = await alice.click(/填写答案/);
    expect(opened.ack?.envelope_id).toBeTruthy();
    const submitted = await alice.raw('interactive', alice.submitPayload(api.views.at(-1)!, '13:40'));
    expect(submitted.ack?.envelope_id).toBeTruthy();
    await alice.click('网上银行');
    await alice.click('是');
    expect(visibleText(alice.question()!)).toContain('从什么时候开始中断');

    // events_api: an app_mention answers the question; Slack's retry of the same event is acked and ignored.
    const mention = alice.mentionPayload('20分钟前', 'Ev0SOCKET1');
    const events = (await h.store.load('INC-20261130-01'))!.events.length;
    await alice.raw('event', mention);
    const retried = await alice.raw('event', mention, { retryNum: 1 });
    expect(retried.ack?.envelope_id).toBeTruthy();
    expect((await h.store.load('INC-20261130-01'))!.events.length).toBe(events + 1);
    expect(visibleText(api.ephemeralFor('U1').at(-1)!)).toContain('是否已恢复');
    expect(api.callsTo('chat.postEphemeral').at(-1)!.body).toMatchObject({ channel: 'C1', user: 'U1' });

    // Every envelope sent was acked exactly once.
    const acked = api.acks.map((a) => a.envelope_id);
    expect(new Set(acked).size).toBe(acked.length);
    expect(acked.length).toBeGreaterThanOrEqual(7);
  });

  it('reconnects when Slack sends `disconnect`, and keeps working on the new connection', async () => {
    h = await startHarness({ mode: 'socket', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slackDriver: alice } = h;
    api.disconnect();
    await api.connections(2);
    expect(api.callsTo('apps.connections.open')).toHaveLength(2);
    const sent = await alice.commandLine('help');
    expect(sent.ack?.envelope_id).toBeTruthy();
    expect(visibleText(api.ephemeralFor('U1')[0]!)).toContain('new &lt;标题&gt;');
  });

  it('is not connected while the network has dropped the socket and Slack refuses to reconnect, then connected and working again', async () => {
    h = await startHarness({ mode: 'socket', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slack, slackDriver: alice } = h;
    expect(slack.connected?.()).toBe(true);
    api.drop(1); // the client waits 200 ms (its ping unit here), is refused, waits 400 ms, then connects
    const states: boolean[] = [];
    while (api.sockets.length < 2) {
      states.push(slack.connected?.() ?? true);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(states).toContain(false);
    while (!slack.connected?.()) await new Promise((r) => setTimeout(r, 20));
    const sent = await alice.commandLine('help');
    expect(sent.ack?.envelope_id).toBeTruthy();
  });

  it('never logs a token, even at debug level where the Socket Mode client logs every frame', async () => {
    h = await startHarness({ mode: 'socket', nowIso: '2026-11-30T14:00:00+08:00' });
    const { logs, slackDriver: alice } = h;
    await alice.commandLine('new 令牌泄露演练');
    await alice.commandLine(`note 有人把 ${BOT_TOKEN} 和 ${APP_TOKEN} 贴进了频道`);
    await h.stop();
    h = null;
    expect(logs.some((l) => l.includes('Received a message on the WebSocket'))).toBe(true);
    expect(logs.some((l) => l.includes('[redacted]'))).toBe(true);
    for (const l of logs) {
      expect(l).not.toContain(BOT_TOKEN);
      expect(l).not.toContain(APP_TOKEN);
      expect(l).not.toMatch(/xapp-1-|xoxb-\d/);
    }
  });
});

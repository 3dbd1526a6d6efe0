import { afterEach, describe, expect, it } from 'vitest';
import { unformat } from '../../../adapters/slack/parse.ts';
import { encode, sign, visibleText } from '../../fakes/slack-driver.ts';
import { SIGNING_SECRET, startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
const start = async (env: Record<string, string> = {}) => (h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00', env }));

describe('Slack: what the audit found', () => {
  it('a request signed 10 minutes or a year ahead gets 401 and records nothing (Bolt checks only staleness)', async () => {
    const { api, store, slackDriver, eventsUrl } = await start();
    const { body, contentType } = encode('command', slackDriver.slashPayload('new 预先签名的事件'));
    const now = Math.floor(Date.now() / 1000); // the signing clock Slack and Bolt share: real time, relative here
    for (const ahead of [10 * 60, 365 * 86_400]) {
      const res = await fetch(eventsUrl!, { method: 'POST', headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(now + ahead), 'x-slack-signature': sign(SIGNING_SECRET, now + ahead, body) }, body });
      expect(res.status, `${ahead} s ahead`).toBe(401);
    }
    await h!.slack.idle();
    expect(api.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect(await store.listOpen()).toEqual([]);
    expect((await slackDriver.raw('command', slackDriver.slashPayload('new 真实的事件'))).status).toBe(200);
  });

  it('the channel allow-list can name the workspace: T1:C1 does not let C1 of another team in', async () => {
    const { api, store, slackDriver: alice } = await start({ SLACK_ALLOWED_CHANNELS: 'T1:C1' });
    await alice.as({ team: 'T2' }).commandLine('new 另一团队同名频道');
    expect(await store.listOpen()).toEqual([]);
    expect(String(api.callsTo('response_url').at(-1)!.body.text)).toContain('SLACK_ALLOWED_CHANNELS');
    await alice.commandLine('new 授权频道的事件');
    expect(await store.listOpen()).toHaveLength(1);
  });

  it('emphasis typed into a title (* _ ~ `) is fenced so that it cannot format, and reads back as typed', async () => {
    const { api, slackDriver: alice } = await start();
    await alice.commandLine('new *加粗* _斜体_ ~删除~ `代码`');
    const card = api.channelMessages('C1')[0]!;
    // The header is plain_text, which Slack never formats; every mrkdwn text has the marks fenced.
    const mrkdwn: string[] = [];
    JSON.stringify(card.blocks, (_k, v: unknown) => {
      const o = v as { type?: unknown; text?: unknown };
      if (o && o.type === 'mrkdwn' && typeof o.text === 'string') mrkdwn.push(o.text);
      return v;
    });
    const all = mrkdwn.join('\n');
    expect(all).toContain('加粗');
    for (const mark of ['*加粗*', '_斜体_', '~删除~', '`代码`']) expect(all).not.toContain(mark);
    expect(visibleText(card).replace(/\u200B/g, '')).toContain('*加粗* _斜体_ ~删除~ `代码`');
  });

  it('a message over 20,000 characters is refused with a notice in both languages before any parsing, and not echoed', async () => {
    const { api, store, slackDriver: alice } = await start();
    const huge = `new ${'<'.repeat(30_000)}`;
    await alice.commandLine(huge);
    expect(await store.listOpen()).toEqual([]);
    const notice = String(api.callsTo('response_url').at(-1)!.body.text);
    expect(notice).toContain('消息过长');
    expect(notice).toContain('too long');
    expect(notice.length).toBeLessThan(300);
    await alice.mention(`${'<'.repeat(30_000)} 12万`);
    expect(String(api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain('too long');
  });

  it('unformat reads Slack formatting back, and an unclosed < stays as typed', () => {
    expect(unformat('<@U1> <#C1|room> <!here> <https://x.example|链接> a < b &lt; c')).toBe('@U1 #room @here 链接 a < b < c');
    expect(unformat('<<<@U1>')).toBe('<<@U1');
  });
});

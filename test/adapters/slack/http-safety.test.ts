import { afterEach, describe, expect, it } from 'vitest';
import { startChat } from '../../../adapters/kit/chat.ts';
import { slack } from '../../../adapters/slack/index.ts';
import { PlatformConfigError as SlackConfigError } from '../../../adapters/kit/errors.ts';
import { createBot } from '../../../src/bot.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { botConfig } from '../../fakes/chat.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { encode, mrkdwnStrings, sign, visibleText } from '../../fakes/slack-driver.ts';
import { BOT_TOKEN, SIGNING_SECRET, startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
const start = async (env: Record<string, string> = {}) => (h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00', env }));
const eventCount = async (id: string) => (await h!.store.load(id))?.events.length ?? 0;

describe('request signatures', () => {
  it('a bad, missing or stale signature gets 401 and records nothing', async () => {
    const { api, store, slackDriver, eventsUrl } = await start();
    const { body, contentType } = encode('command', slackDriver.slashPayload('new 伪造的事件'));
    const now = Math.floor(Date.now() / 1000);
    const attempts: Array<Record<string, string>> = [
      { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign('0000000000000000deadbeef00000000', now, body) }, // wrong secret
      { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(SIGNING_SECRET, now, `${body}&x=1`) }, // another body
      { 'x-slack-request-timestamp': String(now - 6 * 60), 'x-slack-signature': sign(SIGNING_SECRET, now - 6 * 60, body) }, // replayed after 5 min
      {}, // unsigned
    ];
    for (const headers of attempts) {
      const res = await fetch(eventsUrl!, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
      expect(res.status).toBe(401);
    }
    await h!.slack.idle();
    expect(api.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect(await store.listOpen()).toEqual([]);
    expect(await store.getSession('slack:T1:C1|slack:U1', h!.clock.ms)).toBeNull();
    // The same request correctly signed is accepted.
    const ok = await slackDriver.raw('command', slackDriver.slashPayload('new 真实的事件'));
    expect(ok.status).toBe(200);
    expect(await store.listOpen()).toHaveLength(1);
  });
});

describe('mrkdwn injection', () => {
  it('a title or an answer with <!channel>, <@U…> or a link is shown as text and cannot ping or link', async () => {
    const { api, slackDriver: alice } = await start();
    await alice.commandLine('new <!channel> <@U999> <https://evil.example|人民银行官网> & <!here|here>');
    await alice.type('<!here> <https://evil.example/x|点我>'); // not a time: the error echoes the input
    const shown = api.messages.flatMap((m) => mrkdwnStrings(m));
    expect(shown.length).toBeGreaterThan(5);
    for (const s of shown) {
      expect(s).not.toMatch(/<!channel>|<!here|<@U999>|<https?:/);
    }
    const root = visibleText(api.channelMessages('C1')[0]!);
    expect(root).toContain('&lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|人民银行官网&gt; &amp; &lt;!here|here&gt;');
    expect(mrkdwnStrings(api.ephemeralFor('U1').at(-1)!).join('\n')).toContain('&lt;!here&gt;');
    // No mrkdwn object lets Slack pre-parse @here / #channel / bare URLs.
    const objects = JSON.stringify(api.messages.map((m) => m.blocks)).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*","verbatim":(true|false)/g) ?? [];
    expect(objects.length).toBeGreaterThan(5);
    expect(objects.every((o) => o.endsWith('"verbatim":true'))).toBe(true);
    // The title is stored as typed: escaping is the adapter's job.
    expect((await h!.bot.load('INC-20261130-01'))!.title).toBe('<!channel> <@U999> <https://evil.example|人民银行官网> & <!here|here>');
  });
});

describe('ack first, work after', () => {
  it('answers Slack with 200 while the work is still waiting on the Web API', async () => {
    const { api, slackDriver: alice } = await start();
    const release = api.hold('chat.postMessage');
    try {
      const t0 = Date.now();
      const sent = await alice.send('command', alice.slashPayload('new 慢速的 Slack'));
      expect(sent.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(3000);
      await api.called('chat.postMessage'); // the work goes on after the ack, and is stuck there
      expect(api.channelMessages('C1')).toHaveLength(0);
    } finally {
      release();
    }
    await h!.slack.idle();
    expect(api.channelMessages('C1')).toHaveLength(1);
  });
});

describe('at most once: retries, replays and double clicks', () => {
  it('a slash command retried, a button double-clicked and an event retried each take effect once', async () => {
    const { api, slackDriver: alice } = await start();
    const command = alice.slashPayload('new 网银登录失败');
    await alice.raw('command', command);
    await alice.raw('command', command, { retryNum: 1 }); // X-Slack-Retry-Num: 1
    expect(api.channelMessages('C1')).toHaveLength(1);
    expect(api.callsTo('response_url')).toHaveLength(1);
    await alice.type('13:40');
    await alice.click('网上银行');

    const events = await eventCount('INC-20261130-01');
    const click1 = alice.clickPayload('是');
    const click2 = alice.clickPayload('是'); // a second click on the same button: new action_ts and trigger_id
    expect(click2.trigger_id).not.toBe(click1.trigger_id);
    await Promise.all([alice.raw('interactive', click1), alice.raw('interactive', click2)]);
    expect(await eventCount('INC-20261130-01')).toBe(events + 1);
    expect(visibleText(alice.question()!)).toContain('从什么时候开始中断');

    // Events API: Slack retries when it did not see a 200 in time; the event id is claimed once.
    const mention = alice.mentionPayload('20分钟前', 'Ev0RETRY01');
    await alice.raw('event', mention);
    await alice.raw('event', mention, { retryNum: 1 });
    await alice.raw('event', mention, { retryNum: 2 });
    expect(await eventCount('INC-20261130-01')).toBe(events + 2);
    expect(visibleText(alice.question()!)).toContain('是否已恢复');
  });

  it('a failed answer leaves the question in place and can be answered again', async () => {
    const { api, slackDriver: alice } = await start();
    await alice.commandLine('new 测试');
    const question = alice.question()!;
    await alice.type('明天左右');
    expect(visibleText(api.ephemeralFor('U1').at(-1)!)).toContain('✗ “明天左右”不是可识别的时间');
    expect(visibleText(alice.question()!)).toContain('事件是什么时候发生的'); // not replaced
    expect(alice.question()!.ts).toBe(question.ts);
    h!.clock.advanceMinutes(1); // "Answer…" opens one modal per 5 s (double clicks)
    await alice.type('13:40');
    expect(visibleText(alice.question()!)).toContain('受影响的人民银行业务领域网络是哪一个');
  });
});

describe('what is private, what is public', () => {
  it('help and errors are ephemeral; nothing is posted in the channel', async () => {
    const { api, slackDriver: alice } = await start();
    await alice.commandLine('help');
    await alice.commandLine('frobnicate');
    await alice.commandLine('status');
    expect(api.callsTo('chat.postMessage')).toHaveLength(0);
    const replies = api.callsTo('response_url').map((c) => c.body);
    expect(replies.every((b) => b.response_type === 'ephemeral')).toBe(true);
    expect(visibleText(api.ephemeralFor('U1')[0]!)).toContain('new &lt;标题&gt;（新建）');
    expect(visibleText(api.ephemeralFor('U1')[1]!)).toContain('✗ 不认识的命令“frobnicate”');
    expect(visibleText(api.ephemeralFor('U1')[2]!)).toContain('✗ 本频道还没有事件');
  });

  it('when the bot is not in the channel, the card goes out through response_url and the user is told to invite it', async () => {
    const { api, slackDriver: alice } = await start();
    api.fail('chat.postMessage', 'not_in_channel');
    await alice.commandLine('new 私有频道事件');
    const inChannel = api.callsTo('response_url').find((c) => c.body.response_type === 'in_channel');
    expect(JSON.stringify(inChannel?.body)).toContain('已新建事件 INC-20261130-01');
    expect(api.ephemeralFor('U1').map((m) => visibleText(m)).join('\n')).toContain('/invite');
  });
});

describe('allow-lists', () => {
  it('refuses other channels and other users, in Chinese and English, and records nothing', async () => {
    const { api, store, slackDriver: alice } = await start({ SLACK_ALLOWED_CHANNELS: 'C1', SLACK_ALLOWED_USERS: 'U1, U3' });
    await alice.as({ channel: 'C9' }).commandLine('new 别处的事件');
    await alice.as({ user: 'U2', userName: 'mallory' }).commandLine('new 陌生人的事件');
    expect(await store.listOpen()).toEqual([]);
    expect(api.callsTo('chat.postMessage')).toHaveLength(0);
    const refusals = api.callsTo('response_url').map((c) => String(c.body.text));
    expect(refusals[0]).toContain('本频道未获准使用事件机器人（SLACK_ALLOWED_CHANNELS）');
    expect(refusals[0]).toContain('This channel is not allowed to use the incident bot');
    expect(refusals[1]).toContain('你未获准使用事件机器人（SLACK_ALLOWED_USERS）');
    expect(refusals[1]).toContain('You are not allowed to use the incident bot');
    expect(api.callsTo('response_url').every((c) => c.body.response_type === 'ephemeral')).toBe(true);

    await alice.commandLine('new 授权频道的事件');
    expect(await store.listOpen()).toHaveLength(1);
    // A refused user cannot answer someone else's question either.
    const bob = alice.as({ user: 'U2', userName: 'mallory' });
    const click = { ...alice.clickPayload('跳过'), user: { id: 'U2', username: 'mallory', name: 'mallory', team_id: 'T1' } };
    await bob.raw('interactive', click);
    expect(api.callsTo('response_url').at(-1)!.body.text).toContain('SLACK_ALLOWED_USERS');
  });
});

describe('secrets and start-up', () => {
  it('never logs the bot token or the signing secret, even at debug level', async () => {
    const { logs, slackDriver: alice } = await start();
    await alice.commandLine('new 日志检查');
    await alice.type('13:40');
    await alice.commandLine(`note ${BOT_TOKEN}`); // a user pasting a token into a note
    await h!.stop();
    h = null;
    expect(logs.length).toBeGreaterThan(20);
    expect(logs.some((l) => l.includes('http request headers'))).toBe(true);
    for (const l of logs) {
      expect(l).not.toContain(BOT_TOKEN);
      expect(l).not.toContain(SIGNING_SECRET);
      expect(l).not.toMatch(/xox[a-z]-\d/);
    }
  });

  it('a token Slack rejects stops start-up with a message naming SLACK_BOT_TOKEN, without the token', async () => {
    const api = await FakeSlackApi.start({ bot: 'xoxb-the-right-one' });
    const store = createSqliteStore(':memory:');
    const logs: string[] = [];
    try {
      const config = botConfig();
      const run = startChat(slack, {
        env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.apiUrl },
        bot: createBot({ store, config, now: () => 0 }), store, config, now: () => 0, log: (m: string) => logs.push(m), retry: { retries: 0 },
      });
      const err = await run.catch((e: Error) => e);
      expect(err).toBeInstanceOf(SlackConfigError);
      expect((err as Error).message).toContain('SLACK_BOT_TOKEN');
      expect((err as Error).message).toContain('invalid_auth');
      expect((err as Error).message).not.toContain(BOT_TOKEN);
      expect(logs.join('\n')).not.toContain(BOT_TOKEN);
    } finally {
      await api.close();
      await store.close();
    }
  });
});

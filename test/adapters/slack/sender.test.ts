import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../../adapters/slack/transport/reminders.ts';
import { createBot } from '../../../src/bot.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FakeChat, FixedClock } from '../../fakes/chat.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { BOT_TOKEN } from '../../fakes/slack-harness.ts';

let api: FakeSlackApi;
let store: Store;
beforeEach(async () => {
  api = await FakeSlackApi.start({ bot: BOT_TOKEN });
  store = createSqliteStore(':memory:');
});
afterEach(async () => {
  await api.close();
  await store.close();
});

function sender(clock: FixedClock) {
  const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
  return createSlackSender({ client, store, now: clock.now, command: '/incident', defaultLang: 'zh-CN' });
}
const text = (t: string) => [{ type: 'text' as const, text: t }];

describe('the Slack Sender (reminders)', () => {
  it('threads under the incident\'s first message, or starts the thread when there is none', async () => {
    const clock = new FixedClock(parseIso('2026-11-30T14:00:00+08:00'));
    const s = sender(clock);
    await s.send({ conversation: 'slack:T1:C7', incidentId: 'INC-1', replies: text('第一次提醒'), mentions: ['U0ABC', 'slack:W0XYZ', 'S0GROUP', '王五', '<!channel>'] });
    const first = api.callsTo('chat.postMessage')[0]!;
    expect(first.body).toMatchObject({ channel: 'C7' });
    expect(first.body.thread_ts).toBeUndefined();
    expect(first.body.text).toBe('<@U0ABC> <@W0XYZ> <!subteam^S0GROUP> @王五 @&lt;!channel&gt; 第一次提醒');
    expect(await store.getSession('slack-thread:INC-1', clock.ms)).toEqual({ channel: 'C7', ts: api.messages[0]!.ts });
    await s.send({ conversation: 'slack:T1:C7', incidentId: 'INC-1', replies: text('第二次提醒 <@U999>'), mentions: [] });
    const second = api.callsTo('chat.postMessage')[1]!;
    expect(second.body).toMatchObject({ channel: 'C7', thread_ts: api.messages[0]!.ts, text: '第二次提醒 &lt;@U999&gt;' });
    // The thread is remembered for 400 days.
    clock.set('2027-12-01T00:00:00+08:00');
    expect(await store.getSession('slack-thread:INC-1', clock.ms)).not.toBeNull();
    clock.set('2028-01-10T00:00:00+08:00');
    expect(await store.getSession('slack-thread:INC-1', clock.ms)).toBeNull();
  });

  it('each reminder post carries its key as metadata; posted() finds it in the channel (or thread) since a time, and says when it cannot tell', async () => {
    const clock = new FixedClock(parseIso('2026-11-30T14:00:00+08:00'));
    await api.close();
    api = await FakeSlackApi.start({ bot: BOT_TOKEN }, { now: clock.now }); // ts follow the test's clock, as Slack's follow real time
    const s = sender(clock);
    const m = { conversation: 'slack:T1:C7', incidentId: 'INC-1', replies: text('第一次提醒'), mentions: [], key: 'INC-1:brief:T-30' };
    const other = { ...m, key: 'INC-1:brief:T-10' };
    expect(await s.posted!(m, clock.ms)).toBe(false);
    await s.send(m); // no thread yet: at the top of the channel, and it starts the thread
    expect(api.messages[0]!.metadata).toEqual({ event_type: 'pboc_reminder', event_payload: { key: 'INC-1:brief:T-30', part: 1, of: 1 } });
    expect(await s.posted!(m, clock.ms)).toBe(true);
    expect(await s.posted!(other, clock.ms)).toBe(false);
    clock.ms += 60_000;
    await s.send(other); // in the thread now
    expect(api.messages[1]!.threadTs).toBe(api.messages[0]!.ts);
    expect(await s.posted!(other, clock.ms)).toBe(true);
    // Only since the first attempt, less a margin for the bot's clock against Slack's.
    expect(api.callsTo('conversations.replies').at(-1)!.body).toMatchObject({ channel: 'C7', ts: api.messages[0]!.ts, include_all_metadata: true, oldest: ((clock.ms - 300_000) / 1000).toFixed(6) });
    api.fail('conversations.replies', 'missing_scope');
    api.fail('conversations.history', 'missing_scope');
    expect(await s.posted!({ ...m, key: 'INC-1:brief:T0' }, clock.ms)).toBeNull(); // cannot tell: the ticker posts again
    api.failHttp('conversations.replies', 503);
    await expect(s.posted!(m, clock.ms)).rejects.toThrow(); // the check failed for now: the ticker waits, does not post
  });

  it('throws when Slack does not take the message or the conversation is not Slack\'s', async () => {
    const s = sender(new FixedClock(0));
    api.fail('chat.postMessage', 'channel_not_found');
    await expect(s.send({ conversation: 'slack:T1:C7', incidentId: 'INC-1', replies: text('x'), mentions: [] })).rejects.toThrow(/channel_not_found/);
    await expect(s.send({ conversation: 'feishu:oc_1', incidentId: 'INC-1', replies: text('x'), mentions: [] })).rejects.toThrow(/not a Slack conversation/);
  });

  it('under the ticker: a refused post is retried after the backoff and goes out once', async () => {
    const config = botConfig();
    const clock = new FixedClock(parseIso('2026-11-30T14:00:00+08:00'));
    const bot = createBot({ store, config, now: clock.now });
    const chat = new FakeChat(bot, store, clock, 'slack:T1:C1', 'slack:U1');
    await chat.say('/incident new 网上银行登录失败');
    await chat.answers('13:40', '网上银行', '是', '20分钟前', '尚未恢复', '85%', '1');
    await chat.say('12万').expectReply('较大（三级）');
    const ticker = createTicker({ store, config, sender: sender(clock), now: clock.now });
    clock.set('2026-11-30T14:30:00+08:00');
    api.fail('chat.postMessage', 'ratelimited');
    const failed = await ticker.tick();
    expect(failed.sent).toHaveLength(0);
    expect(failed.failed).toHaveLength(1);
    clock.set('2026-11-30T14:30:15+08:00');
    expect((await ticker.tick()).sent).toHaveLength(1);
    clock.set('2026-11-30T14:31:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(0);
    const posted = api.channelMessages('C1');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('事发简要报告截止 2026-11-30 15:00（北京时间，第十五条），还剩 29分钟'); // as of the retry
    expect(posted[0]!.text.startsWith('<@U0000000000> @王五 ')).toBe(true);
  });
});

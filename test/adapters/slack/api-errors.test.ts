// Every Slack Web API call that fails is counted once, by Slack's error code (never its text or ids): a reply in the
// channel (which then goes through the command's response_url), a private answer, and a reminder the ticker posts.
// The count is what the metrics listener graphs.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { observeOps } from '../../../adapters/ops/hooks.ts';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

/** Every count, `slack:<code>`; emptied before the call a test looks at. */
const seen: string[] = [];
afterAll(observeOps({ apiError: (platform, code) => seen.push(`${platform}:${code}`) }));
let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
const counting = () => seen.splice(0);

const NOW = '2026-11-30T14:00:00+08:00';

describe('Slack API errors, each counted once by its code', () => {
  it('a card Slack refuses in the channel: counted, and the card still reaches the channel through response_url', async () => {
    h = await startHarness({ mode: 'http', nowIso: NOW });
    counting();
    h.api.fail('chat.postMessage', 'channel_not_found');
    await h.slackDriver.commandLine('new 网上银行登录失败');
    expect(seen).toEqual(['slack:channel_not_found']);
    expect(h.api.callsTo('response_url').some((c) => c.body.response_type === 'in_channel')).toBe(true);
  });

  it('a private answer Slack refuses (handled, then thrown on): counted once', async () => {
    h = await startHarness({ mode: 'http', nowIso: NOW });
    await h.slackDriver.commandLine('new 网上银行登录失败');
    counting();
    h.api.fail('chat.postEphemeral', 'user_not_in_channel');
    await h.slackDriver.mention('status');
    expect(seen).toEqual(['slack:user_not_in_channel']);
  });

  it('a reminder Slack refuses: once, with no retry here (the ticker retries)', async () => {
    h = await startHarness({ mode: 'http', nowIso: NOW });
    counting();
    h.api.fail('chat.postMessage', 'not_in_channel');
    const reminder = { conversation: 'slack:T1:C1', incidentId: 'INC-20261130-01', replies: [{ type: 'text' as const, text: '提醒' }], mentions: [], key: 'r1' };
    await expect(h.slack.sender.send(reminder)).rejects.toThrow(/not_in_channel/);
    expect(seen).toEqual(['slack:not_in_channel']);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a reminder Slack rate-limits: counted once as rate-limited', async () => {
    h = await startHarness({ mode: 'http', nowIso: NOW });
    counting();
    h.api.failHttp('chat.postMessage', 429, 1, 30);
    const reminder = { conversation: 'slack:T1:C1', incidentId: 'INC-20261130-01', replies: [{ type: 'text' as const, text: '提醒' }], mentions: [], key: 'r2' };
    await expect(h.slack.sender.send(reminder)).rejects.toThrow();
    expect(seen).toEqual(['slack:rate_limited']); // the client rejects a 429 without Slack's body: the kit's word for a rate limit
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

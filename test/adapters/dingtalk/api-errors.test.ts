// Every DingTalk API call that fails is counted once, by DingTalk's code (never its text or ids): a reply, a card
// update after a click, and a reminder the ticker posts. The count is what the metrics listener graphs.
import { TOPIC_CARD } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { observeOps } from '../../../adapters/ops/hooks.ts';
import { cardCallback } from '../../fakes/dingtalk-events.ts';
import { DingtalkUser, Harness, TEMPLATE } from './harness.ts';

let h: Harness | null = null;
let unobserve: () => void = () => {};
afterEach(async () => {
  unobserve();
  await h?.close();
  h = null;
});

function counting(): string[] {
  const seen: string[] = [];
  unobserve = observeOps({ apiError: (platform, code) => seen.push(`${platform}:${code}`) });
  return seen;
}

describe('DingTalk API errors, each counted once by its code', () => {
  it('a reply DingTalk refuses', async () => {
    h = await Harness.start();
    const seen = counting();
    h.api.failNext(/groupMessages\/send/, 400, 'invalidParameter.robotCode');
    expect(await new DingtalkUser(h).sayAll('/incident new 网上银行登录失败')).toEqual([]);
    expect(seen).toEqual(['dingtalk:invalidParameter.robotCode']);
  });

  it('a card update DingTalk refuses after a click', async () => {
    h = await Harness.start({ env: { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE } });
    const alice = new DingtalkUser(h);
    await alice.sayAll('/incident new 网上银行登录失败');
    const card = h.api.sent.find((m) => m.op === 'card');
    expect(card, 'the question went out as a card').toBeDefined();
    const seen = counting();
    h.api.failNext(/card\/instances$/, 403, 'Forbidden.AccessDenied');
    const options = JSON.parse(String(card!.content.options)) as Array<{ value: string }>;
    await h.push(TOPIC_CARD, cardCallback({ outTrackId: card!.outTrackId!, userId: 'staff_alice', params: { value: options[0]!.value } }));
    expect(seen).toEqual(['dingtalk:Forbidden.AccessDenied']);
  });

  it('a reminder DingTalk refuses: once, with no retry here (the ticker retries)', async () => {
    h = await Harness.start();
    const seen = counting();
    h.api.failNext(/groupMessages\/send/, 503, 'ServiceUnavailable');
    const reminder = { conversation: 'dingtalk:group:cidGroupIncident==', incidentId: 'INC-20261130-01', replies: [{ type: 'text' as const, text: '提醒' }], mentions: [], key: 'r1' };
    await expect(h.app.sender.send(reminder)).rejects.toThrow(/ServiceUnavailable/);
    expect(seen).toEqual(['dingtalk:ServiceUnavailable']);
  });
});

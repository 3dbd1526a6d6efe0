// Every Feishu API call that fails is counted once, by Feishu's numeric code (never its text or ids): a reply, a card
// update after a slow click, a reminder the ticker posts, and a file upload. The count is what the metrics listener graphs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeOps } from '../../../adapters/ops/hooks.ts';
import { FeishuUser, Harness, withSlowClicks } from './harness.ts';

let h: Harness | null = null;
/** What ops.apiError was told since the test began (setting up made no failing call). */
const seen: string[] = [];
const watch = { stop: () => {} };
beforeEach(() => {
  seen.length = 0;
  watch.stop = observeOps({ apiError: (platform, code) => seen.push(`${platform}:${code}`) });
});
afterEach(async () => {
  watch.stop();
  await h?.close();
  h = null;
});

describe('Feishu API errors, each counted once by its code', () => {
  it('a reply Feishu refuses, then the post to the chat it falls back to', async () => {
    h = await Harness.start();
    h.api.failNext(/\/reply$/, 400, 230011); // the message was recalled
    h.api.failNext(/\/messages$/, 400, 230002); // the bot is not in the chat
    expect(await new FeishuUser(h).sayAll('/incident new 网上银行登录失败')).toEqual([]);
    expect(seen).toEqual(['feishu:230011', 'feishu:230002']);
  });

  it('a rate limit counts once however many times the reply was tried', async () => {
    h = await Harness.start();
    h.api.failNext(/\/reply$/, 429, 99991400, { times: 4 });
    expect(await new FeishuUser(h).sayAll('/incident new 网上银行登录失败')).toEqual([]);
    expect(seen).toEqual(['feishu:99991400']);
  });

  it('a card update Feishu refuses after a slow click', async () => {
    const slow = await withSlowClicks();
    h = slow.h;
    seen.length = 0;
    slow.hold();
    h.api.failNext(/^\/open-apis\/im\/v1\/messages\/[^/]+$/, 400, 230031); // im.message.patch: the card can no longer be edited
    await slow.alice.click('网上银行');
    slow.open();
    await h.app.idle();
    expect(seen).toEqual(['feishu:230031']);
  });

  it('a reminder Feishu refuses: once, with no retry here (the ticker retries)', async () => {
    h = await Harness.start();
    h.api.failNext(/\/messages$/, 503, 99991400);
    const reminder = { conversation: 'feishu:oc_incident', incidentId: 'INC-20261130-01', replies: [{ type: 'text' as const, text: '提醒' }], mentions: [], key: 'r1' };
    await expect(h.app.sender.send(reminder)).rejects.toThrow(/99991400/);
    expect(seen).toEqual(['feishu:99991400']);
    expect(h.api.callsTo(/\/messages$/)).toHaveLength(1);
  });

  it('a file upload Feishu refuses', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    await alice.say('/incident new 网上银行登录失败');
    h.api.failNext(/^\/open-apis\/im\/v1\/files$/, 400, 234006);
    await alice.sayAll('/incident draft final docx');
    expect(seen).toEqual(['feishu:234006']);
  });
});

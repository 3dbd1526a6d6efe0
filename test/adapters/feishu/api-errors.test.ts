// Every Feishu API call that fails is counted once, by Feishu's numeric code (never its text or ids): a reply, a card
// update after a slow click, a reminder the ticker posts, and a file upload. The count is what the metrics listener graphs.
import { afterEach, describe, expect, it } from 'vitest';
import { observeOps } from '../../../adapters/ops/hooks.ts';
import { FeishuUser, Harness } from './harness.ts';

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

describe('Feishu API errors, each counted once by its code', () => {
  it('a reply Feishu refuses, then the post to the chat it falls back to', async () => {
    h = await Harness.start();
    const seen = counting();
    h.api.failNext(/\/reply$/, 400, 230011); // the message was recalled
    h.api.failNext(/\/messages$/, 400, 230002); // the bot is not in the chat
    expect(await new FeishuUser(h).sayAll('/incident new 网上银行登录失败')).toEqual([]);
    expect(seen).toEqual(['feishu:230011', 'feishu:230002']);
  });

  it('a rate limit counts once however many times the reply was tried', async () => {
    h = await Harness.start();
    const seen = counting();
    h.api.failNext(/\/reply$/, 429, 99991400, { times: 4 });
    expect(await new FeishuUser(h).sayAll('/incident new 网上银行登录失败')).toEqual([]);
    expect(seen).toEqual(['feishu:99991400']);
  });

  it('a card update Feishu refuses after a slow click', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => { open = resolve; });
    let slow = false;
    h = await Harness.start({
      cardBudgetMs: 30,
      wrapBot: (bot) => ({ ...bot, handle: async (input) => { if (slow && input.kind === 'action') await gate; return bot.handle(input); } }),
    });
    const alice = new FeishuUser(h);
    await alice.say('/incident new 网上银行登录失败');
    await alice.say('13:40');
    const seen = counting();
    slow = true;
    h.api.failNext(/^\/open-apis\/im\/v1\/messages\/[^/]+$/, 400, 230031); // im.message.patch: the card can no longer be edited
    await alice.click('网上银行');
    open();
    await h.app.idle();
    expect(seen).toEqual(['feishu:230031']);
  });

  it('a reminder Feishu refuses: once, with no retry here (the ticker retries)', async () => {
    h = await Harness.start();
    const seen = counting();
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
    const seen = counting();
    h.api.failNext(/^\/open-apis\/im\/v1\/files$/, 400, 234006);
    await alice.sayAll('/incident draft final docx');
    expect(seen).toEqual(['feishu:234006']);
  });
});

// Every WeCom call that fails is counted once, by WeCom's errcode (never its text or ids): a reply refused for now
// (after the retries), a reply refused for good (the answer then pushed), a card update after a click, and a reminder
// the ticker posts. The count is what the metrics listener graphs.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { observeOps } from '../../../adapters/ops/hooks.ts';
import { Harness, WecomUser } from './harness.ts';

/** The errors counted since the test's set-up was done (`seen.length = 0`). */
const seen: string[] = [];
afterAll(observeOps({ apiError: (platform, code) => { seen.push(`${platform}:${code}`); } }));
let h: Harness | null = null;
afterEach(async () => { await h?.close(); h = null; });

describe('WeCom API errors, each counted once by its errcode', () => {
  it('a reply refused for now, still after the retries: once, not per attempt', async () => {
    h = await Harness.start({ retry: { retries: 2 } });
    seen.length = 0;
    h.server.failNext(/^aibot_respond_msg$/, 45009, 'api freq out of limit', 3);
    expect(await new WecomUser(h).sayAll('/incident new 网上银行登录失败')).toEqual([]);
    expect(seen).toEqual(['wecom:45009']);
  });

  it('a reply refused for good: counted, and the answer pushed to the chat instead', async () => {
    h = await Harness.start();
    seen.length = 0;
    h.server.failNext(/^aibot_respond_msg$/, 40008, 'invalid req_id');
    const sent = await new WecomUser(h).sayAll('/incident new 网上银行登录失败');
    expect(sent.map((m) => [m.op, m.msgtype])).toEqual([['send', 'markdown'], ['send', 'template_card']]);
    expect(seen).toEqual(['wecom:40008']);
  });

  it('a card update WeCom refuses after a click: counted, and the answer still goes to the chat', async () => {
    h = await Harness.start({ retry: { retries: 0 } });
    const alice = new WecomUser(h);
    await alice.say('/incident new 网上银行登录失败');
    await alice.say('13:40');
    seen.length = 0;
    h.server.failNext(/^aibot_respond_update_msg$/, 40008, 'invalid req_id');
    const said = await alice.click('网上银行');
    expect(said.filter((m) => m.op === 'update')).toEqual([]);
    expect(said.some((m) => m.op === 'send' && m.msgtype === 'markdown')).toBe(true);
    expect(seen).toEqual(['wecom:40008']);
  });

  it('a reminder WeCom refuses: once, with no retry here (the ticker retries)', async () => {
    h = await Harness.start();
    await new WecomUser(h, 'zhangsan', 'wrgroup01').say('/incident new 测试');
    seen.length = 0;
    h.server.failNext(/^aibot_send_msg$/, 45009, 'api freq out of limit');
    const reminder = { conversation: 'wecom:wrgroup01', incidentId: 'INC-20261130-01', replies: [{ type: 'text' as const, text: '提醒' }], mentions: [], key: 'r1' };
    await expect(h.app.sender.send(reminder)).rejects.toThrow(/errcode 45009/);
    expect(seen).toEqual(['wecom:45009']);
    expect(h.server.framesIn.filter((f) => f.cmd === 'aibot_send_msg')).toHaveLength(1);
  });
});

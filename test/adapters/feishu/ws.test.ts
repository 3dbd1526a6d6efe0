import { afterEach, describe, expect, it } from 'vitest';
import { feishu } from '../../../adapters/feishu/index.ts';
import { startChat } from '../../../adapters/kit/chat.ts';
import { createBot } from '../../../src/bot.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { FakeFeishuApi } from '../../fakes/feishu-api.ts';
import { headerOf } from '../../fakes/feishu-frames.ts';
import { messageEvent } from '../../fakes/feishu-events.ts';
import { CREDS, FeishuUser, Harness, buttonsOf, cardText } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('Feishu long connection (FEISHU_MODE=ws): the real WSClient against a fake endpoint speaking pbbp2 frames', () => {
  it('takes commands and card clicks over the socket, acknowledges each frame, replies through the open API', async () => {
    h = await Harness.start({ mode: 'ws' });
    expect(h.app.receives).toBe('long connection'); // no callback URL
    expect(h.app.connected?.(), 'the long connection is open').toBe(true);
    expect(h.api.calls.find((c) => c.path === '/callback/ws/endpoint')?.body).toMatchObject({ AppID: CREDS.appId });
    const alice = new FeishuUser(h);

    const created = await alice.say('/incident new 网上银行登录失败');
    expect(created).toMatchObject({ op: 'reply', msgType: 'interactive' });
    expect(cardText(created.content)).toContain('已新建事件 INC-20261130-01');
    const asked = await alice.say('13:40');
    expect(buttonsOf(asked.content).map((b) => b.label)).toContain('网上银行');

    // A card callback over the socket: the answer travels back base64-encoded in the response frame.
    const clicked = await alice.click('网上银行');
    expect(clicked.toast).toEqual({ type: 'success', content: '已记录：网上银行' });
    expect(cardText((clicked.card as { data: unknown }).data)).toMatch(/已回答：网上银行[\s\S]*主要功能/);
    const state = await h.store.load('INC-20261130-01');
    expect(state!.events.some((e) => (e.event as { path?: string }).path === 'networks.0.ref')).toBe(true);

    // The client echoes each data frame back with the handler's status, as the protocol requires.
    const answers = h.api.framesIn.filter((f) => f.method === 1);
    expect(answers.every((f) => headerOf(f, 'biz_rt') !== undefined)).toBe(true);
    await h.app.stop();
    expect(h.app.connected?.(), 'closed at stop').toBe(false);
  });

  it('handles an event re-delivered on the socket once', async () => {
    h = await Harness.start({ mode: 'ws' });
    const event = messageEvent({ text: '/incident new 网上银行登录失败', token: CREDS.token });
    expect((await h.api.pushEvent(event, 'f-1')).code).toBe(200);
    await h.app.idle();
    const recorded = (await h.store.load('INC-20261130-01'))!.events.length;
    expect((await h.api.pushEvent(event, 'f-2')).code).toBe(200);
    await h.app.idle();
    expect(h.api.sent).toHaveLength(1);
    expect((await h.store.load('INC-20261130-01'))!.events).toHaveLength(recorded);
    expect(await h.store.load('INC-20261130-02')).toBeNull();
  });

  it('logs no secret: not the app secret sent to the endpoint, nor the connection ticket the SDK logs at debug level', async () => {
    h = await Harness.start({ mode: 'ws' });
    await new FeishuUser(h).say('/incident new 测试');
    const all = h.logs.join('\n');
    expect(all).toContain('ticket=[redacted]'); // the SDK did log the connection URL
    for (const secret of [CREDS.appSecret, h.api.wsTicket, h.api.tenantToken]) expect(all).not.toContain(secret);
  });

  it('fails start-up readably when Feishu refuses the credentials', async () => {
    const api = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
    const store = createSqliteStore(':memory:');
    const clock = new FixedClock(Date.parse('2026-11-30T06:00:00Z'));
    const config = botConfig();
    const logs: string[] = [];
    await expect(startChat(feishu, {
      env: { FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: 'SECRETwrongsecret000', FEISHU_MODE: 'ws', FEISHU_DOMAIN: api.url, LOG_LEVEL: 'error' },
      bot: createBot({ store, config, now: clock.now }), store, config, now: clock.now, log: (m) => logs.push(m),
    })).rejects.toThrow(/FEISHU_APP_ID, FEISHU_APP_SECRET/);
    await api.close();
    await store.close();
    expect(logs.join('\n')).not.toContain('SECRETwrongsecret000');
  });
});

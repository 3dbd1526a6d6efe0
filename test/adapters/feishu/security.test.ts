import { afterEach, describe, expect, it } from 'vitest';
import type { Messenger, OutMessage } from '../../../adapters/feishu/transport/api.ts';
import { createPacer, pacedMessenger } from '../../../adapters/feishu/transport/pace.ts';
import { feishuOut, reminderUuid } from '../../../adapters/feishu/transport/send.ts';
import { PlatformConfigError as FeishuConfigError } from '../../../adapters/kit/errors.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { cardActionEvent, messageEvent } from '../../fakes/feishu-events.ts';
import { buttonsOf, CREDS, FeishuUser, Harness, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** A Messenger that records what it is asked to send, and when on a virtual clock. */
class RecordingMessenger implements Messenger {
  readonly calls: Array<{ op: string; to: string; uuid: string | undefined; at: number }> = [];
  private n = 0;
  constructor(private readonly clock: { ms: number } = { ms: 0 }) {}
  async create(chatId: string, _m: OutMessage, o: { uuid?: string } = {}) { this.calls.push({ op: 'create', to: chatId, uuid: o.uuid, at: this.clock.ms }); return `om_${++this.n}`; }
  async reply(messageId: string, _m: OutMessage, o: { uuid?: string } = {}) { this.calls.push({ op: 'reply', to: messageId, uuid: o.uuid, at: this.clock.ms }); return `om_${++this.n}`; }
  async patch() {}
  async uploadFile() { return 'file_1'; }
  async botOpenId() { return null; }
}

describe('Feishu: what the audit found', () => {
  it('a request signed 10 minutes ahead or behind gets 401 and records nothing', async () => {
    h = await Harness.start();
    for (const skewSec of [600, -600, 365 * 86_400]) {
      const r = await h.post(messageEvent({ text: '/incident new 预先签名', token: CREDS.token }), { encryptKey: CREDS.encryptKey, skewSec });
      expect(r.status, `${skewSec} s`).toBe(401);
    }
    expect(await h.store.listOpen()).toEqual([]);
    expect(h.api.sent).toEqual([]);
  });

  it('a wrong App Secret in HTTP mode stops start-up, naming FEISHU_APP_SECRET and not printing it', async () => {
    const e = await Harness.start({ env: { FEISHU_APP_SECRET: 'WRONGsecretValue123' } }).then(() => null, (x: Error) => x);
    expect(e).toBeInstanceOf(FeishuConfigError);
    expect(e!.message).toContain('FEISHU_APP_SECRET');
    expect(e!.message).not.toContain('WRONGsecretValue123');
  });

  it('one message under three event ids is handled once', async () => {
    h = await Harness.start();
    for (const eventId of ['ev_a', 'ev_b', 'ev_c']) {
      await h.post(messageEvent({ text: '/incident new 重复投递', token: CREDS.token, messageId: 'om_same', eventId }));
    }
    expect(await h.store.listOpen()).toHaveLength(1);
    expect(h.api.sent).toHaveLength(1);
  });

  it('a card callback whose action.value is JSON text (not an object) is read the same', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    await alice.say('/incident new 网上银行登录失败');
    await alice.submit('13:40');
    const { card, messageId } = alice.latestCard((c) => buttonsOf(c).some((b) => b.label === '网上银行'));
    const b = buttonsOf(card).find((x) => x.label === '网上银行')!;
    const answer = await alice.callback(cardActionEvent({ token: CREDS.token, value: JSON.stringify(b.value), messageId, chatId: alice.chatId, openId: alice.openId }));
    expect(answer.toast).toMatchObject({ type: 'success' });
    expect(JSON.stringify((await h.app.idle(), await h.store.load('INC-20261130-01'))!.events)).toContain('online-banking');
  });

  it('a message over 20,000 characters gets an error card, records nothing and is not echoed', async () => {
    h = await Harness.start();
    const r = await new FeishuUser(h).say(`/incident new ${'-\n'.repeat(15_000)}`);
    expect(textOf(r)).toContain('消息过长');
    expect(JSON.stringify(r.content).length).toBeLessThan(2000);
    expect(await h.store.listOpen()).toEqual([]);
  });

  it('reminder uuids include the store\'s identity: the same reminder key from another store is not taken for ours', async () => {
    const stores = [createSqliteStore(':memory:'), createSqliteStore(':memory:')];
    const uuids: Array<string | undefined> = [];
    for (const store of stores) {
      const messenger = new RecordingMessenger();
      // As the transport sends a reminder: its uuid from the store's identity and the reminder's key.
      const out = feishuOut({ messenger, store, now: () => 0, log: () => undefined });
      const send = async () => out.send({ chatId: 'oc_room' }, { msgType: 'text', text: '提醒' }, { uuid: `${await reminderUuid(out, 'INC-20261130-01:brief:due')}-r`, incident: 'INC-20261130-01' });
      await send();
      await send(); // again from the same store (now under the thread the first one started): the same key part
      const keyPart = (u: string | undefined) => u?.slice(0, 40);
      expect(keyPart(messenger.calls[1]!.uuid)).toBe(keyPart(messenger.calls[0]!.uuid));
      uuids.push(keyPart(messenger.calls[0]!.uuid));
    }
    expect(uuids[0]).not.toBe(uuids[1]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('messages to one chat are paced at 5 a second; other chats are not held up', async () => {
    const clock = { ms: 0 };
    const inner = new RecordingMessenger(clock);
    const pacer = createPacer({ now: () => clock.ms, sleep: async (ms) => { clock.ms += ms; } });
    const paced = pacedMessenger(inner, pacer);
    for (let i = 0; i < 12; i++) await paced.create('oc_busy', { msgType: 'text', text: `${i}` });
    await paced.reply('om_x', { msgType: 'text', text: 'other' }, { chatId: 'oc_quiet' });
    const busy = inner.calls.filter((c) => c.to === 'oc_busy').map((c) => c.at);
    for (const t of busy) expect(busy.filter((x) => x > t - 1000 && x <= t).length).toBeLessThanOrEqual(5);
    expect(busy.at(-1)).toBe(2000); // 12 messages: 5 at 0 s, 5 at 1 s, 2 at 2 s
    expect(inner.calls.at(-1)).toMatchObject({ to: 'om_x', at: 2000 }); // not delayed further by oc_busy's queue
  });
});

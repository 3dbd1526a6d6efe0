import type { Client } from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createMessenger, FeishuApiError, isTransient } from '../../../adapters/feishu/transport/api.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import type { ApiCall } from '../../fakes/feishu-api.ts';
import { CREDS, FeishuUser, Harness, cardText, textOf, withSlowClicks } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const REPLY = /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/;
const CREATE = /^\/open-apis\/im\/v1\/messages$/;
const uuidOf = (c: ApiCall) => (c.body as { uuid?: string }).uuid;
const textIn = (c: ApiCall) => String((c.body as { content?: unknown } | undefined)?.content ?? '');

describe('Feishu answers 429 or 500 to a reply: retried with backoff, posted once', () => {
  it('429 with x-ogw-ratelimit-reset: 1, then success: the reply waits the reset out and arrives once', async () => {
    h = await Harness.start(); // retries as in production, but the first wait is 5 ms: only the header makes it a second
    h.api.failNext(REPLY, 429, 99991400, { resetSeconds: 1 });
    const started = Date.now();
    const r = await new FeishuUser(h).say('/incident new 限流测试');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(cardText(r.content)).toContain('已新建事件 INC-20261130-01');
    const calls = h.api.callsTo(REPLY);
    expect(calls).toHaveLength(2); // the 429, then the retry
    expect(uuidOf(calls[0]!)).toMatch(/^ev-/);
    expect(uuidOf(calls[1]!)).toBe(uuidOf(calls[0]!)); // one logical message, one uuid
    expect(h.api.sent).toHaveLength(1);
    expect(h.api.callsTo(CREATE)).toEqual([]); // not posted to the chat as well
    expect(h.logs.join('\n')).toMatch(/im\.message\.reply: Feishu answered code 99991400 \(injected failure\), HTTP 429; trying again in 1000 ms \(retry 1 of 3\)/);
  });

  it('500 twice, then success: the third attempt is delivered, once, still threaded under the message', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    h.api.failNext(REPLY, 500, 1500, { times: 2 });
    const r = await alice.say('/incident new 网上银行登录失败', { messageId: 'om_user1' });
    expect(r).toMatchObject({ op: 'reply', target: 'om_user1' });
    expect(cardText(r.content)).toContain('已新建事件');
    expect(h.api.callsTo(REPLY).map(uuidOf)).toEqual(Array(3).fill(uuidOf(h.api.callsTo(REPLY)[0]!)));
    expect(h.api.sent).toHaveLength(1);
    // The incident's thread is the reply that went through.
    expect(await h.store.getSession('feishu-thread:INC-20261130-01', h.clock.now())).toEqual({ chatId: 'oc_incident', messageId: r.messageId });
  });

  it('Feishu\'s per-chat rate limit (HTTP 400, code 230020) is retried too; a validation error (400, 230001) never is', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    h.api.failNext(REPLY, 400, 230020);
    await alice.say('/incident new 测试');
    expect(h.api.callsTo(REPLY)).toHaveLength(2);

    h.api.failNext(REPLY, 400, 230001);
    const r = await alice.say('/incident set 重要数据 不确定');
    expect(h.api.callsTo(REPLY)).toHaveLength(3); // one attempt, no retry
    expect(r).toMatchObject({ op: 'create', target: 'oc_incident' }); // and the chat gets the answer
    expect(h.logs.join('\n')).not.toMatch(/230001.*trying again/);
  });

  it('a persistent 500: the adapter gives up after its retries, logs it without secrets, and carries on', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    h.api.failNext(REPLY, 500, 1500, { times: 100 });
    expect(await alice.sayAll('/incident new 测试')).toEqual([]);
    expect(h.api.callsTo(REPLY)).toHaveLength(4); // the first attempt and 3 retries
    expect(h.api.callsTo(CREATE)).toEqual([]); // no second copy to the chat, which would meet the same outage
    const logs = h.logs.join('\n');
    expect(logs).toMatch(/the reply to om_\w+ was not delivered \(im\.message\.reply: Feishu answered code 1500 \(injected failure\), HTTP 500, after 4 attempts\); giving up/);
    expect(logs.match(/trying again in (\d+) ms/g)).toEqual(['trying again in 5 ms', 'trying again in 10 ms', 'trying again in 20 ms']);
    for (const secret of [CREDS.appSecret, CREDS.encryptKey, CREDS.token, h.api.tenantToken]) expect(logs).not.toContain(secret);

    // Feishu is back: the next message is answered as usual (the incident was created all the same).
    h.api.clearFailures();
    const r = await alice.say('/incident set 重要数据 不确定');
    expect(cardText(r.content)).toContain('INC-20261130-01');
  });

  it('a reply Feishu posted but answered 500 to: the retry carries the same uuid, and Feishu keeps one message', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    h.api.failNext(REPLY, 500, 1500, { afterCommit: true });
    const r = await alice.say('/incident new 测试'); // exactly one message visible
    const calls = h.api.callsTo(REPLY);
    expect(calls).toHaveLength(2);
    expect(uuidOf(calls[1]!)).toBe(uuidOf(calls[0]!));
    expect(h.api.duplicates).toEqual([{ uuid: uuidOf(calls[0]!), messageId: r.messageId }]);
    expect(await h.store.getSession('feishu-thread:INC-20261130-01', h.clock.now())).toEqual({ chatId: 'oc_incident', messageId: r.messageId });

    // The same for a message posted to the chat (the user's message recalled): one uuid, one message.
    h.api.failNext(REPLY, 400, 230011);
    h.api.failNext(CREATE, 502, 1500, { afterCommit: true });
    const posted = await alice.say('/incident set 重要数据 不确定');
    expect(posted).toMatchObject({ op: 'create', target: 'oc_incident' });
    const creates = h.api.callsTo(CREATE);
    expect(creates).toHaveLength(2);
    expect(uuidOf(creates[1]!)).toBe(uuidOf(creates[0]!));
    expect(uuidOf(creates[0]!)).not.toBe(uuidOf(h.api.callsTo(REPLY).at(-1)!)); // the reply's and the post's differ
    expect(h.api.duplicates).toHaveLength(2);
  });

  it('a slow card callback\'s card update (im.message.patch) refused with 429 is retried and applied', async () => {
    const slow = await withSlowClicks();
    h = slow.h;
    const { alice } = slow;
    slow.hold();
    expect(await alice.click('网上银行')).toEqual({ toast: { type: 'info', content: '正在处理，结果稍后更新到这张卡片' } });
    h.api.failNext(/^\/open-apis\/im\/v1\/messages\/[^/]+$/, 429, 99991400, { times: 2 });
    slow.open();
    await h.app.idle();
    expect(h.api.callsTo(/^\/open-apis\/im\/v1\/messages\/[^/]+$/, 'PATCH')).toHaveLength(3);
    expect(h.api.messagesTo('patch')).toHaveLength(1);
    expect(cardText(h.api.last().content)).toMatch(/已回答：网上银行[\s\S]*主要功能/);
  });

  it('the fake keeps a uuid for an hour, as Feishu does', async () => {
    h = await Harness.start();
    const post = (uuid: string) => fetch(`${h!.api.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
      method: 'POST', headers: { authorization: `Bearer ${h!.api.tenantToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ receive_id: 'oc_x', msg_type: 'text', content: JSON.stringify({ text: 'hi' }), uuid }),
    }).then((r) => r.json() as Promise<{ code: number; data: { message_id: string } }>);
    let t = 1_000_000;
    h.api.now = () => t;
    const first = await post('u-1');
    expect((await post('u-1')).data.message_id).toBe(first.data.message_id);
    expect((await post('u-2')).data.message_id).not.toBe(first.data.message_id);
    t += 3_600_000;
    expect((await post('u-1')).data.message_id).not.toBe(first.data.message_id);
    expect(h.api.sent).toHaveLength(3);
  });
});

describe('Feishu answers 429 or 500 to a reminder', () => {
  it('a reminder refused with 429 then 500 is retried by the ticker with backoff and delivered once, in the thread', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    const root = (await alice.say('/incident new 网上银行登录失败')).messageId;
    await alice.say('/incident set 重要数据 不确定'); // 较大 at once: a brief is due at 15:00
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    const reminderCalls = () => h!.api.calls.filter((c) => textIn(c).includes('事发简要报告截止'));

    h.clock.set('2026-11-30T14:30:00+08:00');
    h.api.failNext(REPLY, 429, 99991400, { resetSeconds: 5 });
    const started = Date.now();
    expect((await ticker.tick()).failed).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000); // the Sender does not wait: the ticker's backoff is the retry
    h.clock.ms += 10_000;
    expect(await ticker.tick()).toMatchObject({ processed: 0, sent: [], failed: [] }); // backing off (15 s)
    h.clock.ms += 5_000;
    h.api.failNext(REPLY, 500, 1500);
    expect((await ticker.tick()).failed).toHaveLength(1);
    h.clock.ms += 30_000;
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    h.clock.ms += 60_000;
    await ticker.tick();

    const calls = reminderCalls();
    expect(calls.map((c) => c.path)).toEqual(Array(3).fill(`/open-apis/im/v1/messages/${root}/reply`)); // two refused, one taken; never to the chat
    const delivered = h.api.sent.filter((m) => textOf(m).includes('事发简要报告截止'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ op: 'reply', target: root, msgType: 'interactive' }); // a card: it carries the acknowledge button
    expect(h.logs.join('\n')).not.toContain('posting to the chat instead');
    const ledger = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { type: string; key?: string });
    expect(ledger.filter((e) => e.type === 'reminder-sent' && e.key?.includes(':brief'))).toHaveLength(1);
  });
});

/** An incident whose brief report falls due: the ticker's first reminder goes out at 14:30. */
async function incidentWithReminder(): Promise<Harness> {
  const started = await Harness.start();
  const alice = new FeishuUser(started);
  await alice.say('/incident new 网上银行登录失败');
  await alice.say('/incident set 重要数据 不确定');
  return started;
}

/** The ticker's retry 15 s later carries the first attempt's uuid, and Feishu shows the reminder once. */
async function retryKeepsOne(harness: Harness, ticker: ReturnType<typeof createTicker>): Promise<void> {
  harness.clock.ms += 15_000;
  expect((await ticker.tick()).sent).toHaveLength(1);
  const calls = harness.api.calls.filter((c) => textIn(c).includes('事发简要报告截止'));
  expect(calls).toHaveLength(2);
  expect(uuidOf(calls[1]!)).toBe(uuidOf(calls[0]!));
  expect(harness.api.sent.filter((m) => textOf(m).includes('事发简要报告截止'))).toHaveLength(1);
}

describe('a reminder Feishu posted but answered 500 to', () => {
  it('the ticker\'s retry carries the reminder key as its uuid, so Feishu keeps one message', async () => {
    h = await incidentWithReminder();
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    h.api.failNext(REPLY, 500, 1500, { afterCommit: true });
    expect((await ticker.tick()).failed).toHaveLength(1);
    await retryKeepsOne(h, ticker);
  });
});

describe('a reminder Feishu does not answer', () => {
  it('the ticker stops waiting at its deadline; the retry carries the same uuid, and the post that landed late stays the only one', async () => {
    h = await incidentWithReminder();
    const logs: string[] = [];
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now, sendDeadlineMs: 50, log: (m) => logs.push(m) });
    h.clock.set('2026-11-30T14:30:00+08:00');
    const release = h.api.hang(REPLY);
    const first = await ticker.tick(); // returns although Feishu has not answered
    expect(first.pending).toEqual(['INC-20261130-01:brief:T-30']);
    await ticker.settled(); // the Feishu sender gives up at once: a re-send is de-duplicated by its uuid
    expect(logs.join('\n')).toMatch(/no answer before the deadline/);
    expect(h.api.sent.filter((m) => textOf(m).includes('事发简要报告截止'))).toHaveLength(0);
    release(); // the held reply lands now, with nobody waiting for its answer
    while (!h.api.sent.some((m) => textOf(m).includes('事发简要报告截止'))) await new Promise((r) => setTimeout(r, 5));
    await retryKeepsOne(h, ticker);
    const ledger = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { type: string; key?: string });
    expect(ledger.filter((e) => e.type === 'reminder-sent' && e.key?.includes(':brief'))).toHaveLength(1);
  });
});

describe('the messenger\'s retry policy', () => {
  /** An axios-like error, as the SDK throws for an HTTP error status or no answer. */
  const httpError = (status: number, data: unknown, headers: Record<string, string> = {}) =>
    Object.assign(new Error(`Request failed with status code ${status}`), { isAxiosError: true, response: { status, data, headers } });
  const noAnswer = (code: string) => Object.assign(new Error(`connect ${code}`), { isAxiosError: true, code });

  /** A client whose im.message.reply throws the given errors in turn, then succeeds; the waits are recorded. */
  function stub(errors: unknown[], retry = {}) {
    const uuids: unknown[] = [];
    const waits: number[] = [];
    const client = {
      im: {
        v1: {
          message: {
            reply: async (p: { data: { uuid?: string } }) => {
              uuids.push(p.data.uuid);
              if (errors.length) throw errors.shift();
              return { code: 0, msg: 'success', data: { message_id: 'om_ok' } };
            },
          },
        },
      },
    } as unknown as Client;
    const messenger = createMessenger(client, { retry, log: () => undefined, sleep: async (ms) => { waits.push(ms); } });
    return { messenger, uuids, waits };
  }
  const text = { msgType: 'text', text: 'hi' } as const;

  it('by default: 3 retries waiting 200, 400, 800 ms, each with the first attempt\'s uuid', async () => {
    const s = stub([httpError(500, { code: 1500 }), httpError(503, 'busy'), noAnswer('ECONNRESET')]);
    expect(await s.messenger.reply('om_1', text)).toBe('om_ok');
    expect(s.waits).toEqual([200, 400, 800]);
    expect(new Set(s.uuids).size).toBe(1);
    expect(String(s.uuids[0])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('x-ogw-ratelimit-reset lengthens a wait, up to maxWaitMs; a rate-limit code with HTTP 200 is retried', async () => {
    const s = stub([
      httpError(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': '3' }),
      httpError(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': '60' }),
    ]);
    await s.messenger.reply('om_1', text);
    expect(s.waits).toEqual([3000, 10_000]);

    const answers = [{ code: 11232, msg: 'create message service trigger rate limit' }, { code: 0, data: { message_id: 'om_2' } }];
    const waits: number[] = [];
    const client = { im: { v1: { message: { create: async () => answers.shift() } } } } as unknown as Client;
    const m = createMessenger(client, { sleep: async (ms) => { waits.push(ms); } });
    expect(await m.create('oc_1', text)).toBe('om_2');
    expect(waits).toEqual([200]);
  });

  it('gives up after the retries with a transient error saying so; never retries a 4xx or an unknown error', async () => {
    const s = stub(Array.from({ length: 5 }, () => httpError(500, { code: 1500, msg: 'internal' })), { retries: 2, baseMs: 1 });
    const e = await s.messenger.reply('om_1', text).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FeishuApiError);
    expect(isTransient(e)).toBe(true);
    expect((e as Error).message).toBe('im.message.reply: Feishu answered code 1500 (internal), HTTP 500, after 3 attempts');
    expect(s.waits).toEqual([1, 2]);

    const bad = stub([httpError(400, { code: 230001, msg: 'invalid content' })]);
    const refused = await bad.messenger.reply('om_1', text).catch((x: unknown) => x);
    expect(isTransient(refused)).toBe(false);
    expect((refused as FeishuApiError).code).toBe(230001);
    expect(bad.uuids).toHaveLength(1);

    const odd = stub([new TypeError('boom')]);
    await expect(odd.messenger.reply('om_1', text)).rejects.toThrow('boom');
    expect(odd.uuids).toHaveLength(1);

    const none = stub([httpError(500, {})], { retries: 0 });
    await expect(none.messenger.reply('om_1', text)).rejects.toThrow('im.message.reply: Feishu answered code ?, HTTP 500');
    expect(none.uuids).toHaveLength(1);
  });
});

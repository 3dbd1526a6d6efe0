// Two bot instances on one store (one SQLite file, or one Redis prefix): a store failure leaves nothing that makes the
// source's retry look like a duplicate, and two alerts for one network at once make one proposal, not two.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAlertService, type AlertService } from '../../src/alerts/service.ts';
import type { AlertSignal } from '../../src/alerts/signal.ts';
import { createBot } from '../../src/bot.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { ALERTS, ROOM } from '../adapters/alerts/harness.ts';
import { botConfig, FixedClock } from '../fakes/chat.ts';
import { fillDisk, freeDisk } from '../fakes/inbox.ts';
import { mkdirSync } from 'node:fs';
import { deleteKeys, describeRedis, uniquePrefix, url as sharedRedis } from '../fakes/redis.ts';
import { startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';
import { RecordingSender } from '../fakes/sender.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-alert-replicas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (hhmm: string) => parseIso(`2026-11-30T${hhmm}:00+08:00`);
const config = botConfig({ gradingRules: [], alerts: ALERTS, responsible: [] });

function signal(alertId: string, over: Partial<AlertSignal> = {}): AlertSignal {
  return { source: 'alertmanager', alertId, name: `CoreBankingDown-${alertId}`, status: 'firing', labels: { service: 'core-banking' }, summary: '', startsAtMs: at('11:20'), endsAtMs: null, ...over };
}

interface Replica {
  store: Store;
  sender: RecordingSender;
  service: AlertService;
  logs: string[];
}

function replica(store: Store, clock: FixedClock): Replica {
  const sender = new RecordingSender(clock.now);
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const bot = createBot({ store, config, now: clock.now, log });
  return { store, sender, logs, service: createAlertService({ store, config, alerts: ALERTS, bot, sender, now: clock.now, log }) };
}

/** Proposes with a first alert and opens the incident by the button, on replica r: the incident's id. */
async function openIncident(r: Replica, first: AlertSignal): Promise<string> {
  expect(await r.service.receive([first])).toMatchObject({ accepted: 1 });
  const q = r.sender.sent.flatMap((m) => m.replies).find((x) => x.type === 'question');
  if (!q || q.type !== 'question') throw new Error('no proposal card');
  const replies = await r.service.decide({ kind: 'action', text: 'open', questionId: 'alert-proposal', incidentId: q.question.incidentId, user: 'test:alice', conversation: ROOM });
  const m = /INC-\d{8}-\d{2}/.exec(renderText(replies!));
  return m![0];
}

async function alertIdsOf(store: Store, id: string): Promise<string[]> {
  return ((await store.load(id))?.events ?? []).map((e) => e.event as { type: string; alertId?: string }).filter((e) => e.type === 'alert').map((e) => e.alertId!);
}

/**
 * Fills the file to its page limit (fillDisk), then the free room left in the sessions' and the events' pages, so that
 * every write fails with SQLITE_FULL; freeing the inbox rows gives room back.
 */
async function fillEverything(store: Store, nowMs: number): Promise<string[]> {
  const fillers = await fillDisk(store, nowMs);
  let n = 0;
  for (const size of [1024, 128, 16, 1]) {
    for (;;) {
      try {
        await store.setSession(`filler:${n++}`, 'x'.repeat(size), 86_400_000, nowMs);
      } catch {
        break;
      }
    }
  }
  let version = 0;
  for (const size of [1024, 128, 16, 1]) {
    for (;;) {
      try {
        version = await store.append('DRILL-20261130-99', version, [{ type: 'filler', x: 'x'.repeat(size) }], version === 0 ? { id: 'DRILL-20261130-99', conversation: 'filler', open: false, createdAtMs: nowMs, drill: true } : undefined);
      } catch {
        break;
      }
    }
  }
  return fillers;
}

/** Calls f until it stops throwing (a store reconnecting with backoff); the outcome of the call that succeeded. */
async function untilItWorks<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    try {
      return await f();
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('the store never came back');
}

describe('a store failure mid-notification: the retry is processed, never answered as a duplicate', () => {
  it('SQLite full (its page-count limit): replica A fails; the retry at replica B, on the same file, records the alert', async () => {
    const file = join(dir, 'full.db');
    const clock = new FixedClock(at('11:25'));
    const a = replica(createSqliteStore(file, { maxPageCount: 400 }), clock);
    const b = replica(createSqliteStore(file, { maxPageCount: 400 }), clock);
    const id = await openIncident(a, signal('fp1'));

    const fillers = await fillEverything(a.store, clock.now());
    await expect(a.service.receive([signal('fp2', { startsAtMs: at('11:10') })])).rejects.toThrow();
    expect(await alertIdsOf(a.store, id)).toEqual(['fp1']);
    await freeDisk(a.store, fillers, clock.now());

    expect(await b.service.receive([signal('fp2', { startsAtMs: at('11:10') })])).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await a.service.receive([signal('fp2', { startsAtMs: at('11:10') })])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await alertIdsOf(b.store, id)).toEqual(['fp1', 'fp2']);
    expect((await b.store.load(id))!.events.some((e) => (e.event as { path?: string; value?: unknown }).path === 'networks.0.outage.start' && (e.event as { value: unknown }).value === at('11:10'))).toBe(true);
    await a.store.close();
    await b.store.close();
  });

  it('SQLite full while proposing: the retry at the other replica posts the proposal card', async () => {
    const file = join(dir, 'full-proposal.db');
    const clock = new FixedClock(at('11:25'));
    const a = replica(createSqliteStore(file, { maxPageCount: 400 }), clock);
    const b = replica(createSqliteStore(file, { maxPageCount: 400 }), clock);
    const fillers = await fillEverything(a.store, clock.now());
    await expect(a.service.receive([signal('fp1')])).rejects.toThrow();
    await freeDisk(a.store, fillers, clock.now());
    expect(await b.service.receive([signal('fp1')])).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(b.sender.sent.flatMap((m) => m.replies).filter((r) => r.type === 'question')).toHaveLength(1);
    expect(a.sender.sent).toEqual([]);
    await a.store.close();
    await b.store.close();
  });
});

let server: PrivateRedis | null = null;
afterEach(async () => {
  await server?.kill();
  server = null;
});

describeRedis('Redis fails mid-notification, two replicas on one prefix', () => {
  it('Redis stopped: replica A fails; when Redis is back, the retry at replica B records the alert', async () => {
    mkdirSync(join(dir, 'stopped'));
    server = await startPrivateRedis(join(dir, 'stopped')); // an append-only file: a restart keeps what it acknowledged
    const { port } = server;
    const clock = new FixedClock(at('11:25'));
    const a = replica(await createRedisStore(server.url, { prefix: 'alerts:' }), clock);
    const b = replica(await createRedisStore(server.url, { prefix: 'alerts:' }), clock);
    const id = await openIncident(a, signal('fp1'));

    await server.kill();
    await expect(a.service.receive([signal('fp2', { startsAtMs: at('11:10') })])).rejects.toThrow();
    server = await startPrivateRedis(join(dir, 'stopped'), { port });

    expect(await untilItWorks(() => b.service.receive([signal('fp2', { startsAtMs: at('11:10') })]))).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await untilItWorks(() => a.service.receive([signal('fp2', { startsAtMs: at('11:10') })]))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await alertIdsOf(b.store, id)).toEqual(['fp1', 'fp2']);
    await a.store.close();
    await b.store.close();
  }, 60_000);

  it('Redis out of memory (maxmemory, noeviction): replica A is refused; once memory is freed the retry at replica B completes what A could not', async () => {
    mkdirSync(join(dir, 'oom'));
    server = await startPrivateRedis(join(dir, 'oom'), { aof: false, args: ['--maxmemory-policy', 'noeviction'] });
    const clock = new FixedClock(at('11:25'));
    const a = replica(await createRedisStore(server.url, { prefix: 'alerts:' }), clock);
    const b = replica(await createRedisStore(server.url, { prefix: 'alerts:' }), clock);
    const id = await openIncident(a, signal('fp1'));

    const raw = createClient({ url: server.url });
    raw.on('error', () => {});
    await raw.connect();
    // Memory in use, then a maxmemory below it: every write is refused with OOM, as on a full Redis.
    const junk = 32;
    for (let i = 0; i < junk; i++) await raw.set(`junk:${i}`, 'x'.repeat(65_536));
    const used = Number(/used_memory:(\d+)/.exec(await raw.info('memory'))![1]);
    await raw.configSet('maxmemory', String(Math.floor(used / 2)));
    await expect(raw.set('probe', '1')).rejects.toThrow(/OOM/);
    await expect(a.service.receive([signal('fp2', { startsAtMs: at('11:10') })])).rejects.toThrow(/OOM/);
    // Memory freed: the junk deleted and room given (what an operator does).
    await raw.configSet('maxmemory', String(64 * 1024 * 1024));
    for (let i = 0; i < junk; i++) await raw.del(`junk:${i}`);
    await raw.close();
    // Whatever part of the attempt Redis took (here the append got in, the link did not), the retry completes it:
    // the alert is in the log once, posted once, and linked.
    expect(await untilItWorks(() => b.service.receive([signal('fp2', { startsAtMs: at('11:10') })]))).toMatchObject({ accepted: expect.any(Number), duplicates: expect.any(Number) });
    expect(await alertIdsOf(b.store, id)).toEqual(['fp1', 'fp2']);
    expect([...a.sender.sent, ...b.sender.sent].filter((m) => m.text.includes('CoreBankingDown-fp2'))).toHaveLength(1);
    expect(await b.store.getSession('alert-link|alertmanager|fp2', clock.now())).toEqual({ incidentId: id, network: 0 });
    expect(await a.service.receive([signal('fp2', { startsAtMs: at('11:10') })])).toMatchObject({ accepted: 0, duplicates: 1 });
    await a.store.close();
    await b.store.close();
  }, 60_000);
});

/** Two different alerts for one network at two replicas at once, ten rounds: one proposal card each round. */
async function race(a: Replica, b: Replica, clock: FixedClock): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const x = signal(`x${round}`, { name: 'CoreBankingDown' });
    const y = signal(`y${round}`, { name: 'CoreTxnErrors', source: 'nightingale' });
    // A replica that finds the card being posted by the other answers 503; the source retries.
    const deliver = (r: Replica, s: AlertSignal) => untilItWorks(() => r.service.receive([s]));
    const [aBefore, bBefore] = [a.sender.sent.length, b.sender.sent.length];
    await Promise.all([deliver(a, x), deliver(b, y)]);
    const posted = [...a.sender.sent.slice(aBefore), ...b.sender.sent.slice(bBefore)];
    const cards = posted.flatMap((m) => m.replies).filter((r) => r.type === 'question');
    expect(cards, `round ${round}`).toHaveLength(1);
    expect(posted).toHaveLength(2); // the card, and "another alert ... added"
    // The person opens it: one incident, both alerts on it.
    const last = cards[0]!;
    const replies = await a.service.decide({ kind: 'action', text: 'open', questionId: 'alert-proposal', incidentId: last.type === 'question' ? last.question.incidentId : '', user: 'test:alice', conversation: ROOM });
    const id = /INC-\d{8}-\d{2}/.exec(renderText(replies!))![0];
    expect((await alertIdsOf(a.store, id)).sort()).toEqual([`x${round}`, `y${round}`]);
    expect(await b.service.decide({ kind: 'action', text: 'open', questionId: 'alert-proposal', incidentId: last.type === 'question' ? last.question.incidentId : '', user: 'test:bob', conversation: ROOM })).toEqual([expect.objectContaining({ text: expect.stringContaining('已处理过') })]);
    // Resolved by a person, so the next round's alerts have no open incident and propose again.
    const bot = createBot({ store: a.store, config, now: clock.now });
    await bot.handle({ kind: 'command', text: 'resolve', user: 'test:alice', conversation: ROOM });
    expect((await bot.load(id))!.resolvedAt).not.toBeNull();
  }
  // Proposals keep nothing in the store's sequences: the ledger's high-water mark is still the last incident id.
  expect((await a.store.summary()).lastId).toBe('INC-20261130-10');
}

describe('two replicas, two alerts for one network at once: one proposal', () => {
  it('SQLite, one file', async () => {
    const file = join(dir, 'race.db');
    const clock = new FixedClock(at('11:25'));
    const a = replica(createSqliteStore(file), clock);
    const b = replica(createSqliteStore(file), clock);
    await race(a, b, clock);
    await a.store.close();
    await b.store.close();
  }, 60_000);
});

describeRedis('two replicas, two alerts for one network at once: one proposal (Redis)', () => {
  it('Redis, one prefix', async () => {
    const prefix = uniquePrefix('alert-race');
    const clock = new FixedClock(at('11:25'));
    const a = replica(await createRedisStore(sharedRedis, { prefix }), clock);
    const b = replica(await createRedisStore(sharedRedis, { prefix }), clock);
    try {
      await race(a, b, clock);
    } finally {
      await a.store.close();
      await b.store.close();
      await deleteKeys(prefix);
    }
  }, 60_000);
});

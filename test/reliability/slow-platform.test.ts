// One slow or refusing platform call must neither hold every reminder nor cause doubles.
// Real Slack SDK (WebClient) against the fake Slack on loopback, real SQLite files and a real Redis.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createReminderClient, createSlackSender } from '../../adapters/slack/transport/reminders.ts';
import { loadIncident, metaOf } from '../../src/incident/stored.ts';
import { pendingRaises } from '../../src/incident/assess.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { apply, emptyState } from '../../src/incident/state.ts';
import { nextWake } from '../../src/reminders/planner.ts';
import { createTicker, type Ticker, type Timers } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig } from '../fakes/chat.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { BOT_TOKEN, startHarness, type Harness } from '../fakes/slack-harness.ts';

const config = botConfig();
const T0 = parseIso('2026-11-30T09:00:00+08:00');
const BRIEF = '事发简要报告截止';

/** A 较大 incident (ransomware harm) recorded at T0 in channel C<n>: its brief report's T-30 step falls due at 09:30. */
async function seed(store: Store, n: number): Promise<string> {
  const id = `INC-20261130-0${n}`;
  const base = [
    { type: 'created', id, title: `勒索 ${n}`, conversation: `slack:T1:C${n}`, at: T0, actor: 'seed' },
    { type: 'fact-set', path: 'ransomwareHarm', value: true, at: T0, actor: 'seed' },
  ] as IncidentEvent[];
  const s = base.reduce(apply, emptyState());
  const after = pendingRaises(s, T0, config.assess).reduce(apply, s);
  await store.append(id, 0, [...base, ...pendingRaises(s, T0, config.assess)], metaOf(after));
  await store.setWake(id, nextWake(after, T0, config.assess));
  return id;
}

const sentKeys = async (store: Store, id: string) => (await loadIncident(store, id))!.remindersSent;

/** Yields to I/O until cond holds; fails after many turns (a bound on work, not on time). */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200_000; i++) {
    if (await cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * The tickers' send deadlines and claim renewals, on a clock the test moves: nothing here depends on how fast the
 * machine is. A timer fires only when advance() moves the clock past it.
 */
class ManualTimers implements Timers {
  private queue: Array<{ at: number; fn: () => void }> = [];
  constructor(private readonly clock: { ms: number }) {}
  setTimeout(fn: () => void, delayMs: number): unknown {
    const h = { at: this.clock.ms + delayMs, fn };
    this.queue.push(h);
    return h;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((h) => h !== handle);
  }
  get armed(): number {
    return this.queue.length;
  }
  /** Moves the clock to each due timer in turn and fires it; `after` waits for what the timer set off. */
  async advance(ms: number, after: () => Promise<void> = async () => undefined): Promise<void> {
    const end = this.clock.ms + ms;
    for (;;) {
      const next = this.queue.filter((h) => h.at <= end).sort((x, y) => x.at - y.at)[0];
      if (!next) break;
      this.queue = this.queue.filter((h) => h !== next);
      this.clock.ms = Math.max(this.clock.ms, next.at);
      next.fn();
      await after();
    }
    this.clock.ms = end;
  }
}

/**
 * Two replicas, each with its own store handle, Slack client and ticker, on one clock the test moves (claims on SQLite
 * expire by the caller's clock; on Redis the window is long enough never to lapse in real time). The send deadline
 * fires when the test moves the clock past it, after the other channels' reminders have gone out.
 */
function twoReplicas(kind: string, open: () => Promise<Store>) {
  const CLAIM_MS = 60_000;
  const DEADLINE_MS = 20_000;
  let api: FakeSlackApi;
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await api?.close();
  });

  it(`${kind}: chat.postMessage hanging past the claim window: every reminder posted once, the others not held up`, async () => {
    const clock = { ms: T0 + 30 * 60_000 + 1_000 };
    const now = () => clock.ms;
    const timers = new ManualTimers(clock);
    api = await FakeSlackApi.start({ bot: BOT_TOKEN }, { now });
    const [a, b] = [await open(), await open()];
    opened.push(a, b);
    const ids = [await seed(a, 1), await seed(a, 2), await seed(a, 3)];
    const logs: string[] = [];
    const replica = (store: Store, name: string): Ticker => createTicker({
      store, config, now, claimTtlMs: CLAIM_MS, sendDeadlineMs: DEADLINE_MS, sendTimers: timers, log: (m) => logs.push(`${name}: ${m}`),
      sender: createSlackSender({ client: createReminderClient(BOT_TOKEN, { apiUrl: api.apiUrl, timeoutMs: 30_000 }), store, now, command: '/incident', defaultLang: 'zh-CN' }),
    });
    const [ta, tb] = [replica(a, 'A'), replica(b, 'B')];
    const postsTo = (channel: string) => api.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);

    // The post to C1 hangs until released: Slack holds the request, then takes it (a post that lands late).
    const release = api.hang('chat.postMessage', { match: (body) => body.channel === 'C1' });
    const passes = Promise.all([ta.tick(), tb.tick()]);
    // C2's and C3's reminders go out and are recorded while C1's post hangs; only then does its deadline pass.
    await until(async () => postsTo('C1').length === 1 && (await sentKeys(a, ids[1]!)).length === 1 && (await sentKeys(a, ids[2]!)).length === 1, 'C2 and C3 posted');
    await timers.advance(DEADLINE_MS);
    const [ra, rb] = await passes;
    // Both passes are over while C1's post still hangs: C2's and C3's reminders went out meanwhile.
    expect([...ra.pending, ...rb.pending]).toEqual([`${ids[0]}:brief:T-30`]);
    expect(api.channelMessages('C2').map((m) => m.text)).toEqual([expect.stringContaining(BRIEF)]);
    expect(api.channelMessages('C3').map((m) => m.text)).toEqual([expect.stringContaining(BRIEF)]);
    expect(api.channelMessages('C1')).toEqual([]);
    expect(await sentKeys(a, ids[0]!)).toEqual([]); // not recorded: it has not been posted
    expect(logs.join('\n')).toMatch(/no answer within 20000 ms/);

    // Several claim windows pass (the claim renewed as they do); both replicas look at C1's incident again, and
    // neither posts a second copy.
    await timers.advance(3 * CLAIM_MS, () => until(() => timers.armed > 0, 'the claim renewal re-armed'));
    for (let i = 0; i < 2; i++) {
      await Promise.all([ta.reindex(), tb.reindex()]);
      await Promise.all([ta.tick(), tb.tick()]);
    }
    expect(postsTo('C1')).toHaveLength(1);
    expect(logs.join('\n')).not.toMatch(/CLAIM LOST/);

    release();
    await Promise.all([ta.settled(), tb.settled()]);
    await Promise.all([ta.reindex(), tb.reindex()]);
    await Promise.all([ta.tick(), tb.tick()]);
    for (const [n, id] of ids.entries()) {
      expect(postsTo(`C${n + 1}`)).toHaveLength(1);
      expect(api.channelMessages(`C${n + 1}`)).toHaveLength(1);
      expect(await sentKeys(b, id)).toEqual([`${id}:brief:T-30`]); // one reminder-sent per post that happened
      expect(await b.isDone(`${id}:brief:T-30`)).toBe(true);
    }
    await Promise.all([ta.stop(), tb.stop()]);
  });
}

describe('two replicas on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-slow-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  twoReplicas('sqlite', async () => createSqliteStore(join(dir, 'ledger.db'))); // both replicas on one file
});

describeRedis('two replicas on one Redis', () => {
  const prefix = uniquePrefix('slow-platform');
  afterAll(() => deleteKeys(prefix));
  twoReplicas('redis', () => createRedisStore(url, { prefix }));
});

describe('Slack refuses or fails a reminder', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.stop();
    h = null;
  });
  const reminderPosts = (x: Harness) => x.api.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes(BRIEF));
  const reminderMessages = (x: Harness) => x.api.messages.filter((m) => m.text.includes(BRIEF));
  const ledger = async (x: Harness) => (await x.store.load('INC-20261130-01'))!.events.map((e) => e.event as IncidentEvent).filter((e) => e.type === 'reminder-sent');

  it('429 with Retry-After: 70: the reminder waits 70 s and goes out once; a user\'s card meanwhile is not held up', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slackDriver, clock, ticker } = h;
    await slackDriver.commandLine('new 勒索');
    await slackDriver.commandLine('set ransomwareHarm 是'); // 较大: the brief report is due at 15:00
    clock.set('2026-11-30T14:30:00+08:00');
    api.failHttp('chat.postMessage', 429, 1, 70);
    expect((await ticker.tick()).failed).toEqual(['INC-20261130-01:brief:T-30']);

    // A user's command while the reminder waits out its 70 s: the card comes through the app's own client at once.
    await slackDriver.commandLine('new 第二个事件');
    const card = api.messages.findIndex((m) => m.text.includes('INC-20261130-02'));
    expect(card).toBeGreaterThanOrEqual(0);
    expect(reminderMessages(h)).toEqual([]); // still waiting

    clock.ms += 69_000;
    expect((await ticker.tick()).sent).toEqual([]); // Retry-After honoured, not the 15 s backoff
    expect(reminderPosts(h)).toHaveLength(1);
    clock.ms += 1_000;
    expect((await ticker.tick()).sent.map((r) => r.key)).toEqual(['INC-20261130-01:brief:T-30']);
    clock.ms += 60_000;
    await ticker.tick();
    expect(reminderPosts(h)).toHaveLength(2); // the refused one and the one taken
    expect(reminderMessages(h)).toHaveLength(1);
    expect(api.messages.indexOf(reminderMessages(h)[0]!)).toBeGreaterThan(card); // the card came first
    expect((await ledger(h)).map((e) => e.type === 'reminder-sent' && e.key)).toEqual(['INC-20261130-01:brief:T-30']);
  });

  it('a 5xx after the post took effect: the retry finds it in the thread (metadata) and does not post again; one reminder-sent', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00', apiClock: true });
    const { api, slackDriver, clock } = h;
    const logs: string[] = [];
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.slack.sender, now: clock.now, log: (m) => logs.push(m) });
    await slackDriver.commandLine('new 勒索');
    await slackDriver.commandLine('set ransomwareHarm 是');
    clock.set('2026-11-30T14:30:00+08:00');
    api.failAfterEffect('chat.postMessage', 500, 1, (b) => String(b.text).includes(BRIEF));
    expect((await ticker.tick()).failed).toEqual(['INC-20261130-01:brief:T-30']);
    expect(reminderMessages(h)).toHaveLength(1); // Slack took it; its answer was a 500
    expect(reminderMessages(h)[0]!.metadata).toEqual({ event_type: 'pboc_reminder', event_payload: { key: 'INC-20261130-01:brief:T-30', part: 1, of: 1 } });
    expect(await ledger(h)).toEqual([]); // not recorded while it is not known to have gone out

    clock.ms += 15_000;
    expect((await ticker.tick()).sent.map((r) => r.key)).toEqual(['INC-20261130-01:brief:T-30']);
    expect(api.callsTo('conversations.replies').at(-1)!.body).toMatchObject({ channel: 'C1', include_all_metadata: true });
    clock.ms += 60_000;
    await ticker.tick();
    expect(reminderPosts(h)).toHaveLength(1); // never posted again
    expect(reminderMessages(h)).toHaveLength(1);
    expect((await ledger(h)).map((e) => e.type === 'reminder-sent' && e.key)).toEqual(['INC-20261130-01:brief:T-30']);
    expect(logs.join('\n')).toMatch(/an earlier attempt did post it/);
  });

  it('a 5xx before anything was posted: the check finds nothing, and the retry posts it once', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00', apiClock: true });
    const { api, slackDriver, clock, ticker } = h;
    await slackDriver.commandLine('new 勒索');
    await slackDriver.commandLine('set ransomwareHarm 是');
    clock.set('2026-11-30T14:30:00+08:00');
    api.failHttp('chat.postMessage', 503, 1);
    expect((await ticker.tick()).failed).toHaveLength(1);
    clock.ms += 15_000;
    expect((await ticker.tick()).sent).toHaveLength(1);
    expect(api.callsTo('conversations.replies').length + api.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(reminderPosts(h)).toHaveLength(2);
    expect(reminderMessages(h)).toHaveLength(1);
    expect(await ledger(h)).toHaveLength(1);
  });
});

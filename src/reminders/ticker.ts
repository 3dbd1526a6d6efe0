import { retryOnConflict } from '../store/retry-on-conflict.ts';
import { loadIncident, metaOf } from '../incident/stored.ts';
import type { BotConfig } from '../config/bot-config.ts';
import { assess, pendingRaises } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { apply, type IncidentState } from '../incident/state.ts';
import { VersionConflictError, type Store } from '../store/types.ts';
import { createHash, randomUUID } from 'node:crypto';
import { BASE_BACKOFF_MS, createDelivery, NODE_TIMERS, type Delivery, type Timers } from './delivery.ts';
import { ackNames, digestText, groupText, raiseText, type Outbound, type Sender } from './message.ts';
import { t, type Lang } from '../i18n/index.ts';
import { shanghaiDate, startOfShanghaiDate } from '../calendar/time.ts';
import { conversationLangKey, DEFAULT_POLICY, GROUP_MAX, dueReminders, nextWake, type Reminder, type ReminderPolicy } from './planner.ts';

export type { Timers } from './delivery.ts';

export interface TickerDeps {
  store: Store;
  config: BotConfig;
  sender: Sender;
  now: () => number;
  policy?: ReminderPolicy;
  claimTtlMs?: number; // how long a claimed reminder is held while sending
  batch?: number; // incidents per tick at most
  reindexEveryMs?: number; // rebuild the wake index this often, in case a write to it was lost (default 10 min)
  /**
   * Optional institution-wide digest (DIGEST_CONVERSATION, DIGEST_AT): on each working day at `at` (HH:mm, Shanghai),
   * the digest text of every open incident, to `conversation`. Conversations get their own digest slots from the policy
   * (`digestAt`); a slot of this conversation at the same time is this post.
   */
  digest?: { conversation: string; at: string };
  log?: (msg: string) => void;
  /** The timers the ticker arms itself with (default: Node's). Tests pass a scheduler they drive. */
  timers?: Timers;
  /**
   * How long a pass waits for one send before it moves on (default 20 s). The send is aborted (Sender's signal); the
   * key stays claimed, and the claim renewed, until the adapter's request has ended, so no replica posts it meanwhile.
   */
  sendDeadlineMs?: number;
  /** Due incidents processed at once (default 8), so one slow send holds up no other incident; one incident's reminders stay in order. */
  concurrency?: number;
  /** Timers for send deadlines and claim renewals: real waiting, so Node's by default even when `timers` is a test's. */
  sendTimers?: Timers;
  /** This ticker's name as a claim owner (default random): renewals and the check before marking done use it. */
  owner?: string;
  /** Told of every reminder recorded as posted (for the metrics' lateness: posted − when its step fell due). */
  onPosted?: (r: Reminder, postedAtMs: number) => void;
}

export interface TickResult {
  processed: number; // incidents whose wake time had come
  sent: Reminder[];
  failed: string[]; // keys released for a retry
  raised: number; // grade raises recorded by this tick
  pending: string[]; // keys whose send outlived the deadline: still claimed, recorded if and when it succeeds
}

export interface Ticker {
  tick(): Promise<TickResult>;
  /** Indexes the next wake-up of every open incident (start-up, or after an index was lost). */
  reindex(): Promise<number>;
  /**
   * Runs a pass at the earliest indexed wake-up, and at least every intervalMs (the safety net), re-arming when
   * a wake-up is set earlier, here or on another replica (Store.onWake). Resolves once armed and listening.
   */
  start(intervalMs: number): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every send that outlived its deadline has ended (and been recorded, or released for a retry). */
  settled(): Promise<void>;
  /** When (deps.now) the last pass that reached the store's wake index ended; null before the first: what readiness checks. */
  lastPassAtMs(): number | null;
}

/**
 * The posts due reminders make, in time order: the reminders of one incident whose steps fall in the same minute go
 * out as one post (at most GROUP_MAX, what an acknowledge button can carry); a digest slot is its own post.
 */
export function postsOf(due: readonly Reminder[]): Reminder[][] {
  const posts: Reminder[][] = [];
  const open = new Map<number, Reminder[]>();
  for (const r of due) {
    const minute = Math.floor(r.atMs / 60_000);
    const post = r.digest ? undefined : open.get(minute);
    if (post && post.length < GROUP_MAX) { post.push(r); continue; }
    const next = [r];
    posts.push(next);
    if (!r.digest) open.set(minute, next);
  }
  return posts;
}

/** A post of several reminders is claimed under a key its members decide: the same members, the same key, on any replica. */
export function groupKey(incidentId: string, members: readonly Reminder[]): string {
  const digest = createHash('sha256').update(members.map((m) => m.key).sort().join('\n')).digest('hex').slice(0, 16);
  return `${incidentId}:group:${digest}`;
}

const minutesOf = (hhmm: string) => { const [h, m] = hhmm.split(':').map(Number) as [number, number]; return h * 60 + m; };

export function createTicker(deps: TickerDeps): Ticker {
  const { store, config, sender } = deps;
  const policy = deps.policy ?? config.reminders ?? DEFAULT_POLICY;
  const claimTtlMs = deps.claimTtlMs ?? 60_000;
  const sendDeadlineMs = deps.sendDeadlineMs ?? 20_000;
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  const owner = deps.owner ?? `ticker-${randomUUID()}`;
  const defaultLang = config.institution.language;
  const mentions = config.institution.responsible ?? [];
  /** The conversation's language (`/incident lang` typed there), else the institution's. */
  const langOf = async (conversation: string): Promise<Lang> => {
    const v = await store.getSession(conversationLangKey(conversation), deps.now()).catch(() => null);
    return v === 'en' || v === 'zh-CN' ? v : defaultLang;
  };
  const timers = deps.timers ?? NODE_TIMERS;
  const sendTimers = deps.sendTimers ?? NODE_TIMERS;
  const log = (msg: string) => deps.log?.(msg);
  const { deliver, noteFailure, backoff, inflight } = createDelivery({ store, sender, now: deps.now, log, owner, claimTtlMs, sendDeadlineMs, sendTimers });
  let running: Promise<unknown> | null = null;
  let lastPassMs: number | null = null;
  let lastReindexMs = deps.now();

  /** Appends events computed from the latest state, retrying on a concurrent append (the one retry-on-conflict, with its pause). */
  async function appendFresh(id: string, make: (s: IncidentState) => IncidentEvent[]): Promise<{ state: IncidentState; events: IncidentEvent[] } | null> {
    try {
      return await retryOnConflict(async () => {
        const s = await loadIncident(store, id);
        if (!s) return null;
        const events = make(s);
        if (events.length === 0) return { state: s, events };
        const after = events.reduce(apply, s);
        await store.append(id, s.version, events, metaOf(after));
        return { state: after, events };
      });
    } catch (e) {
      if (e instanceof VersionConflictError) throw new Error(`ticker: ${id} kept changing; will retry next tick`);
      throw e;
    }
  }

  const outbound = (s: IncidentState, text: string, key: string, extra: { mentions?: string[]; ack?: Outbound['ack'] } = {}): Outbound => ({
    conversation: s.conversation, incidentId: s.id, replies: [{ type: 'text', text }], mentions: [...new Set([...mentions, ...(extra.mentions ?? [])])], key, ...(extra.ack ? { ack: extra.ack } : {}),
  });

  /**
   * One digest slot of a conversation: a single post listing every obligation of its open incidents that is overdue or
   * due within 24 hours, claimed under the conversation's slot key so it goes out once however many incidents fall in it.
   */
  async function deliverDigest(s: IncidentState, slot: string, nowMs: number, lang: Lang): Promise<Delivery> {
    const key = `digest:${s.conversation}:${slot}`;
    if (await store.isDone(key)) return { kind: 'done' };
    const metas = (await store.listOpen(s.conversation)).filter((m) => (m.drill ?? false) === s.drill);
    const states = (await Promise.all(metas.map((m) => loadIncident(store, m.id)))).filter((x): x is IncidentState => x !== null);
    const text = digestText(states, nowMs, lang, config);
    return deliver(key, { conversation: s.conversation, incidentId: '', replies: [{ type: 'text', text }], mentions, key }, nowMs, async () => undefined);
  }

  async function processIncident(id: string, nowMs: number, result: TickResult): Promise<void> {
    // Art. 12 ¶3: a live outage crossing a threshold raises the grade at once, and the channel hears of it.
    const raised = await appendFresh(id, (s) => pendingRaises(s, nowMs, config.assess, 'bot'));
    if (!raised) {
      await store.setWake(id, null);
      return;
    }
    let state = raised.state;
    for (const e of raised.events) {
      if (e.type !== 'grade-raised' || e.from === null) continue;
      result.raised++;
      const key = `${id}:raise:${e.to}@${e.effectiveAt}`;
      await deliver(key, outbound(state, raiseText(e, state, await langOf(state.conversation)), key), nowMs, async () => undefined).catch(() => undefined);
    }
    const grade = assess(state, nowMs, config.assess).grade;
    const lang = await langOf(state.conversation);
    for (const members of postsOf(dueReminders(state, nowMs, config.assess, policy))) {
      const r = members[0]!;
      const key = members.length === 1 ? r.key : groupKey(id, members);
      const b = backoff.get(key);
      if (b && b.nextAt > nowMs) continue;
      // The send goes into the incident's log: the ledger shows every reminder that went out, and planning skips it.
      // A post of several reminders records them all in one append: each with its own key and lateness.
      const record = async (atMs: number) => {
        const recorded = await appendFresh(id, (s) => members.filter((m) => !s.remindersSent.includes(m.key)).map((m) => ({ type: 'reminder-sent' as const, key: m.key, late: m.late, at: atMs, actor: 'bot' as const })));
        if (!recorded) return;
        state = recorded.state;
        for (const e of recorded.events) {
          const m = e.type === 'reminder-sent' ? members.find((x) => x.key === e.key) : undefined;
          if (m) deps.onPosted?.(m, atMs);
        }
      };
      const rewake = async () => {
        const s = await loadIncident(store, id);
        const at = deps.now();
        if (s) await store.setWake(id, nextWake(s, at, config.assess, policy));
      };
      let out: Delivery;
      try {
        if (r.digest) {
          // Past its ladder, the obligation is carried by the conversation's digest: one post for all, then recorded here.
          out = await deliverDigest(state, r.step.slice(2), nowMs, lang);
          if (out.kind === 'sent' || out.kind === 'found' || out.kind === 'done') {
            await record(deps.now());
            if (out.kind === 'done') out = { kind: 'found' };
          }
        } else {
          const ack = { command: `ack ${ackNames(members)} ${state.id}`, label: t(lang, 'button.ack') };
          const escalated = [...new Set(members.flatMap((m) => m.escalation?.mentions ?? []))];
          out = await deliver(key, outbound(state, groupText(members, state, grade, lang, config, nowMs), key, { mentions: escalated, ack }), nowMs, record, rewake);
        }
      } catch (e) {
        const attempts = noteFailure(key, e, nowMs);
        result.failed.push(key);
        log(`reminder ${key} not delivered (attempt ${attempts}): ${(e as Error).message}`);
        continue;
      }
      if (out.kind === 'wait') {
        backoff.set(key, { attempts: b?.attempts ?? 1, nextAt: out.untilMs });
        continue;
      }
      if (out.kind === 'sent' || out.kind === 'found') {
        backoff.delete(key);
        result.sent.push(...members);
        continue;
      }
      if (out.kind === 'pending') result.pending.push(key);
      // Still in flight (here or on another replica): this incident's later reminders wait, so they go out in order.
      if (out.kind === 'pending' || out.kind === 'busy') break;
    }
    let wake = nextWake(state, nowMs, config.assess, policy);
    const waits = [...backoff.entries()].filter(([k]) => k.startsWith(`${id}:`)).map(([, v]) => v.nextAt);
    if (wake !== null && wake <= nowMs) wake = waits.length ? Math.min(...waits) : nowMs + BASE_BACKOFF_MS;
    await store.setWake(id, wake);
  }

  let digestDoneFor = '';
  /** Once a working day: everything due in the next 24 hours across open incidents (claimed, so once across replicas). */
  async function maybeDigest(nowMs: number): Promise<void> {
    const d = deps.digest;
    if (!d) return;
    const date = shanghaiDate(nowMs);
    if (digestDoneFor === date || !config.assess.calendar.isWorkday(date)) return;
    if (nowMs < startOfShanghaiDate(date) + minutesOf(d.at) * 60_000) return;
    // The same key as that conversation's own digest slot at this time: one post there, not two (the wider one first).
    const key = `digest:${d.conversation}:${date}T${d.at.replace(':', '')}`;
    if (await store.isDone(key)) { digestDoneFor = date; return; }
    const states = (await Promise.all((await store.listOpen()).filter((m) => !m.drill).map((m) => loadIncident(store, m.id)))).filter((x): x is IncidentState => x !== null);
    const text = digestText(states, nowMs, await langOf(d.conversation), config);
    const out = await deliver(key, { conversation: d.conversation, incidentId: '', replies: [{ type: 'text', text }], mentions, key }, nowMs, async () => undefined);
    if (out.kind !== 'wait') digestDoneFor = date;
  }

  let erroredInLastTick = 0;
  async function tick(): Promise<TickResult> {
    const nowMs = deps.now();
    const result: TickResult = { processed: 0, sent: [], failed: [], raised: 0, pending: [] };
    erroredInLastTick = 0;
    await maybeDigest(nowMs).catch((e: Error) => deps.log?.(`digest: ${e.message}`));
    const queue = await store.dueWakes(nowMs, deps.batch ?? 500);
    // A few incidents at once: one waiting on a slow platform holds up only itself.
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        result.processed++;
        try {
          await processIncident(id, nowMs, result);
        } catch (e) {
          erroredInLastTick++;
          log(`tick: ${id}: ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    lastPassMs = deps.now();
    return result;
  }

  async function reindex(): Promise<number> {
    const nowMs = deps.now();
    const open = await store.listOpen();
    for (const [i, m] of open.entries()) {
      const s = await loadIncident(store, m.id);
      await store.setWake(m.id, s ? nextWake(s, nowMs, config.assess, policy) : null);
      // The SQLite store is synchronous: yield now and then so chat input is not held up by a long reindex.
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    return open.length;
  }

  // ---- scheduling: one timer, armed at the earliest of the next indexed wake-up and the periodic pass ----
  let started = false;
  let periodMs = 0;
  let timer: unknown = null;
  let armedAt = Infinity;
  let noticedWhileRunning = Infinity; // the earliest notice that came in during a pass
  let unsubscribe: (() => Promise<void>) | null = null;

  /** Arms the next pass at atMs, or sooner for the periodic pass; never later than a pass already armed. */
  function arm(atMs: number): void {
    if (!started) return;
    const nowMs = deps.now();
    const at = Math.max(nowMs, Math.min(atMs, nowMs + periodMs));
    if (timer !== null && armedAt <= at) return;
    if (timer !== null) timers.clearTimeout(timer);
    armedAt = at;
    timer = timers.setTimeout(fire, at - nowMs);
  }

  function fire(): void {
    timer = null;
    armedAt = Infinity;
    if (running || !started) return;
    const passStartMs = deps.now();
    const due = passStartMs - lastReindexMs >= (deps.reindexEveryMs ?? 10 * 60_000);
    running = (due ? reindex().then(() => { lastReindexMs = deps.now(); }) : Promise.resolve())
      .then(tick)
      .then(async (result) => {
        let next = (await store.nextWakeAt()) ?? Infinity;
        // Still due after the pass, though not cut off by the batch: an incident that failed. Retry it later, not in a loop.
        if (next <= passStartMs && erroredInLastTick > 0 && result.processed < (deps.batch ?? 500)) next = deps.now() + BASE_BACKOFF_MS;
        return next;
      })
      .catch((e: Error) => { deps.log?.(`tick failed: ${e.message}`); return Infinity; })
      .then((next) => {
        running = null;
        const noticed = noticedWhileRunning;
        noticedWhileRunning = Infinity;
        arm(Math.min(next, noticed));
      });
  }

  function onNotice(atMs: number): void {
    if (!started) return;
    if (running) noticedWhileRunning = Math.min(noticedWhileRunning, atMs);
    else arm(atMs);
  }

  return {
    tick,
    reindex,
    async start(intervalMs) {
      if (started) return;
      started = true;
      periodMs = intervalMs;
      unsubscribe = await store.onWake(onNotice).catch((e: Error) => {
        deps.log?.(`wake notices unavailable, reminders follow the ${Math.round(intervalMs / 1000)} s pass: ${e.message}`);
        return null;
      });
      arm((await store.nextWakeAt().catch(() => null)) ?? Infinity);
    },
    async stop() {
      started = false;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await unsubscribe?.();
      unsubscribe = null;
      await running;
      while (inflight.size) await Promise.allSettled([...inflight]); // sends past their deadline end with the client's timeout
    },
    async settled() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
    lastPassAtMs: () => lastPassMs,
  };
}

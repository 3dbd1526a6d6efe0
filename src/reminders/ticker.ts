import { loadIncident, metaOf } from '../bot.ts';
import type { BotConfig } from '../conversation/types.ts';
import { assess, pendingRaises } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { apply, type IncidentState } from '../incident/state.ts';
import { VersionConflictError, type Store } from '../store/types.ts';
import { digestText, raiseText, reminderText, type Sender } from './message.ts';
import { shanghaiDate, startOfShanghaiDate } from '../rules/time.ts';
import { DEFAULT_POLICY, dueReminders, nextWake, type Reminder, type ReminderPolicy } from './planner.ts';

export interface TickerDeps {
  store: Store;
  config: BotConfig;
  sender: Sender;
  now: () => number;
  policy?: ReminderPolicy;
  claimTtlMs?: number; // how long a claimed reminder is held while sending
  batch?: number; // incidents per tick at most
  reindexEveryMs?: number; // rebuild the wake index this often, in case a write to it was lost (default 10 min)
  /** Optional daily digest: on each working day at `at` (HH:mm, Shanghai), what falls due in the next 24 h, to `conversation`. */
  digest?: { conversation: string; at: string };
  log?: (msg: string) => void;
  /** The timers the ticker arms itself with (default: Node's). Tests pass a scheduler they drive. */
  timers?: Timers;
}

export interface Timers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const NODE_TIMERS: Timers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TickResult {
  processed: number; // incidents whose wake time had come
  sent: Reminder[];
  failed: string[]; // keys released for a retry
  raised: number; // grade raises recorded by this tick
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
}

const MAX_BACKOFF_MS = 10 * 60_000;
const minutesOf = (hhmm: string) => { const [h, m] = hhmm.split(':').map(Number) as [number, number]; return h * 60 + m; };
const BASE_BACKOFF_MS = 15_000;

export function createTicker(deps: TickerDeps): Ticker {
  const { store, config, sender } = deps;
  const policy = deps.policy ?? config.reminders ?? DEFAULT_POLICY;
  const claimTtlMs = deps.claimTtlMs ?? 60_000;
  const lang = config.institution.language;
  const mentions = config.institution.responsible ?? [];
  const backoff = new Map<string, { attempts: number; nextAt: number }>();
  const timers = deps.timers ?? NODE_TIMERS;
  let running: Promise<unknown> | null = null;
  let lastReindexMs = deps.now();

  /** Appends events computed from the latest state, retrying on a concurrent append. */
  async function appendFresh(id: string, make: (s: IncidentState) => IncidentEvent[]): Promise<{ state: IncidentState; events: IncidentEvent[] } | null> {
    for (let i = 0; i < 8; i++) {
      const s = await loadIncident(store, id);
      if (!s) return null;
      const events = make(s);
      if (events.length === 0) return { state: s, events };
      const after = events.reduce(apply, s);
      try {
        await store.append(id, s.version, events, metaOf(after));
        return { state: after, events };
      } catch (e) {
        if (!(e instanceof VersionConflictError)) throw e;
      }
    }
    throw new Error(`ticker: ${id} kept changing; will retry next tick`);
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
      await sendOnce(`${id}:raise:${e.to}@${e.effectiveAt}`, state, raiseText(e, state, lang), nowMs).catch(() => undefined);
    }
    const grade = assess(state, nowMs, config.assess).grade;
    for (const r of dueReminders(state, nowMs, config.assess, policy)) {
      const b = backoff.get(r.key);
      if (b && b.nextAt > nowMs) continue;
      const ok = await sendOnce(r.key, state, reminderText(r, state, grade, lang, config, nowMs), nowMs).catch((e: Error) => {
        const attempts = (b?.attempts ?? 0) + 1;
        backoff.set(r.key, { attempts, nextAt: nowMs + Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempts - 1)) });
        result.failed.push(r.key);
        deps.log?.(`reminder ${r.key} not delivered (attempt ${attempts}): ${e.message}`);
        return false;
      });
      if (!ok) continue;
      backoff.delete(r.key);
      result.sent.push(r);
      // The send goes into the incident's log: the ledger shows every reminder, and planning skips it.
      const recorded = await appendFresh(id, (s) => (s.remindersSent.includes(r.key) ? [] : [{ type: 'reminder-sent', key: r.key, late: r.late, at: nowMs, actor: 'bot' }]));
      if (recorded) state = recorded.state;
    }
    let wake = nextWake(state, nowMs, config.assess, policy);
    const waits = [...backoff.entries()].filter(([k]) => k.startsWith(`${id}:`)).map(([, v]) => v.nextAt);
    if (wake !== null && wake <= nowMs) wake = waits.length ? Math.min(...waits) : nowMs + BASE_BACKOFF_MS;
    await store.setWake(id, wake);
  }

  /** Claims `key` across replicas, sends, and marks it done; releases the claim if sending fails. */
  async function sendOnce(key: string, s: IncidentState, text: string, nowMs: number): Promise<boolean> {
    if (!(await store.claim(key, claimTtlMs, nowMs))) return false;
    try {
      await sender.send({ conversation: s.conversation, incidentId: s.id, replies: [{ type: 'text', text }], mentions, key });
    } catch (e) {
      await store.release(key);
      throw e;
    }
    await store.markDone(key);
    return true;
  }

  let digestDoneFor = '';
  /** Once a working day: everything due in the next 24 hours across open incidents (claimed, so once across replicas). */
  async function maybeDigest(nowMs: number): Promise<void> {
    const d = deps.digest;
    if (!d) return;
    const date = shanghaiDate(nowMs);
    if (digestDoneFor === date || !config.assess.calendar.isWorkday(date)) return;
    if (nowMs < startOfShanghaiDate(date) + minutesOf(d.at) * 60_000) return;
    const key = `digest:${d.conversation}:${date}`;
    if (!(await store.claim(key, claimTtlMs, nowMs))) { digestDoneFor = date; return; }
    try {
      const states = (await Promise.all((await store.listOpen()).filter((m) => !m.drill).map((m) => loadIncident(store, m.id)))).filter((x): x is IncidentState => x !== null);
      const text = digestText(states, nowMs, lang, config);
      await sender.send({ conversation: d.conversation, incidentId: '', replies: [{ type: 'text', text }], mentions, key });
    } catch (e) {
      await store.release(key);
      throw e;
    }
    await store.markDone(key);
    digestDoneFor = date;
  }

  let erroredInLastTick = 0;
  async function tick(): Promise<TickResult> {
    const nowMs = deps.now();
    const result: TickResult = { processed: 0, sent: [], failed: [], raised: 0 };
    erroredInLastTick = 0;
    await maybeDigest(nowMs).catch((e: Error) => deps.log?.(`digest: ${e.message}`));
    const ids = await store.dueWakes(nowMs, deps.batch ?? 500);
    for (const id of ids) {
      result.processed++;
      try {
        await processIncident(id, nowMs, result);
      } catch (e) {
        erroredInLastTick++;
        deps.log?.(`tick: ${id}: ${(e as Error).message}`);
      }
    }
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
    },
  };
}

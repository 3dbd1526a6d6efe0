// Posting one reminder once across replicas: claim its key, honour a Retry-After any replica left, ask the platform
// whether an uncertain earlier attempt did post, send within a deadline while renewing the claim, record what went
// out, and back off a key whose send failed. The ticker (./ticker.ts) decides what is due; this decides how it goes out.
import type { Store } from '../store/types.ts';
import { SendError, type Outbound, type Sender } from './message.ts';

export interface Timers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const NODE_TIMERS: Timers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const MAX_BACKOFF_MS = 10 * 60_000;

export const BASE_BACKOFF_MS = 15_000;
const ATTEMPT_TTL_MS = 7 * 86_400_000;

/**
 * What a replica leaves in the store (a session) about a key it tried to send: when it first tried (the window a
 * "did it post?" check looks in), whether some attempt may have taken effect, and the platform's Retry-After.
 * Written before each send, so a crash mid-send also leaves the key marked uncertain.
 */
interface Attempt { sinceMs: number; uncertain: boolean; notBeforeMs: number; attempts: number }
const attemptKey = (key: string) => `reminder-attempt:${key}`;
function attemptOf(v: unknown): Attempt | null {
  if (typeof v !== 'object' || v === null) return null;
  const a = v as Partial<Attempt>;
  return typeof a.sinceMs === 'number' && typeof a.uncertain === 'boolean' && typeof a.notBeforeMs === 'number' && typeof a.attempts === 'number' ? (a as Attempt) : null;
}

/** How one delivery went: sent (or found already posted), already done, held by another send, to wait for, or still in flight. */
export type Delivery =
  | { kind: 'sent' | 'found' | 'done' | 'busy' | 'pending' }
  | { kind: 'wait'; untilMs: number };

export interface DeliveryDeps {
  store: Store;
  sender: Sender;
  now: () => number;
  log: (msg: string) => void;
  owner: string;
  claimTtlMs: number;
  sendDeadlineMs: number;
  sendTimers: Timers;
}

export function createDelivery(deps: DeliveryDeps) {
  const { store, sender, log, owner, claimTtlMs, sendDeadlineMs, sendTimers } = deps;
  const backoff = new Map<string, { attempts: number; nextAt: number }>();
  const inflight = new Set<Promise<void>>(); // sends that outlived their deadline

  /** Remembers a failed key's backoff here: doubling from 15 s, and never sooner than the platform's Retry-After. */
  function noteFailure(key: string, e: unknown, nowMs: number): number {
    const attempts = (backoff.get(key)?.attempts ?? 0) + 1;
    const retryAfterMs = e instanceof SendError ? (e.retryAfterMs ?? 0) : 0;
    const waitMs = Math.max(Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempts - 1)), retryAfterMs);
    backoff.set(key, { attempts, nextAt: nowMs + waitMs });
    return attempts;
  }

  /** Waits for fn up to the send deadline; past it, aborts its signal and rejects (fn's own work is left to end). */
  async function withinDeadline<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ctl = new AbortController();
    let handle: unknown = null;
    const deadline = new Promise<never>((_, reject) => {
      handle = sendTimers.setTimeout(() => {
        ctl.abort();
        reject(new SendError(`${what}: no answer within ${sendDeadlineMs} ms`, { uncertain: true }));
      }, sendDeadlineMs);
    });
    try {
      return await Promise.race([fn(ctl.signal), deadline]);
    } finally {
      sendTimers.clearTimeout(handle);
    }
  }

  /** Keeps this ticker's claim on key alive until stopped; `lost` once another replica could have taken it. */
  function keepClaim(key: string): { stop(): void; lost(): boolean } {
    let lost = false;
    let handle: unknown = null;
    let stopped = false;
    const every = Math.max(1, Math.floor(claimTtlMs / 3));
    const renew = () => {
      handle = null;
      void store.renewClaim(key, owner, claimTtlMs, deps.now()).then(
        (ok) => {
          if (!ok) {
            lost = true;
            log(`reminder ${key}: CLAIM LOST while its send was in flight; another replica may post it too`);
          }
          return ok;
        },
        (e: Error) => { log(`reminder ${key}: could not renew its claim (${e.message}); trying again`); return true; },
      ).then((ok) => { if (ok && !stopped) handle = sendTimers.setTimeout(renew, every); });
    };
    handle = sendTimers.setTimeout(renew, every);
    return {
      stop() { stopped = true; if (handle !== null) sendTimers.clearTimeout(handle); handle = null; },
      lost: () => lost,
    };
  }

  /**
   * A post that happened (sent now, or found by the check): recorded first (the ledger is the truth; planning skips a
   * recorded key), then marked done across replicas. Ownership is checked first: a lost claim is logged loudly.
   */
  async function finish(key: string, lostAlready: boolean, record: (atMs: number) => Promise<void>): Promise<void> {
    try {
      if (lostAlready || !(await store.renewClaim(key, owner, claimTtlMs, deps.now()))) {
        log(`reminder ${key}: CLAIM LOST before it was marked done (the post went out; another replica may have posted it too)`);
      }
      await record(deps.now());
      await store.markDone(key);
    } catch (e) {
      // The claim lapses and the key stays marked uncertain: the next attempt finds the post (or re-sends the same uuid).
      throw new Error(`posted, but not recorded yet (${(e as Error).message}); the next attempt looks for the post first`, { cause: e });
    }
    await store.deleteSession(attemptKey(key)).catch(() => undefined);
  }

  /** A failed attempt: the key's record says whether it may have posted and how long to wait; then the claim goes. */
  async function failed(key: string, attempt: Attempt, uncertainBefore: boolean, e: unknown, nowMs: number): Promise<void> {
    const uncertain = !(e instanceof SendError) || e.uncertain;
    const retryAfterMs = e instanceof SendError ? (e.retryAfterMs ?? 0) : 0;
    const next: Attempt = { ...attempt, uncertain: uncertainBefore || uncertain, notBeforeMs: nowMs + retryAfterMs };
    try {
      await store.setSession(attemptKey(key), next, ATTEMPT_TTL_MS, nowMs);
    } finally {
      // Only a claim still ours is released: one lost is another replica's now.
      if (await store.renewClaim(key, owner, claimTtlMs, nowMs).catch(() => false)) await store.release(key);
    }
  }

  /**
   * Posts `m` once across replicas: claims key, honours a Retry-After left by any replica, asks the platform whether
   * an uncertain earlier attempt did post, then sends within the deadline while renewing the claim. `record` runs for
   * a post that happened, `late` after one that succeeded only after the pass moved on. Throws when sending failed.
   */
  async function deliver(key: string, m: Outbound, passMs: number, record: (atMs: number) => Promise<void>, late?: () => Promise<void>): Promise<Delivery> {
    // The claim runs from now, not from the pass's start: late in a pass held up by slow sends, a claim dated at the
    // start would already have run out (SQLite reads expiry from the caller's clock) and another replica could take it.
    const nowMs = Math.max(passMs, deps.now());
    if (!(await store.claim(key, claimTtlMs, nowMs, owner))) return { kind: (await store.isDone(key)) ? 'done' : 'busy' };
    let attempt: Attempt;
    let uncertainBefore = false; // an earlier attempt may have posted (this one is marked so while in flight)
    try {
      const prev = attemptOf(await store.getSession(attemptKey(key), nowMs));
      if (prev && prev.notBeforeMs > nowMs) {
        await store.release(key);
        return { kind: 'wait', untilMs: prev.notBeforeMs };
      }
      if (prev?.uncertain && sender.posted) {
        const found = await withinDeadline(`checking ${key}`, (signal) => sender.posted!(m, prev.sinceMs, { signal }));
        if (found === true) {
          log(`reminder ${key}: an earlier attempt did post it; recorded, not posted again`);
          await finish(key, false, record);
          return { kind: 'found' };
        }
      }
      // Checked and not there (or no way to tell): only this attempt can make it uncertain again.
      uncertainBefore = prev?.uncertain === true && !sender.posted;
      attempt = { sinceMs: prev?.sinceMs ?? nowMs, uncertain: true, notBeforeMs: 0, attempts: (prev?.attempts ?? 0) + 1 };
      await store.setSession(attemptKey(key), attempt, ATTEMPT_TTL_MS, nowMs);
    } catch (e) {
      await store.release(key).catch(() => undefined);
      throw e;
    }
    const claim = keepClaim(key);
    const ctl = new AbortController();
    const settled = Promise.resolve()
      .then(() => sender.send(m, { signal: ctl.signal }))
      .then(() => ({ ok: true as const }), (e: unknown) => ({ ok: false as const, e }));
    let handle: unknown = null;
    const deadline = new Promise<'deadline'>((resolve) => { handle = sendTimers.setTimeout(() => resolve('deadline'), sendDeadlineMs); });
    const first = await Promise.race([settled, deadline]);
    sendTimers.clearTimeout(handle);
    const conclude = async (r: Awaited<typeof settled>, atMs: number): Promise<void> => {
      claim.stop();
      if (r.ok) return finish(key, claim.lost(), record);
      await failed(key, attempt, uncertainBefore, r.e, atMs);
      throw r.e;
    };
    if (first !== 'deadline') {
      await conclude(first, nowMs);
      return { kind: 'sent' };
    }
    ctl.abort();
    log(`reminder ${key}: no answer within ${sendDeadlineMs} ms; other reminders go on, the key stays claimed until the send ends`);
    const bg = settled.then(async (r) => {
      const atMs = deps.now();
      try {
        await conclude(r, atMs);
        log(`reminder ${key}: the slow send went through; recorded`);
        await late?.();
      } catch (e) {
        const attempts = noteFailure(key, e, atMs);
        log(`reminder ${key} not delivered (attempt ${attempts}, after the deadline): ${(e as Error).message}`);
      }
    });
    inflight.add(bg);
    void bg.finally(() => inflight.delete(bg));
    return { kind: 'pending' };
  }

  return { deliver, noteFailure, backoff, inflight };
}

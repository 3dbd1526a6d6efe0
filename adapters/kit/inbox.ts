// The durable inbox, the adapter side: a verified payload is written to the store *before* the platform hears back,
// then processed from there, one conversation at a time in the order received. A crash after the answer loses
// nothing: the next start resumes what is still pending, each item once (its record is marked done in the same
// step as its events: see Store.append's `once`). Shared by every chat adapter; the store does the remembering.
import { hostname } from 'node:os';
import { ONCE_RETAIN_MS } from '../../src/incident/stored.ts';
import type { Bot } from '../../src/bot.ts';
import type { InboxItem, Store } from '../../src/store/types.ts';
import { createChatWork } from './work.ts';
import { ops } from '../ops/hooks.ts';

export type Accepted = 'accepted' | 'duplicate' | 'busy';

export interface InboxDeps {
  store: Store;
  /** The adapter's name: its items are resumed only by the same adapter (slack, feishu, ...). */
  source: string;
  now: () => number;
  log: (msg: string) => void;
  /** Processes one item: parse its payload, run it through the bot, answer. forget: its key may be accepted again. */
  run: (item: InboxItem) => Promise<{ forget?: boolean } | void>;
  /** Items accepted and not yet finished in this process; past it accept() answers 'busy' and writes nothing (default 1000; anything but a positive integer means the default). */
  maxQueued?: number | undefined;
  /** What the platform sends, for the outage log lines: "messages" (default) or "commands". */
  noun?: string;
  /** Where the line that the store stopped taking items goes (default: log). */
  alarm?: (msg: string) => void;
  /** How long an item stays with the replica that took it before another may resume it (renewed while it runs). */
  leaseMs?: number;
  /** How often items whose replica died are looked for (0: only at start). */
  sweepMs?: number;
  /** This replica's lease owner: the same after a restart, so a restart resumes its own items at once. */
  owner?: string;
  retainMs?: number;
  /** What the bot answered each item: one it told "nothing was recorded, send it again" is forgotten, never resumed. */
  outcomes?: Outcomes;
}

/**
 * Watches the bot's answers by once-key. An item the bot answered with a notRecorded error (storage down, a conflict
 * that persisted) must not run again later: the user was told to send it again, and may have. Its key is forgotten.
 */
export interface Outcomes {
  /** The bot the adapter runs inbox items through. */
  bot: Bot;
  /** True (once) when the item with this key was answered "not recorded". */
  notRecorded(key: string): boolean;
}

export function watchOutcomes(bot: Bot): Outcomes {
  const refused = new Set<string>();
  return {
    bot: {
      ...bot,
      async handle(input) {
        const replies = await bot.handle(input);
        if (input.onceKey && replies.some((r) => r.type === 'error' && r.notRecorded === true)) refused.add(input.onceKey);
        return replies;
      },
    },
    notRecorded: (key) => refused.delete(key),
  };
}

export interface Inbox {
  /**
   * Writes the item durably, then queues it. 'duplicate': its key is known (a re-delivery); 'busy': the queue is
   * full, nothing written (answer so the platform retries). Rejects when the store fails: nothing was written (the
   * outage is logged here, once, and its end).
   * after: processing starts once it settles (the platform's answer), so replies never overtake it.
   */
  accept(key: string, conversation: string, payload: unknown, opts?: { after?: Promise<unknown> }): Promise<Accepted>;
  /** Takes this source's items left by a dead run (its own at start, any lapsed lease later) and queues them. */
  resume(opts?: { mine?: boolean }): Promise<number>;
  /** Resumes this replica's own items now, then looks for lapsed ones every sweepMs. */
  start(): Promise<number>;
  /** Items accepted or resumed and not yet finished here. */
  queued(): number;
  /** The outage log accept() keeps; an adapter's other reads of the store (before accept) report to it too. */
  outage: StoreOutage;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_MAX_QUEUED = 1000;

/** The bound an adapter was given, else INBOX_MAX (validated at start-up by adapters/settings.ts), else undefined. */
export function inboxMaxOf(given: number | undefined, env: Record<string, string | undefined>): number | undefined {
  return given ?? (env.INBOX_MAX ? Number(env.INBOX_MAX) : undefined);
}

/** A replica's stable name: the host (a container's is its own) and REPLICA_ID when several share one host. */
export function replicaOwner(env: Record<string, string | undefined>): string {
  return `${hostname()}#${env.REPLICA_ID ?? ''}`;
}

/** The store's outages as seen by an adapter: one line when it stops taking items, one when it takes them again. */
export interface StoreOutage {
  down(e: unknown): void;
  up(): void;
}

function storeOutage(prefix: string, noun: string, log: (msg: string) => void, alarm: (msg: string) => void): StoreOutage {
  let since: number | null = null;
  return {
    down(e) {
      if (since === null) alarm(`${prefix}: cannot take ${noun} (${(e as Error).message}); answering each with "not recorded" until it recovers`);
      since ??= Date.now();
    },
    up() {
      if (since !== null) log(`${prefix}: taking ${noun} again (refused since ${new Date(since).toISOString()})`);
      since = null;
    },
  };
}

export function createInbox(d: InboxDeps): Inbox {
  const { store, source, now, log } = d;
  const maxQueued = d.maxQueued !== undefined && Number.isSafeInteger(d.maxQueued) && d.maxQueued > 0 ? d.maxQueued : DEFAULT_MAX_QUEUED;
  const noun = d.noun ?? 'messages';
  const outage = storeOutage(`${source}: store`, noun, log, d.alarm ?? log);
  const leaseMs = d.leaseMs ?? 60_000;
  const retainMs = d.retainMs ?? ONCE_RETAIN_MS;
  const owner = d.owner ?? `${hostname()}#${process.pid}`;
  const work = createChatWork(source, log);
  const local = new Set<string>(); // keys queued or running here
  let sweeper: NodeJS.Timeout | null = null;
  let stopped = false;
  // Every item here, queued behind a slow one or running, keeps its lease, so no other replica takes it (out of order,
  // or a second time). Armed while there is something to renew.
  let renewer: NodeJS.Timeout | null = null;
  function renewLeases(): void {
    if (renewer !== null || stopped) return;
    renewer = setInterval(() => {
      if (local.size === 0) {
        clearInterval(renewer!);
        renewer = null;
        return;
      }
      for (const key of local) void store.inboxTake(key, owner, leaseMs, now()).catch(() => undefined);
    }, Math.max(1000, leaseMs / 3));
    renewer.unref();
  }
  let wake: () => void = () => {};
  const stopping = new Promise<void>((r) => { wake = r; });

  /** Runs one item; resolves once it ran, with its bookkeeping (which may wait for the store) still going on. */
  async function process1(key: string, fresh?: { item: InboxItem; leaseUntil: number }): Promise<{ finishing: Promise<void> }> {
    // Just accepted here and well within the lease it was written with: no other replica can have it, skip a read.
    const item = fresh && now() < fresh.leaseUntil - leaseMs / 2 ? fresh.item : await store.inboxTake(key, owner, leaseMs, now());
    if (!item) return { finishing: Promise.resolve() }; // done meanwhile, or another replica resumed it
    // While it runs (a slow platform, a large file) its lease is renewed with the rest of `local` (see renewer).
    let forget = false;
    try {
      forget = (await d.run(item))?.forget === true;
    } catch (e) {
      log(`${source}: inbox item ${key} failed: ${(e as Error).message}`);
    }
    if (d.outcomes?.notRecorded(key)) forget = true;
    // The conversation's next item need not wait for this bookkeeping (with the store down, it would wait for the
    // store, and its user for an answer).
    return { finishing: finish(key, forget) };
  }

  /**
   * A command that recorded something is already done (with its events); this marks the rest (help, status...), or
   * forgets one the user was told to send again. With the store down that write fails too: it is tried again until
   * it goes through, its lease renewed meanwhile (it stays in `local`), so the item is never run a second time.
   */
  async function finish(key: string, forget: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await store.inboxDone(key, now(), retainMs, forget ? { forget } : undefined);
        if (attempt > 0) log(`${source}: inbox item ${key} marked ${forget ? 'forgotten' : 'done'} after ${attempt} retr${attempt === 1 ? 'y' : 'ies'}`);
        return;
      } catch (e) {
        if (attempt === 0) log(`${source}: could not mark inbox item ${key} ${forget ? 'forgotten' : 'done'} (${(e as Error).message}); retrying until the store answers`);
        if (stopped) return; // the next start resumes it (its own items) and it runs once more
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopping, new Promise((r) => { timer = setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))); })]);
      clearTimeout(timer); // meanwhile the key stays in `local`, so the renewer keeps it ours
    }
  }

  function enqueue(key: string, conversation: string, after?: Promise<unknown>, fresh?: { item: InboxItem; leaseUntil: number }): void {
    if (local.has(key)) return;
    local.add(key);
    renewLeases();
    const go = () => process1(key, fresh);
    const run = after ? () => after.then(go, go) : go;
    // The key stays "here" until its bookkeeping is through, so a sweep never queues it a second time.
    work.track(work.serial(conversation, run).then((r) => r.finishing).finally(() => local.delete(key)));
  }

  async function resume(opts?: { mine?: boolean }): Promise<number> {
    let n = 0;
    for (;;) {
      const room = maxQueued - local.size;
      if (room <= 0 || stopped) return n;
      // Items queued here are pending too and come first (oldest first): ask past them.
      const keys = (await store.inboxStale(source, now(), Math.min(room, 200) + local.size, opts?.mine ? owner : undefined)).filter((k) => !local.has(k));
      if (keys.length === 0) return n;
      let taken = 0;
      // Taken all at once (a Redis client sends them in one round trip, one fsync for all), then queued in the order
      // received, so their conversations keep that order here. Taking them one after the other cost a round trip and
      // an fsync each: a restart with a thousand pending spent most of its time there.
      const takenAt = now();
      const items = await Promise.allSettled(keys.map((key) => store.inboxTake(key, owner, leaseMs, takenAt)));
      for (const [i, r] of items.entries()) {
        if (r.status === 'rejected') throw r.reason; // those after it stay leased here and lapse to the next sweep
        if (!r.value) continue;
        taken++;
        // Just taken under this lease: it runs without taking it a second time while the lease is young (process1).
        enqueue(keys[i]!, r.value.conversation, undefined, { item: r.value, leaseUntil: takenAt + leaseMs });
      }
      n += taken;
      if (taken === 0) return n; // all taken by others meanwhile: the next sweep looks again
    }
  }

  /** Writes the item and queues it (see Inbox.accept); the result goes to the operations hooks. */
  async function accept1(key: string, conversation: string, payload: unknown, opts?: { after?: Promise<unknown> }): Promise<Accepted> {
    if (local.size >= maxQueued || stopped) return 'busy';
    const nowMs = now();
    const item: InboxItem = { key, source, conversation, payload, receivedAtMs: nowMs };
    let added: boolean;
    try {
      added = await store.inboxAdd(item, owner, leaseMs, nowMs);
    } catch (e) {
      outage.down(e);
      throw e;
    }
    outage.up();
    if (!added) return 'duplicate';
    enqueue(key, conversation, opts?.after, { item, leaseUntil: nowMs + leaseMs });
    return 'accepted';
  }

  return {
    async accept(key, conversation, payload, opts) {
      const result = await accept1(key, conversation, payload, opts).catch((e: unknown) => { ops.inbound(source, 'refused'); throw e; });
      ops.inbound(source, result);
      return result;
    },
    resume,
    async start() {
      const n = await resume({ mine: true });
      if (n > 0) log(`${source}: resumed ${n} command(s) received before the last stop and not yet processed`);
      const sweepMs = d.sweepMs ?? 30_000;
      if (sweepMs > 0) {
        sweeper = setInterval(() => {
          void resume().then((k) => { if (k > 0) log(`${source}: resumed ${k} command(s) another replica left unprocessed`); })
            .catch((e: Error) => log(`${source}: inbox sweep failed: ${e.message}`));
        }, sweepMs);
        sweeper.unref();
      }
      return n;
    },
    queued: () => local.size,
    outage,
    idle: () => work.idle(),
    async stop() {
      stopped = true;
      wake();
      if (sweeper) clearInterval(sweeper);
      if (renewer) clearInterval(renewer);
      await work.idle();
    },
  };
}

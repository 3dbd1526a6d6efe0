// The durable inbox, the adapter side: a verified payload is written to the store *before* the platform hears back,
// then processed from there, one conversation at a time in the order received. A crash after the answer loses
// nothing: the next start resumes what is still pending, each item once (its record is marked done in the same
// step as its events: see Store.append's `once`). Shared by every chat adapter; the store does the remembering.
import { hostname } from 'node:os';
import { ONCE_RETAIN_MS } from '../src/bot.ts';
import type { InboxItem, Store } from '../src/store/types.ts';
import { createChatWork } from './work.ts';

export type Accepted = 'accepted' | 'duplicate' | 'busy';

export interface InboxDeps {
  store: Store;
  /** The adapter's name: its items are resumed only by the same adapter (slack, feishu, ...). */
  source: string;
  now: () => number;
  log: (msg: string) => void;
  /** Processes one item: parse its payload, run it through the bot, answer. forget: its key may be accepted again. */
  run: (item: InboxItem) => Promise<{ forget?: boolean } | void>;
  /** Items accepted and not yet finished in this process; past it accept() answers 'busy' and writes nothing. */
  maxQueued?: number;
  /** How long an item stays with the replica that took it before another may resume it (renewed while it runs). */
  leaseMs?: number;
  /** How often items whose replica died are looked for (0: only at start). */
  sweepMs?: number;
  /** This replica's lease owner: the same after a restart, so a restart resumes its own items at once. */
  owner?: string;
  retainMs?: number;
}

export interface Inbox {
  /**
   * Writes the item durably, then queues it. 'duplicate': its key is known (a re-delivery); 'busy': the queue is
   * full, nothing written (answer so the platform retries). Rejects when the store fails: nothing was written.
   * after: processing starts once it settles (the platform's answer), so replies never overtake it.
   */
  accept(key: string, conversation: string, payload: unknown, opts?: { after?: Promise<unknown> }): Promise<Accepted>;
  /** Takes this source's items left by a dead run (its own at start, any lapsed lease later) and queues them. */
  resume(opts?: { mine?: boolean }): Promise<number>;
  /** Resumes this replica's own items now, then looks for lapsed ones every sweepMs. */
  start(): Promise<number>;
  /** Items accepted or resumed and not yet finished here. */
  queued(): number;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_MAX_QUEUED = 1000;

/** A replica's stable name: the host (a container's is its own) and REPLICA_ID when several share one host. */
export function replicaOwner(env: Record<string, string | undefined>): string {
  return `${hostname()}#${env.REPLICA_ID ?? ''}`;
}

export function createInbox(d: InboxDeps): Inbox {
  const { store, source, now, log } = d;
  const maxQueued = d.maxQueued ?? DEFAULT_MAX_QUEUED;
  const leaseMs = d.leaseMs ?? 60_000;
  const retainMs = d.retainMs ?? ONCE_RETAIN_MS;
  const owner = d.owner ?? `${hostname()}#${process.pid}`;
  const work = createChatWork(source, log);
  const local = new Set<string>(); // keys queued or running here
  let sweeper: NodeJS.Timeout | null = null;
  let stopped = false;

  async function process1(key: string, fresh?: { item: InboxItem; leaseUntil: number }): Promise<void> {
    // Just accepted here and well within the lease it was written with: no other replica can have it, skip a read.
    const item = fresh && now() < fresh.leaseUntil - leaseMs / 2 ? fresh.item : await store.inboxTake(key, owner, leaseMs, now());
    if (!item) return; // done meanwhile, or another replica resumed it
    // Keep the lease while it runs (a slow platform, a large file), so no other replica starts it again.
    const renew = setInterval(() => void store.inboxTake(key, owner, leaseMs, now()).catch(() => undefined), Math.max(1000, leaseMs / 3));
    renew.unref();
    let forget = false;
    try {
      forget = (await d.run(item))?.forget === true;
    } catch (e) {
      log(`${source}: inbox item ${key} failed: ${(e as Error).message}`);
    } finally {
      clearInterval(renew);
    }
    // A command that recorded something is already done (with its events); this marks the rest (help, status...).
    await store.inboxDone(key, now(), retainMs, forget ? { forget } : undefined)
      .catch((e: Error) => log(`${source}: could not mark inbox item ${key} done (it will be resumed once): ${e.message}`));
  }

  function enqueue(key: string, conversation: string, after?: Promise<unknown>, fresh?: { item: InboxItem; leaseUntil: number }): void {
    if (local.has(key)) return;
    local.add(key);
    const go = () => process1(key, fresh);
    const run = after ? () => after.then(go, go) : go;
    work.track(work.serial(conversation, run).finally(() => local.delete(key)));
  }

  async function resume(opts?: { mine?: boolean }): Promise<number> {
    let n = 0;
    for (;;) {
      const room = maxQueued - local.size;
      if (room <= 0 || stopped) return n;
      const keys = (await store.inboxStale(source, now(), Math.min(room, 200), opts?.mine ? owner : undefined)).filter((k) => !local.has(k));
      if (keys.length === 0) return n;
      for (const key of keys) {
        // Taken now, in the order received, so their conversations keep that order here.
        const item = await store.inboxTake(key, owner, leaseMs, now());
        if (!item) continue;
        n++;
        enqueue(key, item.conversation);
      }
    }
  }

  return {
    async accept(key, conversation, payload, opts) {
      if (local.size >= maxQueued || stopped) return 'busy';
      const nowMs = now();
      const item: InboxItem = { key, source, conversation, payload, receivedAtMs: nowMs };
      if (!(await store.inboxAdd(item, owner, leaseMs, nowMs))) return 'duplicate';
      enqueue(key, conversation, opts?.after, { item, leaseUntil: nowMs + leaseMs });
      return 'accepted';
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
    idle: () => work.idle(),
    async stop() {
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      await work.idle();
    },
  };
}

// Bookkeeping that must not grow for ever: expired claims and sessions and old done-markers are deleted
// periodically. Never anything of the ledger: incidents, events, sequences, the identity, the high-water mark.
import type { PruneCounts, Store } from './types.ts';

export const PRUNE_EVERY_MS = 3_600_000;

export const pruneLine = (c: PruneCounts): string => `prune: removed ${c.claims} expired claims, ${c.sessions} expired sessions, ${c.once} done-markers past their window`;

/** Prunes once now (awaited), then every everyMs; the timer does not keep the process alive. Returns a stop function. */
export async function startPruning(o: { store: Store; now: () => number; log: (msg: string) => void; everyMs?: number }): Promise<() => void> {
  const run = async (always: boolean) => {
    try {
      const c = await o.store.prune(o.now());
      if (always || c.claims + c.sessions + c.once > 0) o.log(pruneLine(c));
    } catch (e) {
      o.log(`prune failed (will retry in an hour): ${(e as Error).message}`);
    }
  };
  await run(true);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void run(false).finally(() => { running = false; });
  }, o.everyMs ?? PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

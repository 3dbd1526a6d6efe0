// The daily log of hash-chain heads: every incident whose log changed since the last entry, with its version and
// the chain value of its last event. Kept apart from the store (in the operator's logs), it catches a chain
// recomputed after an edit: the recomputed head no longer matches the one logged.
import type { ChainHead, Store } from './types.ts';

export const HEAD_LOG_EVERY_MS = 86_400_000;

export const headLine = (h: ChainHead): string => `chain head: ${h.id} v${h.version} ${h.head ?? '(written before the chain; starts at its next change)'}`;

/** run() logs the heads that changed since its previous run (the first run: every incident's); returns how many. */
export function headLogger(store: Store, log: (msg: string) => void): { run(): Promise<number> } {
  const seen = new Map<string, string>();
  return {
    async run() {
      let n = 0;
      for (const h of await store.chainHeads()) {
        const key = `${h.version} ${h.head ?? ''}`;
        if (seen.get(h.id) === key) continue;
        seen.set(h.id, key);
        log(headLine(h));
        n++;
      }
      return n;
    },
  };
}

/** Logs once now, then every everyMs (a day); the timer does not keep the process alive. Returns a stop function. */
export async function startHeadLog(o: { store: Store; log: (msg: string) => void; everyMs?: number }): Promise<() => void> {
  const logger = headLogger(o.store, o.log);
  const run = async () => {
    try {
      await logger.run();
    } catch (e) {
      o.log(`chain heads: could not be read (will retry tomorrow): ${(e as Error).message}`);
    }
  };
  await run();
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void run().finally(() => { running = false; });
  }, o.everyMs ?? HEAD_LOG_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

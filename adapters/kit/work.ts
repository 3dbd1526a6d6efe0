// Work a chat adapter runs after it has answered the platform: tracked so idle() can wait for it (tests, shutdown),
// and serialised per conversation so one chat's inputs run one at a time, in arrival order (a session is read,
// then written). Shared by the Feishu, WeCom and DingTalk handlers.

export interface ChatWork {
  /** Runs work in the background; a failure is logged with the platform's prefix, never thrown. */
  track(work: Promise<unknown>): void;
  /** Runs fn after every earlier fn of the same key has settled. */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Resolves once no tracked work is left (work tracked meanwhile included). */
  idle(): Promise<void>;
}

export function createChatWork(platform: string, log: (msg: string) => void): ChatWork {
  const pending = new Set<Promise<unknown>>();
  const chains = new Map<string, Promise<unknown>>();
  return {
    track(work) {
      const p: Promise<unknown> = work.catch((e: Error) => log(`${platform}: ${e.message}`)).finally(() => pending.delete(p));
      pending.add(p);
    },
    serial(key, fn) {
      const next = (chains.get(key) ?? Promise.resolve()).then(fn, fn);
      const tail = next.then(() => undefined, () => undefined);
      chains.set(key, tail);
      void tail.then(() => { if (chains.get(key) === tail) chains.delete(key); });
      return next;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

// Helpers for the inbox tests of the chat adapters: a bot held at its door (so that acknowledged inputs stay in the
// inbox), and a SQLite file filled to its page limit (a real SQLITE_FULL).
import { expect } from 'vitest';
import type { Bot } from '../../src/bot.ts';
import type { Store } from '../../src/store/types.ts';

export interface Valve {
  wrapBot(bot: Bot): Bot;
  close(): void;
  open(): void;
  /** Lets the held inputs go on without running: each fails as if the process had died there. */
  crash(): void;
}

/** A bot whose inputs wait while the valve is closed. */
export function valve(closed = true): Valve {
  let gate: Promise<void> | null = null;
  let release = () => {};
  let crashed = false;
  const v: Valve = {
    wrapBot: (bot) => ({
      ...bot,
      handle: async (input) => {
        while (gate) await gate;
        if (crashed) throw new Error('the process died here (test)');
        return bot.handle(input);
      },
    }),
    close() { gate = new Promise<void>((r) => { release = () => { gate = null; r(); }; }); },
    open() { release(); },
    crash() { crashed = true; release(); },
  };
  if (closed) v.close();
  return v;
}

/**
 * Fills the SQLite file up to its page limit with inbox rows of another source, largest first, until not even a
 * small row fits: the disk is full (SQLITE_FULL). Returns the keys, to free the space again.
 */
export async function fillDisk(store: Store, nowMs: number): Promise<string[]> {
  const keys: string[] = [];
  let full = 0;
  for (const size of [65_536, 8192, 1024, 128, 16]) {
    for (;;) {
      const key = `filler:${keys.length}`;
      try {
        await store.inboxAdd({ key, source: 'filler', conversation: 'filler', payload: 'x'.repeat(size), receivedAtMs: nowMs }, 'filler', 60_000, nowMs);
        keys.push(key);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('SQLITE_FULL');
        full++;
        break;
      }
    }
  }
  expect(full).toBe(5);
  return keys;
}

/** Frees what fillDisk took. */
export async function freeDisk(store: Store, keys: readonly string[], nowMs: number): Promise<void> {
  for (const key of keys) await store.inboxDone(key, nowMs, 0, { forget: true });
}

/** The incident's events, as the ledger holds them. */
export async function eventsOf(store: Store, id: string): Promise<Array<{ type: string; text?: string; title?: string }>> {
  return ((await store.load(id))?.events ?? []).map((e) => e.event as { type: string; text?: string; title?: string });
}

/** Waits for something the code under test does (a log line, a frame), checking after each turn of the event loop. */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((resolve) => setTimeout(resolve, 2));
}

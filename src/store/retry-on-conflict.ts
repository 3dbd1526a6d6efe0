// Optimistic concurrency's other half: an append computed on a state another writer has since moved past fails with
// VersionConflictError, and the writer reads the new state and tries again. Every writer (the bot, the alerts
// service, the reminder ticker) retries through this one helper, after a jittered, doubling pause so that writers who
// collided do not collide again.
import { VersionConflictError } from './types.ts';

/** Retries after the first attempt before the conflict is given up and thrown. */
export const CONFLICT_RETRIES = 8;

/** The pause before the i-th retry (i from 0): 5, 10, 20… ms, at most 320, times a random factor in [0.5, 1.5). */
export function conflictBackoffMs(i: number, random: () => number = Math.random): number {
  return Math.min(320, 5 * 2 ** i) * (0.5 + random());
}

export interface RetryOptions {
  retries?: number;
  /** Waits ms milliseconds; a test passes its own to run without real time. */
  pause?: (ms: number) => Promise<void>;
  random?: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs attempt(i) (i = 0 for the first try) until it returns; a VersionConflictError is retried up to `retries` times
 * with backoff and then thrown; any other error is thrown at once.
 */
export async function retryOnConflict<T>(attempt: (i: number) => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const retries = o.retries ?? CONFLICT_RETRIES;
  const pause = o.pause ?? sleep;
  for (let i = 0; ; i++) {
    try {
      return await attempt(i);
    } catch (e) {
      if (!(e instanceof VersionConflictError) || i >= retries) throw e;
      await pause(conflictBackoffMs(i, o.random));
    }
  }
}

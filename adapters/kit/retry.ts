/**
 * How a call a platform refused for now (a rate limit, a busy service, no answer) is tried again: `retries` more
 * times, waiting `baseMs`, then twice that each time (longer when the platform names a reset time); no wait exceeds
 * `maxWaitMs`. Any other refusal (a bad request, no permission) is never retried. Reminders are not retried here:
 * the ticker's backoff does that.
 */
export interface RetryPolicy {
  retries: number;
  baseMs: number;
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseMs: 200, maxWaitMs: 10_000 };

/** The default policy with the given parts replaced. */
export function retryPolicyOf(given: Partial<RetryPolicy> = {}): RetryPolicy {
  return { retries: given.retries ?? DEFAULT_RETRY.retries, baseMs: given.baseMs ?? DEFAULT_RETRY.baseMs, maxWaitMs: given.maxWaitMs ?? DEFAULT_RETRY.maxWaitMs };
}

/** What a platform's API error tells the retry loop. */
export interface Refusal extends Error {
  /** Refused for now: a later try may go through. */
  readonly transient: boolean;
  /** How long the platform asked to wait (a rate limit's reset), if it said. */
  readonly resetMs?: number | undefined;
}

export interface RetryOptions<E extends Refusal> {
  policy: RetryPolicy;
  /** The platform's name, first on the retry log line. */
  platform: string;
  /** The caught value as the platform's error (anything else is thrown as it is). */
  errorOf: (raw: unknown) => unknown;
  /** The error thrown once the retries are spent, saying how many attempts were made. */
  afterAttempts?: (e: E, attempts: number) => Error;
  /** True: try once more at once, without counting a retry (a token the platform revoked, refreshed meanwhile). */
  again?: (e: unknown, attempt: number) => boolean;
  log: (msg: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

const isRefusal = (e: unknown): e is Refusal => e instanceof Error && typeof (e as Partial<Refusal>).transient === 'boolean';

/** Runs call, trying again as the policy says while the platform refuses for now. */
export async function retried<T, E extends Refusal>(call: () => Promise<T>, o: RetryOptions<E>): Promise<T> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (raw) {
      const e = o.errorOf(raw);
      if (o.again?.(e, attempt)) continue;
      if (!isRefusal(e) || !e.transient) throw e;
      if (attempt > o.policy.retries) throw attempt > 1 && o.afterAttempts ? o.afterAttempts(e as E, attempt) : e;
      const wait = Math.min(o.policy.maxWaitMs, Math.max(o.policy.baseMs * 2 ** (attempt - 1), e.resetMs ?? 0));
      o.log(`${o.platform}: ${e.message}; trying again in ${wait} ms (retry ${attempt} of ${o.policy.retries})`);
      await sleep(wait);
    }
  }
}

/** How a platform's client is told to retry: its policy (parts of it), where a retry is logged, how it waits. */
export interface RetryingOptions {
  retry?: Partial<RetryPolicy> | undefined;
  /** Where a retry is logged (the caller redacts). */
  log?: (msg: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** A platform client's retry loop: `(op, call)` runs call as `retried` does, its errors read by `errorOf(op, raw)`. */
export function retrierOf<E extends Refusal>(platform: string, opts: RetryingOptions, errorOf: (op: string, raw: unknown) => unknown, afterAttempts: (e: E, attempts: number) => Error) {
  const policy = retryPolicyOf(opts.retry);
  const log = opts.log ?? (() => undefined);
  return <T>(op: string, call: () => Promise<T>): Promise<T> => retried(call, {
    policy, platform, log, errorOf: (raw) => errorOf(op, raw), afterAttempts, ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
}

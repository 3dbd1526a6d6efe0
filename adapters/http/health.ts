// Liveness and readiness on the one HTTP server, for an orchestrator's probes and a load balancer. Neither needs
// authentication, so neither says anything about incidents: only which part of the bot is not ready, and why in a
// few fixed words.
import type { Hono } from 'hono';

/** One readiness check: null when ready, else a short reason (never incident data, never an error's own text). */
export type ReadinessCheck = () => Promise<string | null> | string | null;

export interface Readiness {
  /** Adds (or replaces) a named check: the store, each configured platform, the reminder ticker. */
  set(name: string, check: ReadinessCheck): void;
  /** Every check, run at once, each given at most timeoutMs: a check that does not answer in time is not ready. */
  report(timeoutMs?: number): Promise<{ ready: boolean; notReady: Record<string, string> }>;
}

export function createReadiness(): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  return {
    set(name, check) {
      checks.set(name, check);
    },
    async report(timeoutMs = 2000) {
      const results = await Promise.all([...checks].map(async ([name, check]): Promise<[string, string | null]> => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('no answer'), timeoutMs); });
        try {
          return [name, await Promise.race([Promise.resolve().then(check).catch(() => 'failed'), late])];
        } finally {
          clearTimeout(timer);
        }
      }));
      const notReady = Object.fromEntries(results.filter((r): r is [string, string] => r[1] !== null));
      return { ready: Object.keys(notReady).length === 0, notReady };
    },
  };
}

/** GET /livez: the event loop answers. GET /readyz: 200 when every check passes, else 503 naming what is not ready. */
export function mountHealth(app: Hono, readiness: Readiness): void {
  app.get('/livez', (c) => c.json({ live: true }));
  app.get('/readyz', async (c) => {
    const r = await readiness.report();
    return c.json(r.ready ? { ready: true } : { ready: false, notReady: r.notReady }, r.ready ? 200 : 503);
  });
}

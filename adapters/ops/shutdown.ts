// Graceful shutdown on SIGTERM (and SIGINT), in this order:
//   1. not ready: /readyz answers 503, so a load balancer stops sending;
//   2. stop taking new platform payloads, long connections first (Feishu and DingTalk deliver each event to one
//      connection: closed, the platform gives the next event to another replica), then the rest (Slack, WeCom, the
//      console's input); Slack's and Feishu's HTTP routes on the one server answer 503 from then on (both platforms
//      send those again) while the server stays open for /readyz and the requests in hand;
//   3. drain what is in hand (each transport's stop finishes the payloads it acknowledged) within SHUTDOWN_DRAIN_MS;
//      what is still running at the deadline stays in the durable inbox and the next start resumes it; meanwhile the
//      HTTP server still answers /readyz (503) to the load balancer, and is closed once the drain ends ('server');
//   4. flush: stop the ticker and the periodic jobs, close the store (its writes are through);
//   5. exit 0 (1 when a step failed).
import type { Readiness } from '../http/health.ts';

export const DEFAULT_DRAIN_MS = 10_000;

export class ShutdownConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShutdownConfigError';
  }
}

/** SHUTDOWN_DRAIN_MS: how long a shutdown waits for the work in hand (default 10 s). */
export function drainMsOf(env: Record<string, string | undefined>): number {
  const raw = env.SHUTDOWN_DRAIN_MS?.trim();
  if (!raw) return DEFAULT_DRAIN_MS;
  if (!/^\d{1,7}$/.test(raw)) throw new ShutdownConfigError(`SHUTDOWN_DRAIN_MS=${raw.slice(0, 20)} 须为毫秒数（0 至 9999999） / must be a number of milliseconds (0-9999999)`);
  return Number(raw);
}

export type Phase = 'connections' | 'intake' | 'drain' | 'server' | 'flush';
const ORDER: readonly Phase[] = ['connections', 'intake', 'drain', 'server', 'flush'];

export interface Shutdown {
  /**
   * A step of a phase. connections and intake steps are started in that order and awaited together with the drain
   * steps under the deadline (a transport's stop closes its intake at once and resolves once its work is done); flush
   * steps run after, in the order added. server steps (the HTTP server with /readyz) start once the drain ended and
   * get what is left of the deadline.
   */
  add(phase: Phase, name: string, step: () => Promise<unknown> | unknown): void;
  /** Runs the shutdown once (later calls return the same promise); resolves to the exit code. */
  run(reason: string): Promise<number>;
  /** Whether a shutdown has begun. */
  readonly started: boolean;
}

export interface ShutdownDeps {
  readiness: Readiness;
  log: (msg: string) => void;
  drainMs: number;
}

export function createShutdown(d: ShutdownDeps): Shutdown {
  const steps: Record<Phase, Array<{ name: string; step: () => Promise<unknown> | unknown }>> = { connections: [], intake: [], drain: [], server: [], flush: [] };
  let running: Promise<number> | null = null;
  async function go(reason: string): Promise<number> {
    let code = 0;
    const attempt = (name: string, step: () => Promise<unknown> | unknown) => Promise.resolve().then(step).then(
      () => undefined,
      (e: Error) => { code = 1; d.log(`shutdown: ${name}: ${e.message}`); },
    );
    d.readiness.set('shutdown', () => 'shutting down');
    d.log(`${reason}: shutting down: not ready; closing ${[...steps.connections, ...steps.intake].map((s) => s.name).join(', ') || 'nothing to close'}; draining within ${d.drainMs} ms`);
    // Long connections first, then the other intakes, then whatever only drains: each started before the next.
    const inHand: Promise<void>[] = [];
    for (const phase of ORDER.slice(0, 3)) for (const s of steps[phase]) inHand.push(attempt(s.name, s.step));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), d.drainMs); });
    let drained = await Promise.race([Promise.all(inHand).then(() => 'drained' as const), late]);
    // The HTTP server answered /readyz 503 all along; closed now (its requests in hand finish within what is left).
    if (drained === 'drained' && steps.server.length > 0) drained = await Promise.race([Promise.all(steps.server.map((s) => attempt(s.name, s.step))).then(() => 'drained' as const), late]);
    else for (const s of steps.server) void attempt(s.name, s.step);
    clearTimeout(timer);
    if (drained === 'late') d.log(`shutdown: work still running after ${d.drainMs} ms (SHUTDOWN_DRAIN_MS); what it acknowledged stays in the inbox and the next start resumes it`);
    for (const s of steps.flush) await attempt(s.name, s.step);
    d.log(`shutdown: done${code === 0 ? '' : ' (with errors, see above)'}`);
    return code;
  }
  return {
    add(phase, name, step) {
      steps[phase].push({ name, step });
    },
    run(reason) {
      running ??= go(reason);
      return running;
    },
    get started() {
      return running !== null;
    },
  };
}

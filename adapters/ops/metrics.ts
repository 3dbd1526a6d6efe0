// Prometheus metrics on a listener of their own (METRICS_PORT), never on the public HTTP server: what an operations
// team graphs and alerts on. prom-client is imported only when this starts, so a CLI run or a bot without
// METRICS_PORT never loads it. Labels are fixed words (regime, kind, platform, result, code, op): never incident
// text, ids or user ids.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadIncident } from '../../src/incident/stored.ts';
import type { BotConfig } from '../../src/conversation/types.ts';
import { assess } from '../../src/incident/assess.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { REGIME_IDS } from '../../src/regimes/port.ts';
import type { Store } from '../../src/store/types.ts';
import { apiErrorCode, codeWord as word, observeOps } from './hooks.ts';
export { apiErrorCode };

export class MetricsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsConfigError';
  }
}

export interface MetricsSettings { port: number; host: string }

/** METRICS_PORT switches the listener on; METRICS_HOST (default 127.0.0.1) is where it binds. */
export function metricsSettings(env: Record<string, string | undefined>): MetricsSettings | null {
  const raw = env.METRICS_PORT?.trim();
  if (!raw) return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) {
    throw new MetricsConfigError(`METRICS_PORT=${raw.slice(0, 20)} 须为 0 至 65535 的端口号 / must be a port number 0-65535`);
  }
  const http = env.HTTP_PORT?.trim();
  if (http && http === raw && raw !== '0') {
    throw new MetricsConfigError(`METRICS_PORT=${raw} 与 HTTP_PORT 相同：指标须使用独立端口 / is HTTP_PORT: metrics need a listener of their own, never the public server`);
  }
  return { port: Number(raw), host: env.METRICS_HOST?.trim() || '127.0.0.1' };
}

/** What the rest of the bot reports to the metrics, beside what the adapters' hooks and the store wrapper see. */
export interface BotMetrics {
  /** A reminder went out: its obligation, when its step fell due and when it was posted (lateness = posted − due). */
  reminderPosted(kind: string, dueAtMs: number, postedAtMs: number): void;
  /** Wraps the store: every operation timed by name; reminders sent and acknowledged counted from the events appended. */
  instrumentStore<S extends Store>(store: S): S;
  /** Wraps a sender's failures into platform API errors by code. */
  apiError(platform: string, e: unknown): void;
}

export interface MetricsServer extends BotMetrics {
  readonly port: number;
  stop(): Promise<void>;
}

export interface StartMetricsOptions extends MetricsSettings {
  /** The store as the bot uses it (for the figures computed at scrape time: obligations, inbox depth). */
  store: () => Store;
  config: BotConfig;
  now: () => number;
  log: (msg: string) => void;
}

const KINDS = new Set<string>(['brief', 'incident', 'progress', 'immediate', 'final', 'preliminary', 'revision', 'risk-feedback', 'confirm', 'digest']);
const REGIMES = new Set<string>(REGIME_IDS);
const PLATFORMS = new Set(['slack', 'feishu', 'wecom', 'dingtalk', 'console', 'alerts']);

/** The obligations of one incident now, by regime and kind: PBoC's clocks, then any other regime's the assessment carries. */
function obligationsOf(state: Awaited<ReturnType<typeof loadIncident>>, nowMs: number, config: BotConfig): Array<{ regime: string; kind: string; status: string }> {
  if (!state) return [];
  const a = assess(state, nowMs, config.assess);
  const d = a.deadlines;
  const out: Array<{ regime: string; kind: string; status: string }> = [...d.deadlines, ...d.immediate, ...(d.preliminary ? [d.preliminary] : []), ...(d.riskFeedback ? [d.riskFeedback] : [])]
    .map((x) => ({ regime: 'pboc', kind: x.kind, status: x.status }));
  // Other regulators' obligations, when the assessment carries them (src/regimes/port.ts Obligation).
  const more = (a as { obligations?: Array<{ regime: string; kind: string; status: string }> }).obligations;
  if (Array.isArray(more)) for (const o of more) if (o.regime !== 'pboc') out.push({ regime: o.regime, kind: o.kind, status: o.status });
  return out;
}

/** Starts the listener; resolves once it listens. */
export async function startMetrics(o: StartMetricsOptions): Promise<MetricsServer> {
  const prom = await import('prom-client');
  const { createServer } = await import('node:http'); // here, not at the top: the bot imports metricsSettings from this module on every start
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });
  const { store: storeOf, config, now } = o;
  const timeout = <T>(p: Promise<T>, ms: number): Promise<T> => Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error('no answer')), ms).unref())]);

  // One pass over the open incidents (on the bot's clock) fills the three gauges below; the registry collects them at
  // once, so they share the pass.
  type Tally = Map<string, { labels: Record<string, string>; n: number }>;
  let pass: Promise<{ open: Tally; pending: Tally; overdue: Tally } | null> | null = null;
  const bump = (t: Tally, labels: Record<string, string>) => {
    const k = JSON.stringify(labels);
    const x = t.get(k);
    if (x) x.n++;
    else t.set(k, { labels, n: 1 });
  };
  async function tallyOnce() {
    const store = storeOf();
    const metas = await timeout(store.listOpen(), 5000).catch(() => null);
    if (!metas) return null;
    const nowMs = now();
    const t = { open: new Map(), pending: new Map(), overdue: new Map() } as { open: Tally; pending: Tally; overdue: Tally };
    for (const m of metas) {
      const drill = m.drill ? 'true' : 'false';
      bump(t.open, { drill });
      const state = await loadIncident(store, m.id).catch(() => null);
      for (const ob of obligationsOf(state, nowMs, config)) {
        const labels = { regime: word(ob.regime, REGIMES), kind: word(ob.kind), drill };
        if (ob.status === 'pending') bump(t.pending, labels);
        else if (ob.status === 'overdue') bump(t.overdue, labels);
      }
    }
    return t;
  }
  // Kept for 2 s: scrapers that come together (two Prometheus servers, a dashboard) share one pass over the incidents.
  const tally = () => (pass ??= tallyOnce().finally(() => setTimeout(() => { pass = null; }, 2000).unref()));
  const fill = (which: 'open' | 'pending' | 'overdue') => async function (this: { reset(): void; set(l: Record<string, string>, v: number): void }) {
    const t = await tally();
    if (!t) return;
    this.reset();
    for (const { labels, n } of t[which].values()) this.set(labels, n);
  };
  new prom.Gauge({ name: 'pboc_obligations_pending', help: 'Obligations of open incidents not yet met and not yet overdue, by regime and kind', labelNames: ['regime', 'kind', 'drill'], registers: [registry], collect: fill('pending') });
  new prom.Gauge({ name: 'pboc_obligations_overdue', help: 'Obligations of open incidents past their deadline and not met, by regime and kind', labelNames: ['regime', 'kind', 'drill'], registers: [registry], collect: fill('overdue') });
  new prom.Gauge({ name: 'pboc_incidents_open', help: 'Open incidents', labelNames: ['drill'], registers: [registry], collect: fill('open') });
  new prom.Gauge({
    name: 'pboc_inbox_depth', help: 'Platform payloads written to the durable inbox and not yet processed', registers: [registry],
    async collect() {
      const n = await timeout(storeOf().inboxPendingCount(), 5000).catch(() => null);
      if (n !== null) this.set(n);
    },
  });
  const lateness = new prom.Histogram({
    name: 'pboc_reminder_lateness_seconds', help: 'Reminder posted minus when its step fell due, in seconds', labelNames: ['regime', 'kind'], registers: [registry],
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600, 4 * 3600, 24 * 3600],
  });
  const sent = new prom.Counter({ name: 'pboc_reminders_sent_total', help: 'Reminders posted (recorded in the incident log)', labelNames: ['regime', 'kind', 'late'], registers: [registry] });
  const acked = new prom.Counter({ name: 'pboc_reminders_acknowledged_total', help: 'Reminders acknowledged (/incident ack or its button)', labelNames: ['regime', 'kind'], registers: [registry] });
  const ackLatency = new prom.Histogram({
    name: 'pboc_ack_latency_seconds', help: 'From the latest reminder of an obligation to its acknowledgement, in seconds', labelNames: ['regime', 'kind'], registers: [registry],
    buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600],
  });
  const inbound = new prom.Counter({ name: 'pboc_inbound_events_total', help: 'Platform payloads received, by platform and result', labelNames: ['platform', 'result'], registers: [registry] });
  const apiErrors = new prom.Counter({ name: 'pboc_platform_api_errors_total', help: 'Platform API calls that failed, by platform and error code', labelNames: ['platform', 'code'], registers: [registry] });
  const storeLatency = new prom.Histogram({
    name: 'pboc_store_operation_seconds', help: 'Store operation latency, by operation and outcome', labelNames: ['op', 'outcome'], registers: [registry],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const unobserve = observeOps({
    inbound: (platform, result) => inbound.inc({ platform: word(platform, PLATFORMS), result }),
    apiError: (platform, code) => apiErrors.inc({ platform: word(platform, PLATFORMS), code: word(code) }),
  });

  const kindOfKey = (key: string) => word(key.split(':')[1] ?? '', KINDS);
  /** Acknowledgement latency: the latest reminder-sent of that obligation before the ack, read back from the log. */
  async function observeAck(store: Store, id: string, kind: string, atMs: number): Promise<void> {
    const stored = await store.load(id);
    if (!stored) return;
    let last: number | null = null;
    for (const { event } of stored.events) {
      const e = event as IncidentEvent & { at?: number };
      if (e.type === 'reminder-sent' && kindOfKey(e.key) === kind && typeof e.at === 'number' && e.at <= atMs) last = e.at;
    }
    if (last !== null) ackLatency.observe({ regime: 'pboc', kind }, (atMs - last) / 1000);
  }

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (e: Error) => { o.log(`metrics: scrape failed: ${e.message}`); res.writeHead(503, { 'content-type': 'text/plain' }).end('temporarily unavailable\n'); },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  o.log(`metrics: listening on ${o.host}:${port} (GET /metrics)`);

  return {
    port,
    reminderPosted(kind, dueAtMs, postedAtMs) {
      lateness.observe({ regime: 'pboc', kind: word(kind, KINDS) }, Math.max(0, postedAtMs - dueAtMs) / 1000);
    },
    apiError(platform, e) {
      apiErrors.inc({ platform: word(platform, PLATFORMS), code: apiErrorCode(e) });
    },
    instrumentStore<S extends Store>(store: S): S {
      const timed = new Map<PropertyKey, unknown>();
      return new Proxy(store, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if (typeof v !== 'function' || typeof prop !== 'string' || prop === 'close') return v;
          if (timed.has(prop)) return timed.get(prop);
          const op = prop;
          const fn = v as (...a: unknown[]) => unknown;
          const wrapped = function (this: unknown, ...args: unknown[]) {
            const start = process.hrtime.bigint();
            const out = fn.apply(target, args);
            if (!(out instanceof Promise)) return out;
            const took = () => Number(process.hrtime.bigint() - start) / 1e9;
            return out.then((r: unknown) => {
              storeLatency.observe({ op, outcome: 'ok' }, took());
              if (op === 'append') {
                const id = args[0] as string;
                for (const ev of args[2] as Array<IncidentEvent & { at?: number }>) {
                  if (ev.type === 'reminder-sent') sent.inc({ regime: 'pboc', kind: kindOfKey(ev.key), late: ev.late ? 'true' : 'false' });
                  if (ev.type === 'reminder-acked') {
                    const kind = word(ev.obligation, KINDS);
                    acked.inc({ regime: 'pboc', kind });
                    void observeAck(target, id, kind, typeof ev.at === 'number' ? ev.at : now()).catch(() => undefined);
                  }
                }
              }
              return r;
            }, (e: unknown) => {
              storeLatency.observe({ op, outcome: 'error' }, took());
              throw e;
            });
          };
          timed.set(prop, wrapped);
          return wrapped;
        },
      });
    },
    stop: () => new Promise<void>((resolve) => {
      unobserve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

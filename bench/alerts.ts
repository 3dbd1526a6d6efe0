// Monitoring alerts through the real HTTP server (Hono on @hono/node-server) and the whole alert path on SQLite:
// alerts accepted per second and the ack (HTTP 200) p99, against a bare Hono handler on the same server
// library that reads the body and answers 200 {}, measured in the same run.
// Rows: the bare handler; a replay (auth, parse, claim: what Alertmanager's repeats and HA pairs cost); a new
// alert linked to the open incident of its network (append, grade check, card posted to a no-op platform); 100-alert
// notifications (alerts/s), and one on an incident with 2,500 alert events against one on a fresh incident.
// Run alone: node --import tsx bench/alerts.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { startAlertsHttp } from '../adapters/alerts/start.ts';
import { createBot } from '../src/bot.ts';
import { botConfigOf, loadInstitutionConfig } from '../src/config/institution.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { BenchResult } from './run.ts';

const TOKEN = 'bench-token-0123456789abcdef';
const REQUESTS = 600;
const LINKED = 200; // an alert storm on one incident: each occurrence is appended to its log
const CONCURRENCY = 8;
const BATCH = 100; // alerts in one notification
const HISTORY = 2_500; // alert events already in the long incident's log
const BATCH_ROUNDS = 7;

function batch(tag: string, service: string, n: number): string {
  return JSON.stringify({
    version: '4', groupKey: `{}:{service="${service}"}`, status: 'firing', receiver: 'bot', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '',
    alerts: Array.from({ length: n }, (_, i) => ({
      status: 'firing', labels: { alertname: `Check${i % 7}`, service, instance: `${tag}-${i}` }, annotations: {}, startsAt: '2026-11-30T03:20:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: `${tag}-${i}`,
    })),
  });
}
const NOW = Date.parse('2026-11-30T03:25:00Z'); // 11:25 Shanghai, a working day: fixed, as in the tests

function payload(fingerprint: string): string {
  return JSON.stringify({
    version: '4', groupKey: '{}:{alertname="CoreBankingDown"}', status: 'firing', receiver: 'bot', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '',
    alerts: [{ status: 'firing', labels: { alertname: 'CoreBankingDown', service: 'core-banking', instance: fingerprint }, annotations: {}, startsAt: '2026-11-30T03:20:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint }],
  });
}

/** Sends `bodies` with CONCURRENCY in flight; returns alerts/s and ack latencies (ms). */
async function drive(url: string, bodies: string[]): Promise<{ perSecond: number; p50: number; p99: number; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t = performance.now();
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`bench: ${r.status}`);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 100) / 100;
  return { perSecond: Math.round(bodies.length / seconds), p50: q(0.5), p99: q(0.99), seconds };
}

export async function benchAlerts(): Promise<BenchResult> {
  // Baseline: the same framework and server library, a handler that only reads the body.
  const bare = new Hono();
  bare.post('/alerts/alertmanager', async (c) => { await c.req.text(); return c.json({}); });
  const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => { const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s)); });
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/alerts/alertmanager`;

  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-alerts-'));
  const store = createSqliteStore(join(dir, 'bench.db'));
  const institution = loadInstitutionConfig({}).config;
  const config = botConfigOf({ ...institution, alerts: { conversation: 'bench:room', routes: [
    { match: { service: 'core-banking' }, matchRegex: {}, network: 'core-banking', outage: { provinces: 1, failureRatePercent: 100 } },
    { match: { service: 'online-banking' }, matchRegex: {}, network: 'online-banking', conversation: 'bench:long' },
    { match: { service: 'online-banking-fresh' }, matchRegex: {}, network: 'online-banking', conversation: 'bench:fresh' },
  ] } }, true);
  const now = () => NOW;
  const core = createBot({ store, config, now });
  const http = (await startAlertsHttp({
    env: { HTTP_PORT: '0', ALERTS_ALERTMANAGER_TOKEN: TOKEN }, store, config, bot: core, now, log: () => undefined, write: () => undefined,
    platforms: () => [{ prefix: 'bench:', sender: { send: async () => undefined }, stop: async () => undefined }],
  }))!;
  const url = `http://127.0.0.1:${http.server.port}/alerts/alertmanager`;
  // An open incident for the network: every new alert is linked to it.
  await core.handle({ kind: 'command', text: 'new 核心银行系统中断', user: 'bench:u', conversation: 'bench:room' });
  await core.handle({ kind: 'command', text: 'set network core-banking', user: 'bench:u', conversation: 'bench:room' });

  const warm = Array.from({ length: 200 }, (_, i) => payload(`warm-${i}`));
  await drive(bareUrl, warm);
  await drive(url, warm);
  const bareBodies = Array.from({ length: REQUESTS }, (_, i) => payload(`fp-${i}`));
  // The baseline is measured before and after the bot (best of the two): a loaded machine makes the first run noisy.
  const bareBefore = await drive(bareUrl, bareBodies);
  const fresh = await drive(url, Array.from({ length: LINKED }, (_, i) => payload(`fp-${i}`)));
  const replay = await drive(url, Array.from({ length: REQUESTS }, (_, i) => payload(`fp-${i % LINKED}`)));

  // A notification of 100 alerts, on an incident whose log already holds 2,500 alert events and on a fresh one.
  for (const room of ['bench:long', 'bench:fresh']) {
    await core.handle({ kind: 'command', text: 'new 网上银行中断', user: 'bench:u', conversation: room });
    await core.handle({ kind: 'command', text: 'set network online-banking', user: 'bench:u', conversation: room });
  }
  for (let k = 0; k < HISTORY / BATCH; k++) await drive(url, [batch(`grow-${k}`, 'online-banking', BATCH)]);
  const longMs: number[] = [];
  const freshMs: number[] = [];
  for (let k = 0; k < BATCH_ROUNDS; k++) {
    for (const [service, into] of [['online-banking', longMs], ['online-banking-fresh', freshMs]] as const) {
      const t = performance.now();
      await drive(url, [batch(`m-${service}-${k}`, service, BATCH)]);
      into.push(performance.now() - t);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const batches = await drive(url, Array.from({ length: 20 }, (_, k) => batch(`rate-${k}`, 'core-banking', BATCH)));

  const bareAfter = await drive(bareUrl, bareBodies);
  const bareResult = bareAfter.p99 < bareBefore.p99 ? bareAfter : bareBefore;
  await http.server.stop();
  await new Promise<void>((resolve) => bareServer.close(() => resolve()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const row = (name: string, r: typeof bareResult) => ({
    case: name, 'alerts/s': r.perSecond, 'ack p50 ms': r.p50, 'ack p99 ms': r.p99,
    'p99 vs bare': `${(r.p99 / bareResult.p99).toFixed(1)}x`, 'alerts/s vs bare': `${(r.perSecond / bareResult.perSecond).toFixed(2)}x`,
  });
  return {
    name: `alerts: POST /alerts/alertmanager, ${REQUESTS} requests, ${CONCURRENCY} in flight, SQLite`,
    rows: [
      row('bare Hono handler (baseline)', bareResult), row('replay (auth, parse, done-marker)', replay), row(`new alert linked to the open incident (${LINKED})`, fresh),
      { ...row(`${BATCH}-alert notifications linked (alerts/s = ${BATCH} x requests/s)`, { ...batches, perSecond: Math.round((20 * BATCH) / batches.seconds) }), 'p99 vs bare': `${(batches.p99 / bareResult.p99).toFixed(1)}x` },
      { case: `one ${BATCH}-alert notification, fresh incident (median of ${BATCH_ROUNDS})`, 'ack p50 ms': Math.round(median(freshMs) * 100) / 100 },
      { case: `one ${BATCH}-alert notification, incident with ${HISTORY} alert events (median of ${BATCH_ROUNDS})`, 'ack p50 ms': Math.round(median(longMs) * 100) / 100, 'vs fresh': `${(median(longMs) / median(freshMs)).toFixed(2)}x (target <= 1.5x)` },
    ],
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatTable, machineInfo } = await import('./run.ts');
  const r = await benchAlerts();
  console.log(`${machineInfo()}\n\n${r.name}\n${formatTable(r.rows)}`);
}

// The web page's "Now" page at 1,000 and 10,000 open incidents, paged (50 a page), read by a compliance officer
// (every conversation): server-side time (store read, the per-incident read model, the page's cards, HTML) against
// the same framework's bare "hello" route, both through Hono's app.request in one run.
// Team rule: a ratio to a baseline measured in the same run; no test asserts on timings.
// Run alone: node --import tsx bench/web.ts
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';
import { createWebApp } from '../adapters/web/app.ts';
import { openSession } from '../adapters/web/auth.ts';
import type { IncidentEvent } from '../src/incident/events.ts';
import { metaOf } from '../src/incident/stored.ts';
import { fold } from '../src/incident/state.ts';
import { parseIso } from '../src/calendar/time.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { BenchResult } from './run.ts';
import { benchConfig } from './support.ts';

const SIZES = [1_000, 10_000];
const RUNS = 15; // timed renders of each route, after warm-up
const HELLOS = 2_000;
const START = parseIso('2026-11-30T09:00:00+08:00');
const SECRET = 'bench-web-secret-0123456789abcdef012345';

/** A 较大 incident whose brief report went by email (awaiting confirmation) for every third one. */
function incidentEvents(i: number): IncidentEvent[] {
  const at = START - (i % 600) * 60_000;
  const id = `INC-20261130-${String(i + 1).padStart(4, '0')}`;
  const actor = 'slack:U0BENCH';
  const ev: IncidentEvent[] = [
    { type: 'created', id, title: `网上银行登录失败 ${i}`, conversation: `slack:T1:C${i % 50}`, at, actor },
    { type: 'fact-set', path: 'occurredAt', value: at - 10 * 60_000, at, actor },
    { type: 'fact-set', path: 'networks.0.ref', value: 'online-banking', at, actor },
    { type: 'fact-set', path: 'networks.0.affectedNaturalPersons', value: 120_000, at, actor },
    { type: 'grade-raised', from: null, to: '较大', effectiveAt: at, basis: [{ article: 9, item: 2, grade: '较大', reason: '提供金融服务的网络主要功能中断' }], at, actor: 'bot' },
  ];
  if (i % 3 === 0) ev.push({ type: 'report-submitted', reportId: 'R1', kind: 'brief', channel: 'email', recipient: '中国人民银行上海总部', at: at + 20 * 60_000, actor });
  return ev;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round2 = (x: number) => Math.round(x * 100) / 100;

async function nowAt(incidents: number, helloMedian: number) {
  const store = createSqliteStore(':memory:');
  for (let i = 0; i < incidents; i++) {
    const events = incidentEvents(i);
    await store.append(events[0]!.type === 'created' ? (events[0] as { id: string }).id : '', 0, events, metaOf(fold(events)));
  }
  const nowMs = START + 30 * 60_000;
  const config = benchConfig();
  config.institution.complianceOfficers = ['slack:U0BENCH'];
  const web = createWebApp({ store, config, now: () => nowMs, secret: SECRET, sessionTtlMs: 3600_000 });
  const cookie = `pboc_web_session=${await openSession(SECRET, store, { user: 'slack:U0BENCH', lang: 'zh-CN' }, nowMs, 3600_000)}`;
  const nowOnce = async () => {
    const t = performance.now();
    const res = await web.request('/now', { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('id="next-page"')) throw new Error(`bench: /now answered ${res.status}`);
    return { ms: performance.now() - t, bytes: Buffer.byteLength(body) };
  };
  const first = await nowOnce(); // builds the read model
  await nowOnce();
  const now: Array<{ ms: number; bytes: number }> = [];
  for (let i = 0; i < RUNS; i++) now.push(await nowOnce());
  await store.close();
  const nowMedian = median(now.map((n) => n.ms));
  return [
    { route: `GET /now, ${incidents.toLocaleString('en')} open, first request (read model cold)`, 'median (ms)': round2(first.ms), 'vs hello': Math.round(first.ms / helloMedian), 'body (KiB)': Math.round(first.bytes / 1024) },
    { route: `GET /now, ${incidents.toLocaleString('en')} open, page 1 of ${Math.ceil(incidents / 50)}`, 'median (ms)': round2(nowMedian), 'vs hello': Math.round(nowMedian / helloMedian), 'body (KiB)': Math.round(now[0]!.bytes / 1024) },
  ];
}

export async function benchWeb(): Promise<BenchResult> {
  const hello = new Hono().get('/hello', (c) => c.text('hello'));
  const helloOnce = async () => { const t = performance.now(); await (await hello.request('/hello')).text(); return performance.now() - t; };
  for (let i = 0; i < 200; i++) await helloOnce();
  const helloMs: number[] = [];
  for (let i = 0; i < HELLOS; i++) helloMs.push(await helloOnce());
  const helloMedian = median(helloMs);
  const rows: BenchResult['rows'] = [{ route: 'GET /hello (baseline)', 'median (ms)': round2(helloMedian), 'vs hello': 1, 'body (KiB)': 0 }];
  for (const n of SIZES) rows.push(...await nowAt(n, helloMedian));
  return {
    name: 'web page: "Now" (paged, compliance officer) at 1,000 and 10,000 open incidents vs Hono\'s bare "hello" route (app.request, same run, medians)',
    rows,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatTable, machineInfo } = await import('./run.ts');
  const r = await benchWeb();
  console.log(`${machineInfo()}\n\n${r.name}\n${formatTable(r.rows)}`);
}

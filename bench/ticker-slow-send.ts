// One slow platform call must not hold every reminder. Ten reminders fall due at once, each in
// its own channel, posted through the real Slack client (the reminders' own WebClient) to the fake Slack on loopback;
// in the "one hang" runs the post to the first channel hangs HANG_MS before Slack takes it. Figures: how long the
// other nine took, against the same ten with no hang in the same run (team rule: ratios against a baseline measured
// alongside), and when tick() returned. "sequential" is the ticker as it was before: one incident at a time and no
// deadline (concurrency 1, a deadline longer than the hang). Run alone: node --import tsx bench/ticker-slow-send.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createReminderClient, createSlackSender } from '../adapters/slack/transport/reminders.ts';
import type { Outbound, Sender, SendOptions } from '../src/reminders/message.ts';
import { createTicker } from '../src/reminders/ticker.ts';
import { parseIso } from '../src/calendar/time.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { seedRansomwareIncident } from '../test/fakes/seed.ts';
import { benchConfig } from './support.ts';

const DUE = 10;
const HANG_MS = 3_000;
const DEADLINE_MS = 1_000;
const REPS = 3;
const TOKEN = 'xoxb-bench-slow-send';
const T0 = parseIso('2026-11-30T09:00:00+08:00');

type Row = Record<string, string | number>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

interface Run { othersMs: number; tickMs: number; hungPosted: boolean }

async function once(dir: string, rep: number, mode: 'no hang' | 'one hang' | 'sequential'): Promise<Run> {
  const config = benchConfig();
  const store = createSqliteStore(join(dir, `${mode.replace(' ', '-')}-${rep}.db`));
  const api = await FakeSlackApi.start({ bot: TOKEN });
  try {
    for (let i = 1; i <= DUE; i++) {
      const id = `INC-20261130-${String(i).padStart(2, '0')}`;
      await seedRansomwareIncident(store, config, { id, title: `勒索 ${i}`, conversation: `slack:T1:C${i}`, at: T0, actor: 'bench' });
    }
    const slack = createSlackSender({ client: createReminderClient(TOKEN, { apiUrl: api.apiUrl, timeoutMs: 30_000 }), store, now: () => T0 + 30 * 60_000, command: '/incident', defaultLang: 'zh-CN' });
    const doneAt = new Map<string, number>();
    const timed: Sender = {
      async send(m: Outbound, opts?: SendOptions) {
        await slack.send(m, opts);
        doneAt.set(m.conversation, performance.now());
      },
    };
    if (mode !== 'no hang') api.hang('chat.postMessage', { ms: HANG_MS, match: (b) => b.channel === 'C1' });
    const ticker = createTicker({
      store, config, sender: timed, now: () => T0 + 30 * 60_000,
      ...(mode === 'sequential' ? { concurrency: 1, sendDeadlineMs: 10 * HANG_MS } : { sendDeadlineMs: DEADLINE_MS }),
    });
    const start = performance.now();
    const r = await ticker.tick();
    const tickMs = performance.now() - start;
    await ticker.settled();
    const others = [...doneAt.entries()].filter(([c]) => c !== 'slack:T1:C1' || mode === 'no hang').map(([, at]) => at - start);
    if (mode === 'no hang' ? others.length !== DUE : others.length !== DUE - 1) throw new Error(`${mode}: ${others.length} reminders posted besides the hung one`);
    if (r.processed !== DUE) throw new Error(`${mode}: processed ${r.processed}`);
    // With no hang, "the other nine" is the nine fastest of the ten.
    const nine = mode === 'no hang' ? [...others].sort((a, b) => a - b).slice(0, DUE - 1) : others;
    return { othersMs: Math.max(...nine), tickMs, hungPosted: api.channelMessages('C1').length === 1 };
  } finally {
    await api.close();
    await store.close();
  }
}

export async function benchTickerSlowSend(): Promise<{ name: string; rows: Row[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-slow-'));
  const runs: Record<string, Run[]> = { 'no hang': [], 'one hang': [], sequential: [] };
  try {
    await once(dir, -1, 'no hang'); // warm-up: JIT, the SDK's first connection
    for (let rep = 0; rep < REPS; rep++) {
      for (const mode of ['no hang', 'one hang', 'sequential'] as const) runs[mode]!.push(await once(dir, rep, mode));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const base = median(runs['no hang']!.map((r) => r.othersMs));
  const rows: Row[] = Object.entries(runs).map(([mode, rs]) => ({
    run: mode === 'sequential' ? `one hang, sequential (as before: concurrency 1, no deadline)` : mode === 'one hang' ? `one hang (concurrency 8, deadline ${DEADLINE_MS} ms)` : 'no hang',
    [`other ${DUE - 1} posted within, median (ms)`]: round(median(rs.map((r) => r.othersMs))),
    'vs no hang': `${(median(rs.map((r) => r.othersMs)) / base).toFixed(2)}x`,
    'tick() returned after, median (ms)': round(median(rs.map((r) => r.tickMs))),
    'hung reminder posted once': rs.every((r) => r.hungPosted) ? 'yes' : 'NO',
  }));
  return { name: `ticker: ${DUE} reminders due at once, the post to one channel hanging ${HANG_MS} ms (real Slack client, fake Slack on loopback, SQLite file; median of ${REPS})`, rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runBenches } = await import('./run.ts');
  await runBenches([benchTickerSlowSend]);
}

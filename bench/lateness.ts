// Reminder lateness on real time: 200 reminders falling due at random moments over 60 s, tickers on
// Redis with the default 15 s periodic pass, one replica and then two. Lateness = posted - due, per reminder.
// Baseline from the same run: a bare setTimeout armed for each of the same moments in the same process.
// Each incident is a ransomware case opened 30 minutes "before" its moment (through a bot whose clock is set
// back), so its first reminder (brief report, 30 minutes left) falls due exactly then.
// Target: p99 ≤ 1 s, none lost or doubled. Run alone: node --import tsx bench/lateness.ts (Redis at REDIS_URL or
// 127.0.0.1:6379; skipped when none answers; keys under a unique prefix, deleted at the end).
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createBot } from '../src/bot.ts';
import type { Outbound } from '../src/reminders/message.ts';
import { createTicker } from '../src/reminders/ticker.ts';
import { createRedisStore } from '../src/store/redis.ts';
import type { BenchResult } from './run.ts';
import { benchConfig, deleteKeys } from './support.ts';

const REMINDERS = 200;
const WINDOW_MS = 60_000;
const LEAD_MS = 8_000; // creating the incidents happens before the first moment
const TICK_MS = 15_000; // TICK_SECONDS' default
const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
const ms = (x: number) => Math.round(x * 10) / 10;

interface Outcome { lateness: number[]; lost: number; doubled: number }

async function run(replicas: number): Promise<{ reminders: Outcome; timers: Outcome }> {
  const prefix = `pboc-bench:lateness:${process.pid}-${randomBytes(4).toString('hex')}:`;
  const config = benchConfig();
  const writer = await createRedisStore(url, { prefix }); // the replica users talk to
  const stores = await Promise.all(Array.from({ length: replicas }, () => createRedisStore(url, { prefix })));
  try {
    let botNow = 0;
    const bot = createBot({ store: writer, config, now: () => botNow });
    const base = Date.now() + LEAD_MS;
    const dueById = new Map<string, number>();
    for (let i = 0; i < REMINDERS; i++) {
      const due = Math.round(base + Math.random() * WINDOW_MS);
      botNow = due - 30 * 60_000;
      const conversation = `bench:C${i}`;
      const created = await bot.handle({ kind: 'command', text: `new 勒索 ${i}`, user: 'bench:U1', conversation });
      const id = /(INC-\d{8}-\d+)/.exec(JSON.stringify(created))?.[1];
      if (!id) throw new Error('lateness bench: no incident id in the reply');
      await bot.handle({ kind: 'command', text: 'set ransomwareHarm 是', user: 'bench:U1', conversation });
      dueById.set(id, due);
    }
    if (Date.now() >= base) throw new Error('lateness bench: creating the incidents took longer than LEAD_MS');
    const posts = new Map<string, number[]>();
    const sender = { async send(m: Outbound) { posts.set(m.incidentId, [...(posts.get(m.incidentId) ?? []), Date.now()]); } };
    const tickers = stores.map((store) => createTicker({ store, config, sender, now: () => Date.now() }));
    // As main.ts starts them: index, one pass, then armed.
    for (const t of tickers) { await t.reindex(); await t.tick(); await t.start(TICK_MS); }
    const fired = new Map<string, number[]>();
    for (const [id, due] of dueById) setTimeout(() => fired.set(id, [Date.now()]), due - Date.now());
    await new Promise((r) => setTimeout(r, base + WINDOW_MS - Date.now() + 3_000));
    await Promise.all(tickers.map((t) => t.stop()));
    const outcome = (got: Map<string, number[]>): Outcome => {
      const lateness: number[] = [];
      let lost = 0;
      let doubled = 0;
      for (const [id, due] of dueById) {
        const at = got.get(id) ?? [];
        if (at.length === 0) lost++;
        if (at.length > 1) doubled++;
        if (at[0] !== undefined) lateness.push(at[0] - due);
      }
      return { lateness, lost, doubled };
    };
    return { reminders: outcome(posts), timers: outcome(fired) };
  } finally {
    await Promise.all([writer, ...stores].map((s) => s.close()));
    await deleteKeys(url, prefix);
  }
}

export async function benchLateness(): Promise<BenchResult> {
  const rows: Array<Record<string, string | number>> = [];
  const row = (what: string, o: Outcome, target: string) => rows.push({
    what,
    'p50 (ms)': ms(pct(o.lateness, 50)), 'p99 (ms)': ms(pct(o.lateness, 99)), 'max (ms)': ms(Math.max(...o.lateness)),
    posted: o.lateness.length, lost: o.lost, doubled: o.doubled, target,
  });
  for (const replicas of [1, 2]) {
    const r = await run(replicas).catch((e: Error) => { if (/connect/i.test(e.message)) return null; throw e; });
    if (!r) { rows.push({ what: `Redis unreachable at ${url}: skipped` }); break; }
    row(`${replicas} replica(s): bare setTimeout at each moment (baseline)`, r.timers, '');
    const ok = pct(r.reminders.lateness, 99) <= 1000 && r.reminders.lost === 0 && r.reminders.doubled === 0;
    row(`${replicas} replica(s): reminder posted`, r.reminders, `p99 ≤ 1 s, none lost or doubled: ${ok ? 'met' : 'missed'}`);
  }
  return { name: `Reminder lateness, ${REMINDERS} reminders over ${WINDOW_MS / 1000} s of real time, Redis, ${TICK_MS / 1000} s periodic pass`, rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runBenches } = await import('./run.ts');
  await runBenches([benchLateness]);
}

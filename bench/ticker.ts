// Reminder ticker cost per tick at 100, 1,000 and 10,000 open incidents, on SQLite and on Redis, and how it grows.
// The ticker reads only incidents whose wake time has come (store.dueWakes), so an idle tick should cost about
// one index lookup whatever the number of open incidents, and a busy tick should grow with the due ones only.
// Team rule: figures are ratios against baselines measured in the same run: a bare store.dueWakes(now, 500) on
// the same store, and the N=100 row of the same store. Target: idle tick under 5 ms at 10,000 open incidents.
// Also timed once per row: reindex(), which the running ticker (start()) does every 10 minutes by default: it
// loads every open incident, so it grows with them by design; with the longest stretch the event loop ran nothing
// else meanwhile. Run alone: node --import tsx bench/ticker.ts (Redis at REDIS_URL or 127.0.0.1:6379; its rows are
// skipped when none answers; its keys live under a unique prefix, deleted at the end).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BotConfig } from '../src/conversation/types.ts';
import type { Sender } from '../src/reminders/message.ts';
import { createTicker } from '../src/reminders/ticker.ts';
import { parseIso } from '../src/calendar/time.ts';
import { createRedisStore } from '../src/store/redis.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { seedRansomwareIncident } from '../test/fakes/seed.ts';
import { benchConfig, deleteKeys } from './support.ts';

const SIZES = [100, 1_000, 10_000] as const;
const IDLE_TICKS = 1_000; // timed idle ticks per row, each paired with a timed bare dueWakes (cheap, so enough for a p99)
const WARMUP = 50; // untimed idle ticks + dueWakes first
const DUE = 10; // incidents due in a busy tick
const DUE_ROUNDS = 5; // batches of DUE incidents, each due twice (T-30, T-10): 2*DUE_ROUNDS busy ticks per row
const SEED_CHUNK = 200; // appends in flight at once while seeding
const TARGET_IDLE_MS = 5;
const MIN = 60_000;
// 10:00, not 09:00: the police's 及时 obligation (ransomware) is reminded daily at 09:00, which would make the
// incidents seeded before BASE due in the idle window.
const BASE = parseIso('2026-11-30T10:00:00+08:00');

type Row = Record<string, string | number>;


/** A Sender that takes every message and does nothing. */
const noopSender: Sender = { send: async () => undefined };

const ms = (start: number) => performance.now() - start;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const micros = (msValue: number) => Math.round(msValue * 10_000) / 10; // ms -> µs, one decimal
const round2 = (x: number) => Math.round(x * 100) / 100;
const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}x`;

/** One store seeded with n open incidents, its ticker, and the timed operations on it. */
interface Subject {
  n: number;
  store: Store;
  seedSeconds: number;
  dueWakesMs: number[]; // bare store.dueWakes(now, 500), nothing due
  idleMs: number[]; // tick() with nothing due
  busyMs: number[]; // tick() with exactly DUE incidents due
  reindexMs: number; // one ticker.reindex(), which start() runs every 10 min (reindexEveryMs) before its tick
  reindexStallMs: number; // the longest the event loop went without running a timer during it
  bare(): Promise<number>;
  idle(): Promise<number>;
  busy(cycle: number, k: number): Promise<number>;
  reindex(): Promise<{ took: number; stall: number }>;
}

/**
 * Seeds n open incidents: n - DUE*DUE_ROUNDS at BASE (next wake: T-30 of the brief report, BASE+30min), and
 * DUE_ROUNDS batches of DUE whose T-30 step falls at BASE+(k+1)min. Idle ticks run at BASE+30s, when nothing is due
 * anywhere. Busy tick (cycle 0, k) runs at BASE+(k+1)min, when batch k alone is due; it sends T-30 and moves the
 * batch on to T-10, 20 min later, which busy tick (cycle 1, k) sends at BASE+(k+21)min. Every busy tick stays
 * before BASE+30min, so the other incidents are never due.
 */
async function prepare(store: Store, config: BotConfig, n: number): Promise<Subject> {
  const ids: Array<{ id: string; t0: number }> = [];
  const main = n - DUE * DUE_ROUNDS;
  for (let i = 0; i < main; i++) ids.push({ id: `INC-20261130-${String(i + 1).padStart(5, '0')}`, t0: BASE });
  for (let k = 0; k < DUE_ROUNDS; k++) {
    for (let j = 0; j < DUE; j++) ids.push({ id: `INC-20261130-D${k}${String(j).padStart(2, '0')}`, t0: BASE + (k + 1) * MIN - 30 * MIN });
  }
  const seedStart = performance.now();
  for (let i = 0; i < ids.length; i += SEED_CHUNK) {
    await Promise.all(ids.slice(i, i + SEED_CHUNK).map(({ id, t0 }, j) => seedRansomwareIncident(store, config, { id, title: `勒索 ${id}`, conversation: `bench:C${(i + j) % 100}`, at: t0, actor: 'seed' })));
  }
  const seedSeconds = ms(seedStart) / 1000;

  const idleNow = BASE + 30_000;
  let nowMs = idleNow;
  const ticker = createTicker({ store, config, sender: noopSender, now: () => nowMs, batch: 500 });
  const where = `ticker bench (${store.kind}, N=${n})`;
  return {
    n,
    store,
    seedSeconds,
    dueWakesMs: [],
    idleMs: [],
    busyMs: [],
    reindexMs: NaN,
    reindexStallMs: NaN,
    async bare() {
      nowMs = idleNow;
      const t = performance.now();
      const due = await store.dueWakes(nowMs, 500);
      const took = ms(t);
      if (due.length !== 0) throw new Error(`${where}: ${due.length} wakes due in the idle window`);
      return took;
    },
    async idle() {
      nowMs = idleNow;
      const t = performance.now();
      const r = await ticker.tick();
      const took = ms(t);
      if (r.processed !== 0) throw new Error(`${where}: ${r.processed} incidents processed in an idle tick`);
      return took;
    },
    async busy(cycle, k) {
      nowMs = BASE + (k + 1 + 20 * cycle) * MIN;
      const t = performance.now();
      const r = await ticker.tick();
      const took = ms(t);
      if (r.processed !== DUE || r.sent.length !== DUE || r.failed.length !== 0) {
        throw new Error(`${where}: busy tick ${cycle}/${k} processed ${r.processed}, sent ${r.sent.length}, failed ${r.failed.length}; expected ${DUE}`);
      }
      return took;
    },
    async reindex() {
      nowMs = BASE + (DUE_ROUNDS + 20) * MIN; // the last busy tick's time: recomputes the same wakes
      // A 1 ms timer alongside: the longest gap between its runs is how long nothing else (chat input) could run.
      let stall = 0;
      let last = performance.now();
      const probe = setInterval(() => {
        const at = performance.now();
        stall = Math.max(stall, at - last);
        last = at;
      }, 1);
      const t = performance.now();
      const count = await ticker.reindex();
      const took = ms(t);
      await new Promise((resolve) => setTimeout(resolve, 5)); // let the probe see the end of a stall
      clearInterval(probe);
      if (count !== n) throw new Error(`${where}: reindex saw ${count} open incidents`);
      return { took, stall };
    },
  };
}

/** Times the subjects in interleaved rounds, so drift (GC, turbo, the other core's load, Redis sharing the
 *  machine) hits every size and its baseline alike; the order within a round rotates. */
async function run(subjects: Subject[], timed: boolean): Promise<void> {
  const rounds = timed ? IDLE_TICKS : WARMUP;
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < subjects.length; j++) {
      const s = subjects[(i + j) % subjects.length]!;
      // Alternate which of the pair goes first.
      let b: number;
      let t: number;
      if (i % 2 === 0) {
        b = await s.bare();
        t = await s.idle();
      } else {
        t = await s.idle();
        b = await s.bare();
      }
      if (timed) {
        s.dueWakesMs.push(b);
        s.idleMs.push(t);
      }
    }
  }
}

async function runBusy(subjects: Subject[]): Promise<void> {
  for (let cycle = 0; cycle < 2; cycle++) {
    for (let k = 0; k < DUE_ROUNDS; k++) {
      for (let j = 0; j < subjects.length; j++) {
        const s = subjects[(k + j) % subjects.length]!;
        s.busyMs.push(await s.busy(cycle, k));
      }
    }
  }
}


export async function benchTicker(): Promise<{ name: string; rows: Row[] }> {
  const config = benchConfig();
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefixRoot = `pboc-bench:ticker:${process.pid}-${randomBytes(4).toString('hex')}:`;
  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-ticker-'));
  const rows: Row[] = [];
  const notes: string[] = [];
  let redisTouched = false;

  // open(0) is the throwaway warm-up store.
  const kinds: Array<{ kind: string; open: (n: number) => Promise<Store> }> = [
    // A file in WAL mode with synchronous=FULL, as deployed (':memory:' would flatter it).
    { kind: 'sqlite', open: async (n) => createSqliteStore(join(dir, `ticker-${n}.db`)) },
    {
      kind: 'redis',
      open: async (n) => {
        const store = await createRedisStore(redisUrl, { prefix: `${prefixRoot}${n}:` });
        redisTouched = true;
        return store;
      },
    },
  ];
  try {
    for (const { kind, open } of kinds) {
      // A whole untimed pass on a throwaway store of the same kind first, so the first size measured does not pay for the JIT.
      try {
        const warm = await open(0);
        try {
          const w = await prepare(warm, config, SIZES[0]);
          await run([w], false);
          await runBusy([w]);
          await w.reindex();
        } finally {
          await warm.close();
        }
      } catch (e) {
        notes.push(`${kind} skipped: ${(e as Error).message}`);
        continue;
      }
      const subjects: Subject[] = [];
      try {
        for (const n of SIZES) {
          const store = await open(n);
          try {
            subjects.push(await prepare(store, config, n));
          } catch (e) {
            await store.close();
            throw e;
          }
        }
        await run(subjects, false);
        await run(subjects, true);
        await runBusy(subjects);
        for (const s of subjects) {
          const r = await s.reindex();
          s.reindexMs = r.took;
          s.reindexStallMs = r.stall;
        }
      } finally {
        for (const s of subjects) await s.store.close();
      }
      // Growth and baseline ratios use medians: one GC pause or scheduler hiccup (2 cores, Redis and others sharing
      // them) moves a mean of microsecond ticks by several times, which would read as growth that is not there.
      const first = subjects[0]!;
      const firstIdle = quantile(first.idleMs, 0.5);
      const firstP99 = quantile(first.idleMs, 0.99);
      const firstBusy = quantile(first.busyMs, 0.5);
      for (const s of subjects) {
        const idle = mean(s.idleMs);
        const idleMedian = quantile(s.idleMs, 0.5);
        const p99 = quantile(s.idleMs, 0.99);
        const busy = quantile(s.busyMs, 0.5);
        rows.push({
          store: kind,
          open: s.n,
          'seed (s)': round2(s.seedSeconds),
          'dueWakes median (µs)': micros(quantile(s.dueWakesMs, 0.5)),
          'idle tick mean (µs)': micros(idle),
          'idle median (µs)': micros(idleMedian),
          'idle p99 (µs)': micros(p99),
          'idle vs dueWakes (median)': ratio(idleMedian, quantile(s.dueWakesMs, 0.5)),
          [`tick, ${DUE} due, median (ms)`]: round2(busy),
          [`${DUE} due, max (ms)`]: round2(Math.max(...s.busyMs)),
          'idle median vs N=100': ratio(idleMedian, firstIdle),
          'p99 vs N=100': ratio(p99, firstP99),
          [`${DUE} due vs N=100`]: ratio(busy, firstBusy),
          'reindex (ms)': round2(s.reindexMs),
          'reindex vs N=100': ratio(s.reindexMs, first.reindexMs),
          'reindex: longest event-loop stall (ms)': round2(s.reindexStallMs),
          [`idle < ${TARGET_IDLE_MS} ms`]:
            s.n === 10_000 ? (p99 < TARGET_IDLE_MS ? 'met (mean and p99)' : idle < TARGET_IDLE_MS ? 'met (mean only)' : 'MISSED') : '',
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (redisTouched) await deleteKeys(redisUrl, prefixRoot);
  }
  for (const note of notes) rows.push({ store: note });
  return {
    name:
      `ticker: cost per tick by open incidents (${IDLE_TICKS} idle ticks after ${WARMUP} warm-up, interleaved with a bare dueWakes(now, 500) baseline; ` +
      `${2 * DUE_ROUNDS} ticks with ${DUE} due, no-op sender; sizes interleaved; SQLite on a WAL file, Redis on loopback)`,
    rows,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runBenches } = await import('./run.ts');
  await runBenches([benchTicker]);
}

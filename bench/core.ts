// Core bot.handle() throughput and resident memory while creating 10,000 incidents on an in-memory SQLite store.
// Each incident is `new` plus 2-3 `set` commands, as a chat adapter would hand them in, over 100 conversations
// (one user each), on a settable clock that moves one second per command.
// Team rule: figures are ratios against baselines measured in the same run: handles/second of a trivial command
// (`help`) on the same bot before any incident exists, and RSS before the first incident.
// Target: resident memory under 150 MB at 10,000 incidents. Run alone: node --import tsx bench/core.ts
// Each measurement runs in a fresh child process (node --expose-gc --import tsx, as `npm start` runs the bot), so
// memory is read after a full collection and is not inflated by the benches that ran before in the same process.
// The in-memory store keeps the whole ledger in the process, so a second run on a SQLite file (as deployed: WAL,
// synchronous=FULL) shows how much of the growth is the ledger itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBot, type Bot } from '../src/bot.ts';
import type { BotConfig, ChatInput } from '../src/conversation/types.ts';
import { parseIso } from '../src/calendar/time.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import { benchConfig } from './support.ts';

const INCIDENTS = 10_000;
const CONVERSATIONS = 100;
const SLICE = 1_000; // incidents per throughput slice, to see whether handle() slows as incidents accumulate
const HELPS = 2_000; // timed `help` commands per baseline measurement
const WARMUP_INCIDENTS = 300; // created on a throwaway store first, so the JIT is warm before anything is timed
const TARGET_RSS_MB = 150;
const START = parseIso('2026-11-30T09:00:00+08:00');

type Row = Record<string, string | number>;


const gc = (globalThis as { gc?: () => void }).gc;
const MB = (bytes: number) => Math.round(bytes / 2 ** 20 * 10) / 10;

interface Memory {
  rss: number;
  heapTotal: number; // what V8 holds for its heap, used or not
  heapUsed: number;
  external: number;
}
function memory(): Memory {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external };
}

/** A bot on a fresh in-memory store, with its clock and a driver that fails loudly on an error reply. */
function harness(config: BotConfig, storePath: string) {
  const store = createSqliteStore(storePath);
  let nowMs = START;
  const bot: Bot = createBot({ store, config, now: () => nowMs });
  let handles = 0;
  const say = async (conversation: number, text: string) => {
    const input: ChatInput = { kind: 'command', text, user: `bench:U${conversation}`, conversation: `bench:C${conversation}` };
    const replies = await bot.handle(input);
    handles++;
    nowMs += 1000;
    const error = replies.find((r) => r.type === 'error');
    if (error) throw new Error(`core bench: "${text}" in bench:C${conversation} answered an error: ${error.type === 'error' ? error.text : ''}`);
  };
  /** Creates incidents [from, to): new, then ransomware harm, persons affected, and every other one important data. */
  const create = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = i % CONVERSATIONS;
      await say(c, `new 勒索 ${i + 1}`);
      await say(c, 'set ransomwareHarm 是');
      await say(c, 'set 自然人 20万');
      if (i % 2 === 0) await say(c, 'set 重要数据 否');
    }
  };
  const helps = async (count: number) => {
    for (let i = 0; i < count; i++) await say(i % CONVERSATIONS, 'help');
  };
  return { store, say, create, helps, handles: () => handles };
}

interface Rate {
  rate: number;
  handles: number;
  seconds: number;
}

/** Runs fn and returns handles per second over it. */
async function perSecond(h: { handles: () => number }, fn: () => Promise<void>): Promise<Rate> {
  const before = h.handles();
  const t = performance.now();
  await fn();
  const seconds = (performance.now() - t) / 1000;
  const handles = h.handles() - before;
  return { rate: handles / seconds, handles, seconds };
}

/** What one child process measures, as JSON. */
interface Measured {
  gc: boolean;
  atLoad: Memory;
  before: Memory;
  after: Memory;
  maxRss: number;
  helpEmpty: Rate;
  helpFull: Rate;
  slices: Array<Rate & { from: number; to: number; memory: Memory }>; // memory after the slice
  dbBytes: number | null; // file runs: the database file after close (the ledger's size)
}

/** The measurement proper, in this process: storePath ':memory:' or a SQLite file. */
async function measure(storePath: string): Promise<Measured> {
  const config = benchConfig();
  const atLoad = memory();

  // Warm-up on a throwaway in-memory store: every code path below runs a few hundred times before anything is timed.
  const warm = harness(config, ':memory:');
  await warm.helps(500);
  await warm.create(0, WARMUP_INCIDENTS);
  await warm.helps(500);
  await warm.store.close();

  const h = harness(config, storePath);
  const before = memory();
  const helpEmpty = await perSecond(h, () => h.helps(HELPS));
  const slices: Measured['slices'] = [];
  for (let from = 0; from < INCIDENTS; from += SLICE) {
    const to = Math.min(INCIDENTS, from + SLICE);
    const rate = await perSecond(h, () => h.create(from, to));
    slices.push({ from, to, ...rate, memory: memory() });
  }
  const after = memory();
  const helpFull = await perSecond(h, () => h.helps(HELPS));
  const open = (await h.store.listOpen()).length;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  await h.store.close();
  if (open !== INCIDENTS) throw new Error(`core bench: ${open} open incidents after creating ${INCIDENTS}`);
  const dbBytes = storePath === ':memory:' ? null : statSync(storePath).size;
  return { gc: gc !== undefined, atLoad, before, after, maxRss, helpEmpty, helpFull, slices, dbBytes };
}

const SELF = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--core-bench-child';
const CHILD_TIMEOUT_MS = 150_000;
// The V8 flags `npm start` runs the bot with (package.json): a 4 MB young-generation semi-space keeps a
// long-running bot's resident memory down (about 30 MB at 10,000 incidents) at no measurable cost in throughput.
const START_FLAGS = ['--max-semi-space-size=4'];

/** Runs measure() in a fresh node process and returns what it printed. */
function measureInChild(storePath: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...START_FLAGS, '--import', 'tsx', SELF, CHILD_FLAG, storePath], {
      cwd: join(dirname(SELF), '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`core bench child (${storePath}) exited ${code ?? signal}: ${err.trim() || out.trim()}`));
      try {
        resolve(JSON.parse(out) as Measured);
      } catch (e) {
        reject(new Error(`core bench child (${storePath}) printed no result: ${(e as Error).message}: ${out.slice(0, 500)}`));
      }
    });
  });
}

/** RSS of an otherwise empty node process, after gc: with and without the tsx loader (which `npm start` uses). */
function bareRss(withTsx: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', ...(withTsx ? ['--import', 'tsx'] : []), '-e', 'gc(); process.stdout.write(String(process.memoryUsage().rss))'];
    const child = spawn(process.execPath, args, { cwd: join(dirname(SELF), '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && Number(out) > 0 ? resolve(Number(out)) : reject(new Error(`bare node (tsx: ${withTsx}) exited ${code}: ${out}`))));
  });
}

export async function benchCore(): Promise<{ name: string; rows: Row[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-core-'));
  let mem: Measured;
  let file: Measured;
  let bareNode: number;
  let bareTsx: number;
  try {
    bareNode = await bareRss(false);
    bareTsx = await bareRss(true);
    mem = await measureInChild(':memory:');
    file = await measureInChild(join(dir, 'core.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const base = mem.helpEmpty.rate;
  const n = INCIDENTS.toLocaleString('en');
  const throughput = (measure: string, r: Rate): Row => ({
    measure,
    handles: r.handles,
    seconds: Math.round(r.seconds * 100) / 100,
    'handles/s': Math.round(r.rate),
    'ms/handle': Math.round((1000 / r.rate) * 1000) / 1000,
    'vs baseline': `${(r.rate / base).toFixed(2)}x`,
  });
  const total = (m: Measured): Rate => {
    const handles = m.slices.reduce((k, s) => k + s.handles, 0);
    const seconds = m.slices.reduce((k, s) => k + s.seconds, 0);
    return { rate: handles / seconds, handles, seconds };
  };
  const range = (s: { from: number; to: number }) => `${(s.from + 1).toLocaleString('en')}-${s.to.toLocaleString('en')}`;
  const memRow = (measure: string, bytes: number, baseline: number, target?: boolean): Row => ({
    measure,
    MB: MB(bytes),
    'vs baseline': `${(bytes / baseline).toFixed(2)}x`,
    ...(target ? { target: bytes < TARGET_RSS_MB * 2 ** 20 ? `< ${TARGET_RSS_MB} MB: met` : `< ${TARGET_RSS_MB} MB: MISSED` } : {}),
  });

  const rows: Row[] = [throughput('memory: help, no incidents (baseline)', mem.helpEmpty)];
  rows.push(throughput(`memory: create ${n}: new + 2-3 set, all`, total(mem)));
  for (const i of [0, Math.floor(mem.slices.length / 2), mem.slices.length - 1]) {
    const s = mem.slices[i]!;
    rows.push(throughput(`memory: create, incidents ${range(s)}`, s));
  }
  // A command's cost as history grows: the slice that ends at 1,000 incidents against the one that ends at 10,000
  // (same commands, same run); flat means within 25 %.
  const perCommand = (s: Rate) => 1e6 / s.rate;
  const first = mem.slices[0]!;
  const last = mem.slices.at(-1)!;
  const growth = perCommand(last) / perCommand(first);
  rows.push({ measure: `memory: cost per command at ${first.to.toLocaleString('en')} incidents`, 'ms/handle': Math.round(perCommand(first)) / 1000, 'vs baseline': `${(base / first.rate).toFixed(2)}x the cost of help` });
  rows.push({
    measure: `memory: cost per command at ${last.to.toLocaleString('en')} incidents`, 'ms/handle': Math.round(perCommand(last)) / 1000, 'vs baseline': `${(base / last.rate).toFixed(2)}x the cost of help`,
    target: `${growth.toFixed(2)}x the cost at ${first.to.toLocaleString('en')}; flat (≤ 1.25x): ${growth <= 1.25 ? 'met' : 'missed'}`,
  });
  rows.push(throughput(`memory: help, ${n} open (${INCIDENTS / CONVERSATIONS}/conversation)`, mem.helpFull));
  rows.push(throughput('file: help, no incidents', file.helpEmpty));
  rows.push(throughput(`file: create ${n}: new + 2-3 set, all`, total(file)));
  rows.push(throughput(`file: help, ${n} open`, file.helpFull));
  rows.push(memRow('bare node process (no code loaded)', bareNode, mem.before.rss));
  rows.push(memRow('bare node --import tsx process', bareTsx, mem.before.rss));
  for (const [label, m] of [['memory', mem], ['file', file]] as const) {
    const firstSlice = m.slices[0]!;
    // Least-squares slope of RSS over the slices: single readings move by a few MB either way (allocator, GC).
    const xs = m.slices.map((s) => s.to / 1000);
    const ys = m.slices.map((s) => s.memory.rss);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope = xs.reduce((acc, x, i) => acc + (x - mx) * (ys[i]! - my), 0) / xs.reduce((acc, x) => acc + (x - mx) ** 2, 0);
    rows.push(memRow(`${label}: RSS, modules loaded`, m.atLoad.rss, m.before.rss));
    rows.push(memRow(`${label}: RSS before the first incident (baseline)`, m.before.rss, m.before.rss));
    rows.push(memRow(`${label}: RSS at ${firstSlice.to.toLocaleString('en')} incidents`, firstSlice.memory.rss, m.before.rss));
    rows.push(memRow(`${label}: RSS at ${n} incidents`, m.after.rss, m.before.rss, true));
    rows.push(memRow(`${label}: peak RSS (maxRSS)`, m.maxRss, m.before.rss, true));
    rows.push({ measure: `${label}: RSS growth per 1,000 incidents (fit, ${firstSlice.to.toLocaleString('en')} to ${n})`, MB: MB(slope) });
    rows.push(memRow(`${label}: heapTotal at ${n} (vs before)`, m.after.heapTotal, m.before.heapTotal));
    rows.push(memRow(`${label}: heapUsed at ${n} (vs before)`, m.after.heapUsed, m.before.heapUsed));
    rows.push(memRow(`${label}: external at ${n} (vs before)`, m.after.external, m.before.external));
  }
  if (file.dbBytes !== null) rows.push({ measure: `file: database size at ${n} incidents`, MB: MB(file.dbBytes) });
  return {
    name:
      `core: bot.handle() creating ${n} incidents over ${CONVERSATIONS} conversations; memory: in-memory SQLite, file: SQLite file ` +
      `(each in a fresh node --expose-gc --import tsx child, after ${WARMUP_INCIDENTS} warm-up incidents on a throwaway store; ` +
      `memory read ${mem.gc && file.gc ? 'after global.gc()' : 'WITHOUT gc: global.gc not exposed'}; baseline: help on the in-memory run)`,
    rows,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === CHILD_FLAG) {
    process.stdout.write(JSON.stringify(await measure(process.argv[3] ?? ':memory:')));
  } else {
    const { runBenches } = await import('./run.ts');
    await runBenches([benchCore]);
  }
}

// The crash run every platform shares (nothing acknowledged is lost): the bot as a child process takes signed commands from several
// chats at once, is killed with SIGKILL after some are acknowledged, is restarted, and drains its inbox; then what
// the record holds is counted by marker (`crash-<n>`, an incident's title or a note's text). The platform supplies
// its environment, how to tell the receiver is up, and how to send the n-th command. No vitest here (benches use it).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Store } from '../../src/store/types.ts';

export interface CrashOptions {
  /** SQLITE_PATH or REDIS_URL for the bot. */
  storeEnv: NodeJS.ProcessEnv;
  /** The same store, opened by the caller to read the record. */
  openStore: () => Promise<Store>;
  n?: number; // commands sent (the platform's default)
  chats?: number; // senders at once, one per chat (the platform's default)
  killAfter?: number; // acknowledged commands before the SIGKILL (the platform's default)
  /** How the first run is stopped mid-burst: SIGKILL (default, a crash) or SIGTERM (a graceful shutdown). */
  signal?: 'SIGKILL' | 'SIGTERM';
  /** Run the compiled build (bin/start.js) instead of the sources under tsx. */
  compiled?: boolean;
  /** More environment for both runs (e.g. SHUTDOWN_DRAIN_MS). */
  env?: NodeJS.ProcessEnv;
}

export interface CrashFigures {
  sent: number;
  acknowledged: number;
  /** Acknowledged markers found in the record. */
  recorded: number;
  /** Acknowledged markers not in the record (must be none). */
  missing: string[];
  /** Markers recorded more than once (must be none). */
  duplicated: string[];
  /** In flight at the kill (no 200 seen) and recorded anyway: taken just before the kill. */
  inFlightRecorded: number;
  /** Inbox items still pending when the bot was restarted. */
  pendingAtRestart: number;
  /** From the restarted bot's spawn until its inbox was empty. */
  drainMs: number;
  /** How the first run ended, and what it printed. */
  firstExit: { code: number | null; signal: NodeJS.Signals | null };
  firstLog: string;
}

export interface CrashPlatform {
  /** The bot's environment for this platform (the store's is added). */
  env: NodeJS.ProcessEnv;
  /** True once the bot's receiver answers. */
  ready(log: () => string): Promise<boolean>;
  /** Chat c's k-th command, marker crash-<n>; true when the platform got its acknowledgement. */
  send(c: number, k: number, n: number): Promise<boolean>;
  /** A refusal ends that chat's burst (its later commands would have no incident). */
  stopChatOnRefusal?: boolean;
  defaults: { n: number; chats: number; killAfter: number };
}

interface Bot { child: ChildProcessWithoutNullStreams; log: () => string }

function spawnBot(env: NodeJS.ProcessEnv, compiled = false): Bot {
  const child = spawn(process.execPath, compiled ? ['bin/start.js'] : ['--import', 'tsx', 'adapters/main.ts'], { env });
  let log = '';
  child.stderr.on('data', (b: Buffer) => { log += b.toString(); });
  child.stdout.on('data', (b: Buffer) => { log += b.toString(); });
  return { child, log: () => log };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, bot: Bot, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    const gone = bot.child.exitCode !== null ? `the bot exited (${bot.child.exitCode})` : Date.now() > end ? 'timed out' : null;
    if (gone) throw new Error(`${gone} waiting for ${what}; bot output:\n${bot.log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<void>((r) => {
  if (child.exitCode !== null || child.signalCode !== null) r();
  else child.once('exit', () => r());
});

/** Each marker recorded (an incident's title, a note's text), with how many times. */
async function recordedMarkers(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (m: string) => counts.set(m, (counts.get(m) ?? 0) + 1);
  for (const m of await store.listInRange(0, Number.MAX_SAFE_INTEGER)) {
    for (const { event } of (await store.load(m.id))?.events ?? []) {
      const e = event as { type?: string; title?: string; text?: string };
      if (e.type === 'created' && e.title?.startsWith('crash-')) add(e.title);
      if (e.type === 'note' && e.text?.startsWith('crash-')) add(e.text);
    }
  }
  return counts;
}

export async function runCrash(p: CrashPlatform, o: CrashOptions): Promise<CrashFigures> {
  const N = o.n ?? p.defaults.n;
  const CHATS = o.chats ?? p.defaults.chats;
  const KILL_AFTER = o.killAfter ?? p.defaults.killAfter;
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...p.env, ...o.storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '3600', ...o.env,
  };
  if (o.compiled) delete env.NODE_OPTIONS; // vitest's loader must not leak into the compiled run
  if (!o.storeEnv.REDIS_URL) delete env.REDIS_URL;
  // Only this platform: no other adapter's variables from the environment the tests run in.
  const own = new Set(Object.keys(p.env));
  for (const k of Object.keys(env)) if (/^(SLACK|FEISHU|WECOM|DINGTALK)_/.test(k) && !own.has(k)) delete env[k];

  let store: Store | null = null;
  let second: Bot | null = null;
  try {
    const first = spawnBot(env, o.compiled);
    await until(() => p.ready(first.log), 'the receiver', first);
    const acknowledged = new Set<string>();
    const refused: string[] = [];
    let killed = false;
    const kill = exited(first.child);
    await Promise.all(Array.from({ length: CHATS }, async (_, c) => {
      for (let n = c, k = 0; n < N && !killed; n += CHATS, k++) {
        const marker = `crash-${n}`;
        if (!(await p.send(c, k, n).catch(() => false))) {
          refused.push(marker);
          if (p.stopChatOnRefusal) return;
          continue;
        }
        acknowledged.add(marker);
        if (acknowledged.size >= KILL_AFTER && !killed) {
          killed = true;
          first.child.kill(o.signal ?? 'SIGKILL'); // mid-burst: other chats' commands are in flight
        }
      }
    }));
    if (!killed) first.child.kill(o.signal ?? 'SIGKILL');
    await kill;
    const firstExit = { code: first.child.exitCode, signal: first.child.signalCode };

    // Restarted: what was acknowledged and not yet processed is resumed from the inbox, once.
    store = await o.openStore();
    const pendingAtRestart = await store.inboxPendingCount();
    const t0 = Date.now();
    second = spawnBot(env, o.compiled);
    await until(() => p.ready(second!.log), 'the restarted bot', second);
    await until(async () => (await store!.inboxPendingCount()) === 0, 'the inbox to drain', second);
    const drainMs = Date.now() - t0;
    second.child.kill('SIGTERM');
    await exited(second.child);
    const markers = await recordedMarkers(store);
    return {
      sent: acknowledged.size + refused.length,
      acknowledged: acknowledged.size,
      recorded: [...markers.keys()].filter((m) => acknowledged.has(m)).length,
      missing: [...acknowledged].filter((m) => !markers.has(m)),
      duplicated: [...markers].filter(([, c]) => c > 1).map(([m]) => m),
      inFlightRecorded: [...markers.keys()].filter((m) => !acknowledged.has(m)).length,
      pendingAtRestart,
      drainMs,
      firstExit,
      firstLog: first.log(),
    };
  } finally {
    if (second && second.child.exitCode === null && second.child.signalCode === null) second.child.kill('SIGKILL');
    await store?.close();
  }
}

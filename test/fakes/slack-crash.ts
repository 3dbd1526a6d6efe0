// Slack, SIGKILL mid-burst (issue 14): the bot as a child process takes signed `/incident new crash-<n>` slash
// commands from many channels at once, is killed with SIGKILL after some are acknowledged, and restarted. Returns
// what was acknowledged, recorded (once?) and resumed. Asserted by test/reliability/crash-slack.test.ts, reported by
// bench/crash-slack.ts. No vitest here (benches import it).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Store } from '../../src/store/types.ts';
import { FakeSlackApi } from './slack-api.ts';
import { httpTransport, SlackDriver } from './slack-driver.ts';
import { freePort } from './redis-server.ts';

const BOT_TOKEN = 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

export interface CrashOptions {
  /** SQLITE_PATH or REDIS_URL for the bot. */
  storeEnv: NodeJS.ProcessEnv;
  /** The same store, opened by the caller to read the record. */
  openStore: () => Promise<Store>;
  n?: number; // commands sent (default 240)
  channels?: number; // senders at once, one per channel (default 24)
  killAfter?: number; // acknowledged commands before the SIGKILL (default 80)
}

export interface CrashFigures {
  sent: number;
  acknowledged: number;
  recorded: number; // acknowledged titles found in the record
  missing: string[]; // acknowledged and not recorded (must be none)
  duplicated: string[]; // recorded more than once (must be none)
  inFlightRecorded: number; // no 200 seen (in flight at the kill) and recorded anyway
  resumed: number; // taken from the inbox by the restarted bot
  drainMs: number; // from the restart's spawn until its inbox was empty
}

function spawnBot(env: NodeJS.ProcessEnv): { child: ChildProcessWithoutNullStreams; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
  let log = '';
  child.stderr.on('data', (b: Buffer) => { log += b.toString(); });
  child.stdout.on('data', (b: Buffer) => { log += b.toString(); });
  return { child, log: () => log };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, bot: { child: ChildProcessWithoutNullStreams; log: () => string }, ms = 120_000): Promise<void> {
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

/** Titles of the incidents recorded, with how many times each. */
async function recordedTitles(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await store.listInRange(0, Number.MAX_SAFE_INTEGER)) {
    const stored = await store.load(m.id);
    for (const { event } of stored?.events ?? []) {
      const e = event as { type?: string; title?: string };
      if (e.type === 'created' && e.title) counts.set(e.title, (counts.get(e.title) ?? 0) + 1);
    }
  }
  return counts;
}

export async function runSlackCrash(o: CrashOptions): Promise<CrashFigures> {
  const { storeEnv, openStore } = o;
  const N = o.n ?? 240;
  const CHANNELS = o.channels ?? 24;
  const KILL_AFTER = o.killAfter ?? 80;
  const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '3600',
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port),
  };
  if (!storeEnv.REDIS_URL) delete env.REDIS_URL;
  const send = httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  const driver = (channel: number) => new SlackDriver(slack, send, async () => {}, { team: 'T1', channel: `C${channel}`, user: `U${channel}`, userName: `u${channel}` });

  const first = spawnBot(env);
  await until(async () => (await driver(0).commandLine('help').catch(() => null))?.status === 200, 'the Slack receiver', first);

  const acknowledged = new Set<string>();
  const refused: string[] = [];
  let killed = false;
  const kill = exited(first.child);
  const senders = Array.from({ length: CHANNELS }, async (_, c) => {
    for (let n = c; n < N && !killed; n += CHANNELS) {
      const title = `crash-${n}`;
      const r = await driver(c).commandLine(`new ${title}`).catch(() => null);
      if (r?.status === 200) acknowledged.add(title);
      else refused.push(title);
      if (acknowledged.size >= KILL_AFTER && !killed) {
        killed = true;
        first.child.kill('SIGKILL'); // mid-burst: other senders' requests are in flight
      }
    }
  });
  await Promise.all(senders);
  await kill;
  if (!killed) throw new Error('the burst ended before the kill: raise n');

  // Restarted: what was acknowledged and not yet processed is resumed from the inbox, once.
  const restartedAt = Date.now();
  const second = spawnBot(env);
  const store = await openStore();
  let drained = 0;
  try {
    await until(() => /ready: HTTP/.test(second.log()), 'the restarted bot', second);
    await until(async () => (await store.inboxPendingCount()) === 0, 'the inbox to drain', second);
    drained = Date.now();
    second.child.kill('SIGTERM');
    await exited(second.child);
    const titles = await recordedTitles(store);
    return {
      sent: acknowledged.size + refused.length, acknowledged: acknowledged.size,
      recorded: [...titles.keys()].filter((t) => acknowledged.has(t)).length,
      missing: [...acknowledged].filter((t) => !titles.has(t)),
      duplicated: [...titles].filter(([, n]) => n > 1).map(([t]) => t),
      inFlightRecorded: [...titles.keys()].filter((t) => !acknowledged.has(t)).length,
      resumed: Number(/resumed (\d+)/.exec(second.log())?.[1] ?? 0),
      drainMs: drained - restartedAt,
    };
  } finally {
    if (second.child.exitCode === null) second.child.kill('SIGKILL');
    await store.close();
    await slack.close();
  }
}


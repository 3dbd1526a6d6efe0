// The Feishu crash run, shared by test/reliability/crash-feishu.test.ts (which asserts on it) and bench/crash-feishu.ts
// (which reports it): the bot as `npm start` runs it (HTTP callbacks), N signed message events from several chats at
// once, SIGKILL after some are acknowledged, a restart, the inbox drained; then what the record holds.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Store } from '../../src/store/types.ts';
import { FakeFeishuApi } from './feishu-api.ts';
import { deliver, messageEvent } from './feishu-events.ts';
import { freePort } from './redis-server.ts';

// Fake credentials (as CREDS in test/adapters/feishu/harness.ts, which imports vitest).
const CREDS = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'SECRETappsecret9f8e7d6c5b4a',
  encryptKey: 'SECRETencryptkey1a2b3c4d',
  token: 'SECRETverificationtoken5e6f',
};

export interface CrashOptions {
  /** SQLITE_PATH or REDIS_URL for the bot. */
  storeEnv: NodeJS.ProcessEnv;
  /** The same store, opened by the caller to read the record. */
  openStore: () => Promise<Store>;
  n?: number; // events sent (default 200)
  chats?: number; // senders at once, one per chat (default 20)
  killAfter?: number; // acknowledged events before the SIGKILL (default 70)
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
  pendingAtRestart: number;
  /** From the restarted bot's spawn until its inbox was empty. */
  drainMs: number;
}

function spawnBot(env: NodeJS.ProcessEnv): { child: ChildProcessWithoutNullStreams; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
  let log = '';
  child.stderr.on('data', (b: Buffer) => { log += b.toString(); });
  child.stdout.on('data', (b: Buffer) => { log += b.toString(); });
  return { child, log: () => log };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, log: () => string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; bot output:\n${log().slice(-4000)}`);
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

export async function runFeishuCrash(o: CrashOptions): Promise<CrashFigures> {
  const N = o.n ?? 200;
  const CHATS = o.chats ?? 20;
  const KILL_AFTER = o.killAfter ?? 70;
  const api = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...o.storeEnv, STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '3600',
    FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
    FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: api.url, FEISHU_MODE: 'http', FEISHU_PORT: String(port),
  };
  if (!o.storeEnv.REDIS_URL) delete env.REDIS_URL;
  for (const k of Object.keys(env)) if (/^(SLACK|WECOM|DINGTALK)_/.test(k)) delete env[k];
  const url = `http://127.0.0.1:${port}/feishu/events`;
  const healthy = async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200;
  // Chat c's k-th message: its incident first (`new crash-<n>`), then notes to it, each with its own marker.
  const send = (c: number, k: number, n: number) => deliver(url, messageEvent({
    text: k === 0 ? `/incident new crash-${n}` : `/incident note crash-${n}`, token: CREDS.token,
    chatId: `oc_crash${c}`, openId: `ou_crash${c}`, messageId: `om_crash${String(n).padStart(5, '0')}`,
  }), { encryptKey: CREDS.encryptKey });

  let store: Store | null = null;
  let second: ReturnType<typeof spawnBot> | null = null;
  try {
    const first = spawnBot(env);
    await until(healthy, 'the Feishu receiver', first.log);
    const acknowledged = new Set<string>();
    const refused: string[] = [];
    let killed = false;
    const kill = exited(first.child);
    const senders = Array.from({ length: CHATS }, async (_, c) => {
      for (let n = c, k = 0; n < N && !killed; n += CHATS, k++) {
        const r = await send(c, k, n).catch(() => null);
        if (r?.status !== 200) {
          refused.push(`crash-${n}`);
          return; // this chat's later notes would have no incident
        }
        acknowledged.add(`crash-${n}`);
        if (acknowledged.size >= KILL_AFTER && !killed) {
          killed = true;
          first.child.kill('SIGKILL'); // mid-burst: other chats' events are in flight
        }
      }
    });
    await Promise.all(senders);
    if (!killed) first.child.kill('SIGKILL');
    await kill;

    // Restarted: what was acknowledged and not yet processed is resumed from the inbox, once.
    store = await o.openStore();
    const pendingAtRestart = await store.inboxPendingCount();
    const t0 = Date.now();
    second = spawnBot(env);
    await until(healthy, 'the restarted bot', second.log);
    await until(async () => (await store!.inboxPendingCount()) === 0, 'the inbox to drain', second.log);
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
    };
  } finally {
    if (second && second.child.exitCode === null && second.child.signalCode === null) second.child.kill('SIGKILL');
    await store?.close();
    await api.close();
  }
}

// SIGKILL mid-burst, Slack and Feishu: the bot takes signed commands from many chats at once (Slack: 240
// slash commands from 24 channels, killed after 80 are acknowledged; Feishu: 200 message events from 20 chats, killed
// after 70), then is restarted. The figures: acknowledged, recorded (of those), duplicated, in flight at the kill and
// recorded anyway, pending at the restart, and the time from the restart's spawn until its inbox was empty. On a
// SQLite file and on a private Redis with an append-only file (skipped without redis-server). Target: recorded =
// acknowledged, duplicated 0. The same runs are asserted in test/reliability/crash-{slack,feishu}.test.ts.
// Run alone: node --import tsx bench/crash.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRedisStore } from '../src/store/redis.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { CrashFigures, CrashOptions } from '../test/fakes/crash.ts';
import { runFeishuCrash } from '../test/fakes/feishu-crash.ts';
import { startPrivateRedis } from '../test/fakes/redis-server.ts';
import { runSlackCrash } from '../test/fakes/slack-crash.ts';
import type { BenchResult } from './run.ts';

async function benchCrash(platform: string, run: (o: CrashOptions) => Promise<CrashFigures>): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), `pboc-bench-crash-${platform.toLowerCase()}-`));
  const rows: BenchResult['rows'] = [];
  const row = (store: string, f: CrashFigures) => rows.push({
    store, sent: f.sent, acknowledged: f.acknowledged, recorded: f.recorded, duplicated: f.duplicated.length,
    'in flight, recorded': f.inFlightRecorded, 'pending at restart': f.pendingAtRestart, 'restart to drained (ms)': f.drainMs,
    target: f.recorded === f.acknowledged && f.duplicated.length === 0 ? 'met' : 'MISSED',
  });
  try {
    const path = join(dir, 'crash.db');
    row('SQLite', await run({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path) }));
    if (spawnSync('redis-server', ['--version']).status === 0) {
      const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
      try {
        row('Redis (AOF, fsync always)', await run({ storeEnv: { REDIS_URL: redis.url }, openStore: () => createRedisStore(redis.url) }));
      } finally {
        await redis.kill();
      }
    } else {
      rows.push({ store: 'Redis (AOF)', target: 'skipped: no redis-server' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: `${platform}: SIGKILL mid-burst, restart (acknowledged = recorded once)`, rows };
}

export const benchCrashSlack = () => benchCrash('Slack', runSlackCrash);
export const benchCrashFeishu = () => benchCrash('Feishu', runFeishuCrash);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatTable, machineInfo } = await import('./run.ts');
  console.log(machineInfo());
  for (const r of [await benchCrashSlack(), await benchCrashFeishu()]) console.log(`\n${r.name}\n${formatTable(r.rows)}`);
}

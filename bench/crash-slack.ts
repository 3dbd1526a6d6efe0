// Slack, SIGKILL mid-burst (issue 14): the bot takes 240 signed slash commands from 24 channels at once and is
// killed after 80 are acknowledged, then restarted. The figures: acknowledged, recorded (of those),
// duplicated, in flight at the kill and recorded anyway, pending at the restart, and the time from the restart's spawn
// until its inbox was empty. On a SQLite file and on a private Redis with an append-only file (skipped without
// redis-server). Target: recorded = acknowledged, duplicated 0. The same run is asserted in
// test/reliability/crash-slack.test.ts. Run alone: node --import tsx bench/crash-slack.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRedisStore } from '../src/store/redis.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import { runSlackCrash, type CrashFigures } from '../test/fakes/slack-crash.ts';
import { startPrivateRedis } from '../test/fakes/redis-server.ts';
import type { BenchResult } from './run.ts';

export async function benchCrashSlack(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-crash-slack-'));
  const rows: BenchResult['rows'] = [];
  const row = (store: string, f: CrashFigures) => rows.push({
    store, sent: f.sent, acknowledged: f.acknowledged, recorded: f.recorded, duplicated: f.duplicated.length,
    'in flight, recorded': f.inFlightRecorded, 'resumed at restart': f.resumed, 'restart to drained (ms)': f.drainMs,
    target: f.recorded === f.acknowledged && f.duplicated.length === 0 ? 'met' : 'MISSED',
  });
  try {
    const path = join(dir, 'crash.db');
    row('SQLite', await runSlackCrash({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path) }));
    if (spawnSync('redis-server', ['--version']).status === 0) {
      const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
      try {
        row('Redis (AOF, fsync always)', await runSlackCrash({ storeEnv: { REDIS_URL: redis.url }, openStore: () => createRedisStore(redis.url) }));
      } finally {
        await redis.kill();
      }
    } else {
      rows.push({ store: 'Redis (AOF)', target: 'skipped: no redis-server' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'Slack: SIGKILL mid-burst, restart (acknowledged = recorded once)', rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatTable, machineInfo } = await import('./run.ts');
  const r = await benchCrashSlack();
  console.log(`${machineInfo()}\n\n${r.name}\n${formatTable(r.rows)}`);
}

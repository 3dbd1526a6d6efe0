// `pboc-incident backup` and `verify` on the compiled build, against the store of a running bot: SQLite and Redis,
// and a copy with one event edited by hand.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { chainGenesis, chainValues } from '../../src/store/chain.ts';
import { startPrivateRedis } from '../fakes/redis-server.ts';
import { ROOT, startBot, type RunningBot } from '../fakes/running-bot.ts';
import { runNode, type NodeRun } from '../fakes/run-node.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string>): Promise<NodeRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.REDIS_URL) delete childEnv.REDIS_URL;
  delete childEnv.NODE_OPTIONS;
  return runNode(['bin/pboc-incident.js', ...args], { cwd: ROOT, env: childEnv });
}

/** Two incidents with a few changes each, typed into the running console bot. */
async function record(bot: RunningBot): Promise<void> {
  await bot.type('/incident new 网银登录失败', /已新建事件 INC-\d{8}-01/);
  await bot.type('/incident new 支付系统中断', /已新建事件 INC-\d{8}-02/);
  await bot.type('/incident note INC-20261204-01 已切换备用线路', /INC-20261204-01/);
}

const AT = { BOT_CLOCK_START: '2026-12-04T09:00+08:00' };

describe('backup and verify on the compiled build', () => {
  it('SQLite: a backup taken while the bot runs verifies, prints every chain head; an edited copy fails naming the event', async () => {
    const db = join(dir, 'live.db');
    const bot = await startBot({ SQLITE_PATH: db, STORE_CREATE: '1', ...AT });
    try {
      await record(bot);
      const b = await cli(['backup', '--to', join(dir, 'copy.db')], { SQLITE_PATH: db });
      expect(b.code, b.stderr).toBe(0);
      writeFileSync(join(dir, 'heads.json'), b.stdout);
      const out = JSON.parse(b.stdout) as { store: string; verified: boolean; incidents: number; heads: { id: string; version: number; head: string }[] };
      expect(out).toMatchObject({ store: 'sqlite', verified: true, incidents: 2 });
      expect(out.heads.map((h) => h.id)).toEqual(['INC-20261204-01', 'INC-20261204-02']);
      for (const h of out.heads) expect(h.head).toMatch(/^[0-9a-f]{64}$/);
      // the live store verifies too, while the bot keeps it open
      expect((await cli(['verify'], { SQLITE_PATH: db })).code).toBe(0);
      // backup never overwrites
      const again = await cli(['backup', '--to', join(dir, 'copy.db')], { SQLITE_PATH: db });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/exists.*never overwrites/);
    } finally {
      await bot.stop();
    }
    const copy = join(dir, 'copy.db');
    expect((await cli(['verify', '--file', copy], {})).code).toBe(0);
    expect((await cli(['verify', '--file', copy, '--heads', join(dir, 'heads.json')], {})).code).toBe(0);
    // An edit whose author also recomputes the incident's whole chain verifies on its own; the heads kept catch it.
    const forged = join(dir, 'forged.db');
    copyFileSync(copy, forged);
    const f = new Database(forged);
    const identity = (f.prepare('SELECT id FROM store_identity').get() as { id: string }).id;
    f.prepare("UPDATE events SET event_json = replace(event_json, '网银', '手机') WHERE incident_id = 'INC-20261204-01' AND seq = 1").run();
    const rows = f.prepare("SELECT seq, event_json FROM events WHERE incident_id = 'INC-20261204-01' ORDER BY seq").all() as { seq: number; event_json: string }[];
    const chain = chainValues(chainGenesis(identity, 'INC-20261204-01'), 1, rows.map((r) => r.event_json));
    rows.forEach((r, i) => f.prepare("UPDATE events SET chain = ? WHERE incident_id = 'INC-20261204-01' AND seq = ?").run(chain[i], r.seq));
    f.close();
    expect((await cli(['verify', '--file', forged], {})).code).toBe(0);
    const caught = await cli(['verify', '--file', forged, '--heads', join(dir, 'heads.json')], {});
    expect(caught.code).toBe(1);
    expect(caught.stderr).toMatch(/INC-20261204-01: the chain head recorded at version \d+ .* were rewritten/);
    const h = new Database(copy);
    h.prepare("UPDATE events SET event_json = replace(event_json, '网银', '手机') WHERE incident_id = 'INC-20261204-01' AND seq = 1").run();
    h.close();
    const v = await cli(['verify', '--file', copy], {});
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/INC-20261204-01: the hash chain breaks at event 1/);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: false, problems: [{ check: 'chain', incident: 'INC-20261204-01', seq: 1 }] });
  });

  it('Redis: the backup is a SQLite file of the same schema that verifies; an event edited in Redis is named', async () => {
    const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
    const env = { REDIS_URL: redis.url };
    const bot = await startBot({ ...env, STORE_CREATE: '1', ...AT });
    try {
      await record(bot);
      const copy = join(dir, 'from-redis.db');
      const b = await cli(['backup', '--to', copy], env);
      expect(b.code, b.stderr).toBe(0);
      const out = JSON.parse(b.stdout) as { store: string; heads: { id: string; head: string }[] };
      expect(out.store).toBe('redis');
      expect(out.heads).toHaveLength(2);
      const v = await cli(['verify', '--file', copy], {});
      expect(v.code, v.stderr).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, incidents: 2 });
      // the copy opens as the bot's own SQLite store
      const s = new Database(copy, { readonly: true });
      expect(s.prepare('SELECT COUNT(*) AS n FROM incidents').get()).toEqual({ n: 2 });
      s.close();
      const c = createClient({ url: redis.url });
      await c.connect();
      const raw = await c.lIndex('pboc:inc:INC-20261204-02:events', 0);
      await c.lSet('pboc:inc:INC-20261204-02:events', 0, raw!.replace('支付', '清算'));
      await c.close();
      const bad = await cli(['verify'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/INC-20261204-02: the hash chain breaks at event 1/);
    } finally {
      await bot.stop();
      await redis.kill();
    }
  });
});

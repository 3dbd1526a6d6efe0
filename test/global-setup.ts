import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';

export const redisUrl = (): string => process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** True when Redis answers PING at url within ~1.5 s. Never throws, never leaves a connection open. */
export async function pingRedis(url: string = redisUrl()): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1500, reconnectStrategy: false } });
  client.on('error', () => {}); // reported through connect()/ping() instead
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

export function redisBanner(url: string): string {
  const line = '!'.repeat(78);
  return `\n${line}\n!!! REDIS SUITE SKIPPED: no Redis answers at ${url}\n!!! Start one (redis-server --save "" --appendonly no) or set REDIS_URL. With CI=true this fails instead.\n${line}\n`;
}

/** Tests that spawn the bin or `npm start` run the compiled dist/: rebuild it once here when the sources changed. */
function ensureBuilt(): void {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', "(await import('./bin/build-check.js')).ensureBuilt()"], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the compiled build (dist/) could not be brought up to date: see above');
}

export default async function setup(): Promise<void> {
  ensureBuilt();
  const url = redisUrl();
  if (await pingRedis(url)) return;
  if (process.env.CI === 'true') throw new Error(`CI=true but Redis does not answer at ${url}: the Redis store suite must run in CI`);
  console.warn(redisBanner(url));
}

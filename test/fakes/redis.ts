import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { describe, it } from 'vitest';
import { pingRedis, redisBanner, redisUrl } from '../global-setup.ts';

export const url = redisUrl();
const reachable = await pingRedis(url);

export function uniquePrefix(tag: string): string {
  return `pboc-test:${tag}:${process.pid}-${randomBytes(4).toString('hex')}:`;
}

/** Deletes only the keys under `prefix`. */
export async function deleteKeys(prefix: string): Promise<void> {
  const c = createClient({ url });
  c.on('error', () => {});
  await c.connect();
  try {
    for await (const keys of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length > 0) await c.unlink(keys);
  } finally {
    await c.close();
  }
}

/** A describe() that needs a real Redis: skipped loudly without one, failing instead when CI=true. */
export function describeRedis(name: string, body: () => void): void {
  if (reachable) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => it('needs a reachable Redis when CI=true', () => { throw new Error(`CI=true but Redis does not answer at ${url}`); }));
    return;
  }
  console.warn(redisBanner(url));
  describe.skip(`${name} (REDIS SUITE SKIPPED: Redis unreachable)`, body);
}

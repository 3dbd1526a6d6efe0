// Pieces every bench needs, without vitest (test/fakes imports it).
import { createClient } from 'redis';
import { botConfigOf, loadInstitutionConfig } from '../src/config/institution.ts';
import type { BotConfig } from '../src/conversation/types.ts';

/** The BotConfig of the bundled example institution. */
export function benchConfig(): BotConfig {
  return botConfigOf(loadInstitutionConfig({}).config, true);
}

/** Deletes only the keys under prefix; returns how many. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const c = createClient({ url });
  c.on('error', () => {});
  await c.connect();
  let deleted = 0;
  try {
    for await (const keys of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await c.unlink(keys);
    }
  } finally {
    await c.close();
  }
  return deleted;
}

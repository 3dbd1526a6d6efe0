import { z } from 'zod';
import { redactSecrets } from '../src/config/redact.ts';
import { CONVERSATION_ID } from './platforms.ts';

// The process's own settings (the adapters validate theirs), read once at start-up. A bad one stops start-up with a
// message that names it; no value is ever printed.

export interface ProcessSettings {
  tickMs: number; // how often the reminder ticker runs
  digest: { conversation: string; at: string } | undefined; // the daily digest, when DIGEST_CONVERSATION is set
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

const schema = z.object({
  TICK_SECONDS: z.preprocess(blank, z.string().regex(/^\d+$/, 'must be a whole number of seconds, 1 to 3600').transform(Number)
    .pipe(z.number().int().min(1, 'must be a whole number of seconds, 1 to 3600').max(3600, 'must be a whole number of seconds, 1 to 3600')).optional()),
  DIGEST_CONVERSATION: z.preprocess(blank, z.string().regex(
    CONVERSATION_ID,
    'must be a conversation id such as slack:T0123:C0123 or feishu:oc_xxx',
  ).optional()),
  DIGEST_AT: z.preprocess(blank, z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (Beijing time), e.g. 09:00').optional()),
  // Read by the chat adapters (adapters/kit/inbox.ts); checked here so a bad one stops start-up.
  INBOX_MAX: z.preprocess(blank, z.string().regex(/^\d+$/, 'must be a whole number of commands, 1 to 100000').transform(Number)
    .pipe(z.number().int().min(1, 'must be a whole number of commands, 1 to 100000').max(100_000, 'must be a whole number of commands, 1 to 100000')).optional()),
  REPLICA_ID: z.preprocess(blank, z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ . or -').optional()),
});

/** Reads TICK_SECONDS, DIGEST_CONVERSATION and DIGEST_AT; throws SettingsError naming each bad one. */
export function readProcessSettings(env: Record<string, string | undefined>): ProcessSettings {
  const r = schema.safeParse(env);
  if (!r.success) throw new SettingsError(redactSecrets(r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')));
  const e = r.data;
  return {
    tickMs: (e.TICK_SECONDS ?? 15) * 1000,
    digest: e.DIGEST_CONVERSATION ? { conversation: e.DIGEST_CONVERSATION, at: e.DIGEST_AT ?? '09:00' } : undefined,
  };
}

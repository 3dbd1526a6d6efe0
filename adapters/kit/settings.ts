import { z } from 'zod';
import { PlatformConfigError } from './errors.ts';

// The pieces every platform's zod settings schema is built from, and the one reader that turns its failures into
// a PlatformConfigError naming each bad variable (never its value).

/** A blank variable counts as unset; a set one is trimmed. */
export const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
export const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(blank, t.optional());

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const logLevel = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
  z.enum(['debug', 'info', 'warn', 'error'], { errorMap: () => ({ message: 'must be one of debug, info, warn, error' }) }).optional());

/** An http(s) base URL, without its trailing slashes. */
export const baseUrl = (example: string) => opt(z.string().url(`must be a URL such as ${example}`)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, '')));

/**
 * An allow-list: ids separated by commas, semicolons or spaces, each optionally written with its conversation
 * prefix (`strip`), each matching `id`. Empty: everyone.
 */
export const idList = (id: RegExp, what: string, strip: RegExp = /^$/) => opt(z.string().transform((s, ctx) => {
  const ids = s.split(/[\s,;]+/).map((x) => x.replace(strip, '')).filter(Boolean);
  const bad = ids.filter((x) => !id.test(x));
  if (bad.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expects ${what} separated by commas (not names); ${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} not` });
  return ids.length ? new Set(ids) as ReadonlySet<string> : null;
}));

/** Parses env with a platform's schema; throws PlatformConfigError `<title> settings: VAR problem; ...`. */
export function parseSettings<S extends z.ZodTypeAny>(title: string, schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const r = schema.safeParse(env);
  if (!r.success) throw new PlatformConfigError(`${title} settings: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}

/** Who may use the bot on a platform: `<PREFIX>_ALLOWED_CHATS` and `<PREFIX>_ALLOWED_USERS`; null: no limit. */
export interface AllowLists {
  chats: ReadonlySet<string> | null;
  users: ReadonlySet<string> | null;
}

/** Which list refuses this chat and user, or null when both allow. A chat may be listed under several names. */
export function refusedBy(lists: AllowLists, chat: string | readonly string[] | null, user: string): 'chat' | 'user' | null {
  if (lists.chats && chat !== null && !(typeof chat === 'string' ? [chat] : chat).some((c) => lists.chats!.has(c))) return 'chat';
  if (lists.users && !lists.users.has(user)) return 'user';
  return null;
}

/** The start-up line's note on the allow-lists: `, 2 allowed chat(s), 1 allowed user(s)`. */
export function allowNote(lists: AllowLists, chats = 'chat'): string {
  return `${lists.chats ? `, ${lists.chats.size} allowed ${chats}(s)` : ''}${lists.users ? `, ${lists.users.size} allowed user(s)` : ''}`;
}

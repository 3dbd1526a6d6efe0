import { readFileSync } from 'node:fs';
import { z } from 'zod';

export type WecomLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The WeCom adapter's settings, read from the environment and validated at start-up. */
export interface WecomSettings {
  botId: string;
  secret: string;
  wsUrl: string; // the long connection; a private deployment shows its own in the admin console
  ca: Buffer | null; // a private deployment's CA certificate (WECOM_CA_FILE), for wss with a self-signed chain
  allowedChats: ReadonlySet<string> | null; // group chat ids; null: every group the bot is in
  allowedUsers: ReadonlySet<string> | null; // userids; null: everyone who can reach the bot
  logLevel: WecomLogLevel;
}

/** An operator error in the environment; the message names the variable, never a secret's value. */
export class WecomConfigError extends Error {
  override name = 'WecomConfigError';
}

export const DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(blankToUndefined, t.optional());
// WeCom ids: userids are letters, digits and _-.@ (at most 64); chat ids are opaque ASCII.
const ID = /^[A-Za-z0-9_.@-]{1,128}$/;
const idList = (what: string) =>
  opt(z.string().transform((s, ctx) => {
    const ids = s.split(/[\s,;]+/).map((x) => x.replace(/^wecom:/, '')).filter(Boolean);
    const bad = ids.filter((x) => !ID.test(x));
    if (bad.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expects ${what} separated by commas; ${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} not (letters, digits, _ - . @ only)` });
    return new Set(ids);
  }));

const schema = z.object({
  WECOM_BOT_ID: z.preprocess(blankToUndefined, z.string({ required_error: 'is required (admin console → 智能机器人 → API 模式: 长连接 → Bot ID)' })
    .regex(/^[A-Za-z0-9_-]{4,128}$/, 'must be the smart robot\'s Bot ID (letters, digits, _ and -)')),
  WECOM_BOT_SECRET: z.preprocess(blankToUndefined, z.string({ required_error: 'is required (admin console → 智能机器人 → API 模式: 长连接 → Secret)' })
    .min(8, 'is too short to be the robot\'s Secret')),
  WECOM_WS_URL: opt(z.string().url('must be a URL such as wss://openws.work.weixin.qq.com')
    .refine((u) => /^wss?:\/\//i.test(u), 'must be a ws:// or wss:// URL')),
  WECOM_CA_FILE: opt(z.string()),
  WECOM_ALLOWED_CHATS: idList('group chat ids (chatid)'),
  WECOM_ALLOWED_USERS: idList('userids'),
  LOG_LEVEL: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.enum(['debug', 'info', 'warn', 'error'], { errorMap: () => ({ message: 'must be one of debug, info, warn, error' }) }).optional()),
});

/** Reads the WeCom settings; throws WecomConfigError naming each bad variable (values are never echoed). */
export function readWecomSettings(env: Record<string, string | undefined>): WecomSettings {
  const r = schema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new WecomConfigError(`WeCom settings: ${lines.join('; ')}`);
  }
  const e = r.data;
  let ca: Buffer | null = null;
  if (e.WECOM_CA_FILE) {
    try {
      ca = readFileSync(e.WECOM_CA_FILE);
    } catch (err) {
      throw new WecomConfigError(`WeCom settings: WECOM_CA_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); give the path of the private deployment's CA certificate (PEM)`);
    }
  }
  return {
    botId: e.WECOM_BOT_ID,
    secret: e.WECOM_BOT_SECRET,
    wsUrl: e.WECOM_WS_URL ?? DEFAULT_WS_URL,
    ca,
    allowedChats: e.WECOM_ALLOWED_CHATS ?? null,
    allowedUsers: e.WECOM_ALLOWED_USERS ?? null,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

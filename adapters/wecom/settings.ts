import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PlatformConfigError } from '../kit/errors.ts';
import type { PlatformSettings } from '../kit/platform.ts';
import { describeWith } from '../kit/redact.ts';
import { blank, idList, logLevel, opt, parseSettings, type LogLevel } from '../kit/settings.ts';

/** The WeCom adapter's settings, read from the environment and validated at start-up. */
export interface WecomSettings {
  botId: string;
  secret: string;
  wsUrl: string; // the long connection; a private deployment shows its own in the admin console
  ca: Buffer | null; // a private deployment's CA certificate (WECOM_CA_FILE), for wss with a self-signed chain
  allowedChats: ReadonlySet<string> | null; // group chat ids; null: every group the bot is in
  allowedUsers: ReadonlySet<string> | null; // userids; null: everyone who can reach the bot
  logLevel: LogLevel;
}

// WeCom ids: userids are letters, digits and _-.@ (at most 64); chat ids are opaque ASCII.
const ID = /^[A-Za-z0-9_.@-]{1,128}$/;
const idListOf = (what: string) => idList(ID, `${what} (letters, digits, _ - . @ only)`, /^wecom:/);

export const DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';

const schema = z.object({
  WECOM_BOT_ID: z.preprocess(blank, z.string({ required_error: 'is required (admin console → 智能机器人 → API 模式: 长连接 → Bot ID)' })
    .regex(/^[A-Za-z0-9_-]{4,128}$/, 'must be the smart robot\'s Bot ID (letters, digits, _ and -)')),
  WECOM_BOT_SECRET: z.preprocess(blank, z.string({ required_error: 'is required (admin console → 智能机器人 → API 模式: 长连接 → Secret)' })
    .min(8, 'is too short to be the robot\'s Secret')),
  WECOM_WS_URL: opt(z.string().url('must be a URL such as wss://openws.work.weixin.qq.com')
    .refine((u) => /^wss?:\/\//i.test(u), 'must be a ws:// or wss:// URL')),
  WECOM_CA_FILE: opt(z.string()),
  WECOM_ALLOWED_CHATS: idListOf('group chat ids (chatid)'),
  WECOM_ALLOWED_USERS: idListOf('userids'),
  LOG_LEVEL: logLevel,
});

/** Reads the WeCom settings; throws PlatformConfigError naming each bad variable (values are never echoed). */
export function readSettings(env: Record<string, string | undefined>): WecomSettings {
  const e = parseSettings('WeCom', schema, env);
  let ca: Buffer | null = null;
  if (e.WECOM_CA_FILE) {
    try {
      ca = readFileSync(e.WECOM_CA_FILE);
    } catch (err) {
      throw new PlatformConfigError(`WeCom settings: WECOM_CA_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); give the path of the private deployment's CA certificate (PEM)`);
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

/**
 * Log lines without secrets: the robot's Secret, and what frames carry that is as good as a secret (the subscribe
 * frame's secret, a media message's aeskey, the temporary response_url) wherever a JSON dump shows it.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\\?"(?:secret|aeskey|aes_key|response_url|token|access_token|encoding_aes_key)\\?"\s*:\s*\\?")[^"\\]*/gi, '$1[redacted]'],
  [/([?&](?:access_token|key|token|secret|signature|msg_signature)=)[^&\s"']+/gi, '$1[redacted]'],
];

/** What the SDK logs, in one line: errors by message, frames without secret-named keys or file contents. */
export const describe = describeWith({
  secretKey: /secret|token|authorization|password|aes_?key|encodingaeskey|ticket|cookie|response_url/i,
  shown: (key, v) => (key === 'base64_data' ? `<${typeof v === 'string' ? v.length : 0} chars>` : v),
});

/** The Bot Secret is the one configured secret; frames' secret fields are covered by RULES. */
export const settings: PlatformSettings<WecomSettings> = {
  read: readSettings, secrets: (s) => [s.secret], rules: RULES, describe,
  allowed: (s) => ({ chats: s.allowedChats, users: s.allowedUsers }),
};

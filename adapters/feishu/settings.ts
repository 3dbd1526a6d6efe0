import { z } from 'zod';
import { PlatformConfigError } from '../kit/errors.ts';
import { createRedactor, describeWith } from '../kit/redact.ts';
import type { PlatformSettings } from '../kit/platform.ts';
import { idList, parseSettings } from '../kit/settings.ts';

/** The Feishu adapter's settings, read from the environment once at start-up. */
export interface FeishuSettings {
  appId: string;
  appSecret: string;
  mode: 'http' | 'ws';
  encryptKey: string | null;
  verificationToken: string | null;
  domain: 'feishu' | 'lark' | string; // feishu, lark, or a base URL such as http://127.0.0.1:8080 (the transport maps it to the SDK's Domain)
  allowedChats: ReadonlySet<string> | null; // chat ids (oc_...); null: every chat the bot is in
  allowedUsers: ReadonlySet<string> | null; // people's open_ids (ou_...); null: everyone in an allowed chat
  loggerLevel: FeishuLogLevel; // the SDK's level by name (the transport maps it to LoggerLevel): the SDK loads only when Feishu starts
}

const allowLists = z.object({
  FEISHU_ALLOWED_CHATS: idList(/^oc_[A-Za-z0-9_-]+$/, 'chat ids (oc_...)', /^feishu:/),
  FEISHU_ALLOWED_USERS: idList(/^ou_[A-Za-z0-9_-]+$/, 'open_ids (ou_...)', /^feishu:/),
});

// The long connection refuses other shapes (WSClient.start checks this before connecting).
const WS_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

export type FeishuLogLevel = 'error' | 'warn' | 'info' | 'debug';
const LEVELS: Record<string, FeishuLogLevel> = { error: 'error', warn: 'warn', info: 'info', debug: 'debug' };

function domainOf(raw: string): 'feishu' | 'lark' | string {
  const v = raw.trim();
  if (v === '' || v.toLowerCase() === 'feishu') return 'feishu';
  if (v.toLowerCase() === 'lark') return 'lark';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new PlatformConfigError('FEISHU_DOMAIN is not feishu, lark or a URL such as https://open.feishu.cn (its value is not shown: it may hold credentials)');
  }
  if (url.username || url.password) throw new PlatformConfigError('FEISHU_DOMAIN must not carry a user name or password (its value is not shown)');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PlatformConfigError('FEISHU_DOMAIN must be an http(s) URL (its value is not shown: it may hold credentials)');
  return v.replace(/\/+$/, '');
}

/** Reads the Feishu settings; throws PlatformConfigError naming the variable to fix (values are never echoed). */
export function readSettings(env: Record<string, string | undefined>): FeishuSettings {
  const get = (k: string) => (env[k] ?? '').trim();
  const appId = get('FEISHU_APP_ID');
  const appSecret = get('FEISHU_APP_SECRET');
  if (!appId) throw new PlatformConfigError('FEISHU_APP_ID is not set (developer console → Credentials & Basic Info → App ID)');
  if (!appSecret) throw new PlatformConfigError('FEISHU_APP_SECRET is not set (developer console → Credentials & Basic Info → App Secret)');

  const modeRaw = get('FEISHU_MODE').toLowerCase();
  if (!['', 'http', 'webhook', 'ws', 'websocket', 'long'].includes(modeRaw)) {
    throw new PlatformConfigError('FEISHU_MODE must be http (event callbacks to a public URL) or ws (long connection)');
  }
  const mode = ['ws', 'websocket', 'long'].includes(modeRaw) ? 'ws' : 'http';
  if (mode === 'ws' && !WS_APP_ID.test(appId)) {
    throw new PlatformConfigError('FEISHU_APP_ID does not look like an app id (cli_ and 16 hex digits), which the long connection requires');
  }

  const encryptKey = get('FEISHU_ENCRYPT_KEY') || null;
  const verificationToken = get('FEISHU_VERIFICATION_TOKEN') || null;
  if (mode === 'http' && !encryptKey && !verificationToken) {
    throw new PlatformConfigError('FEISHU_MODE=http needs FEISHU_ENCRYPT_KEY (signed, encrypted events; recommended) or at least FEISHU_VERIFICATION_TOKEN, or anyone who finds the URL could post events');
  }

  const allowed = parseSettings('Feishu', allowLists, env);

  const levelRaw = get('LOG_LEVEL').toLowerCase() || 'info';
  const loggerLevel = LEVELS[levelRaw];
  if (loggerLevel === undefined) throw new PlatformConfigError('LOG_LEVEL must be debug, info, warn or error');

  return {
    appId, appSecret, mode, encryptKey, verificationToken,
    domain: domainOf(get('FEISHU_DOMAIN')),
    allowedChats: allowed.FEISHU_ALLOWED_CHATS ?? null,
    allowedUsers: allowed.FEISHU_ALLOWED_USERS ?? null,
    loggerLevel,
  };
}

/** Secret-bearing shapes in log lines: bearer and tenant/user/app access tokens, URL parameters and JSON fields. */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(Bearer\s+)[^\s"'\\,}]+/gi, '$1[redacted]'],
  [/\b([tua]-[A-Za-z0-9._-]{8,})/g, '[redacted]'], // tenant/user/app access tokens
  [/([?&](?:access_key|ticket|token|app_secret)=)[^&\s"']+/gi, '$1[redacted]'],
  [/(\\?"(?:app_secret|AppSecret|client_secret|encrypt_key|tenant_access_token|app_access_token)\\?"\s*:\s*\\?")[^"\\]*/g, '$1[redacted]'],
];
const secrets = (s: Pick<FeishuSettings, 'appSecret' | 'encryptKey' | 'verificationToken'>) => [s.appSecret, s.encryptKey, s.verificationToken];

/** Log lines without secrets: the app's (secret, encrypt key, verification token) and the shapes above. */
export const redactorOf = (s: Pick<FeishuSettings, 'appSecret' | 'encryptKey' | 'verificationToken'>) => createRedactor(secrets(s), { rules: RULES });

/** What the SDK logs, in one line: errors by message, request and status, objects without secret-named keys. */
export const describe: (value: unknown) => string = describeWith({
  secretKey: /secret|token|authorization|password|encrypt|ticket|access_?key|cookie/i,
  shown: (key, v) => (['request', 'socket', 'agent', 'httpAgent', 'httpsAgent'].includes(key) ? undefined : v),
  error: (value) => {
    const e = value as Error & { response?: { status?: number; data?: unknown }; config?: { url?: string; method?: string } };
    const where = e.config?.url ? ` (${(e.config.method ?? '').toUpperCase()} ${e.config.url.split('?')[0]})` : '';
    const status = e.response?.status ? ` status ${e.response.status}` : '';
    const body = e.response?.data !== undefined ? ` ${describe(e.response.data)}` : '';
    return `${e.name}: ${e.message}${where}${status}${body}`;
  },
});

/** Feishu's settings as the kit reads them: FEISHU_ALLOWED_CHATS (oc_…) and FEISHU_ALLOWED_USERS (ou_…) its allow-lists. */
export const settings: PlatformSettings<FeishuSettings> = {
  read: readSettings,
  allowed: (s) => ({ chats: s.allowedChats, users: s.allowedUsers }),
  secrets,
  rules: RULES,
  describe,
};

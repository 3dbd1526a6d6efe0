import { Domain, LoggerLevel } from '@larksuiteoapi/node-sdk';

/** The Feishu adapter's settings, read from the environment once at start-up. */
export interface FeishuSettings {
  appId: string;
  appSecret: string;
  mode: 'http' | 'ws';
  port: number; // HTTP mode: where /feishu/events and /feishu/cards listen
  encryptKey: string | null;
  verificationToken: string | null;
  domain: Domain | string; // Domain.Feishu, Domain.Lark, or a base URL such as http://127.0.0.1:8080
  allowedChats: ReadonlySet<string> | null; // chat ids (oc_...); null: every chat the bot is in
  loggerLevel: LoggerLevel;
}

/** A setting the operator has to fix; the message names it and never echoes a secret. */
export class FeishuConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeishuConfigError';
  }
}

// The long connection refuses other shapes (WSClient.start checks this before connecting).
const WS_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

const LEVELS: Record<string, LoggerLevel> = {
  error: LoggerLevel.error, warn: LoggerLevel.warn, info: LoggerLevel.info, debug: LoggerLevel.debug,
};

function domainOf(raw: string): Domain | string {
  const v = raw.trim();
  if (v === '' || v.toLowerCase() === 'feishu') return Domain.Feishu;
  if (v.toLowerCase() === 'lark') return Domain.Lark;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new FeishuConfigError('FEISHU_DOMAIN is not feishu, lark or a URL such as https://open.feishu.cn (its value is not shown: it may hold credentials)');
  }
  if (url.username || url.password) throw new FeishuConfigError('FEISHU_DOMAIN must not carry a user name or password (its value is not shown)');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FeishuConfigError('FEISHU_DOMAIN must be an http(s) URL (its value is not shown: it may hold credentials)');
  return v.replace(/\/+$/, '');
}

export function loadFeishuSettings(env: Record<string, string | undefined>): FeishuSettings {
  const get = (k: string) => (env[k] ?? '').trim();
  const appId = get('FEISHU_APP_ID');
  const appSecret = get('FEISHU_APP_SECRET');
  if (!appId) throw new FeishuConfigError('FEISHU_APP_ID is not set (developer console → Credentials & Basic Info → App ID)');
  if (!appSecret) throw new FeishuConfigError('FEISHU_APP_SECRET is not set (developer console → Credentials & Basic Info → App Secret)');

  const modeRaw = get('FEISHU_MODE').toLowerCase();
  if (!['', 'http', 'webhook', 'ws', 'websocket', 'long'].includes(modeRaw)) {
    throw new FeishuConfigError('FEISHU_MODE must be http (event callbacks to a public URL) or ws (long connection)');
  }
  const mode = ['ws', 'websocket', 'long'].includes(modeRaw) ? 'ws' : 'http';
  if (mode === 'ws' && !WS_APP_ID.test(appId)) {
    throw new FeishuConfigError('FEISHU_APP_ID does not look like an app id (cli_ and 16 hex digits), which the long connection requires');
  }

  // FEISHU_PORT lets Feishu listen beside Slack's HTTP receiver on PORT.
  const portVar = get('FEISHU_PORT') ? 'FEISHU_PORT' : 'PORT';
  const portRaw = get(portVar) || '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535) throw new FeishuConfigError(`${portVar} must be a port number (0-65535)`);

  const encryptKey = get('FEISHU_ENCRYPT_KEY') || null;
  const verificationToken = get('FEISHU_VERIFICATION_TOKEN') || null;
  if (mode === 'http' && !encryptKey && !verificationToken) {
    throw new FeishuConfigError('FEISHU_MODE=http needs FEISHU_ENCRYPT_KEY (signed, encrypted events; recommended) or at least FEISHU_VERIFICATION_TOKEN, or anyone who finds the URL could post events');
  }

  const chats = get('FEISHU_ALLOWED_CHATS').split(/[\s,;]+/).filter(Boolean).map((c) => c.replace(/^feishu:/, ''));
  const bad = chats.find((c) => !/^oc_[A-Za-z0-9_-]+$/.test(c));
  if (bad) throw new FeishuConfigError(`FEISHU_ALLOWED_CHATS: entry ${chats.indexOf(bad) + 1} is not a chat id (oc_...)`);

  const levelRaw = get('LOG_LEVEL').toLowerCase() || 'info';
  const loggerLevel = LEVELS[levelRaw];
  if (loggerLevel === undefined) throw new FeishuConfigError('LOG_LEVEL must be debug, info, warn or error');

  return {
    appId, appSecret, mode, port, encryptKey, verificationToken,
    domain: domainOf(get('FEISHU_DOMAIN')),
    allowedChats: chats.length ? new Set(chats) : null,
    loggerLevel,
  };
}

/** The values no log line may contain. */
export function secretsOf(s: FeishuSettings): string[] {
  return [s.appSecret, s.encryptKey, s.verificationToken].filter((x): x is string => typeof x === 'string' && x.length > 0);
}

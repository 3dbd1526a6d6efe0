import { z } from 'zod';
import { createRedactor, describeWith } from '../kit/redact.ts';
import type { PlatformSettings } from '../kit/platform.ts';
import { baseUrl, blank, idList, logLevel, opt, parseSettings, type LogLevel } from '../kit/settings.ts';

/** The DingTalk adapter's settings, read from the environment and validated at start-up. */
export interface DingtalkSettings {
  clientId: string; // the app's Client ID (AppKey)
  clientSecret: string; // its Client Secret (AppSecret)
  robotCode: string; // the robot's code; for an enterprise-internal app's robot it is the Client ID
  cardTemplateId: string | null; // set: questions and cards go out as interactive cards of this template
  apiUrl: string; // OpenAPI and Stream gateway base, no trailing slash: https://api.dingtalk.com
  oapiUrl: string; // the older OpenAPI (media upload): https://oapi.dingtalk.com
  allowedChats: ReadonlySet<string> | null; // openConversationIds (cid...); null: every group the robot is in
  allowedUsers: ReadonlySet<string> | null; // userIds (staff ids); null: everyone
  logLevel: LogLevel;
}

// DingTalk ids may be written with their conversation prefix: dingtalk:cid..., dingtalk:user:...
const STRIP = /^dingtalk:(?:group:|user:)?/;

const schema = z.object({
  DINGTALK_CLIENT_ID: z.preprocess(blank, z.string({ required_error: 'is required (developer console → the app → 凭证与基础信息 → Client ID)' })
    .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be the app\'s Client ID (AppKey, letters and digits)')),
  DINGTALK_CLIENT_SECRET: z.preprocess(blank, z.string({ required_error: 'is required (developer console → the app → 凭证与基础信息 → Client Secret)' })
    .min(16, 'must be the app\'s Client Secret (AppSecret)')),
  DINGTALK_ROBOT_CODE: opt(z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be the robot\'s RobotCode (letters and digits)')),
  DINGTALK_CARD_TEMPLATE_ID: opt(z.string().regex(/^[A-Za-z0-9._-]{4,128}$/, 'must be a card template id from the card platform, such as 1a2b3c4d-....schema')),
  DINGTALK_API_URL: baseUrl('https://api.dingtalk.com'),
  DINGTALK_OAPI_URL: baseUrl('https://oapi.dingtalk.com'),
  DINGTALK_ALLOWED_CHATS: idList(/^cid[A-Za-z0-9+/=_-]+$/, 'openConversationIds (cid...)', STRIP),
  DINGTALK_ALLOWED_USERS: idList(/^[A-Za-z0-9_$-]+$/, 'DingTalk userIds', STRIP),
  LOG_LEVEL: logLevel,
});

/** Validates the DINGTALK_* variables; throws PlatformConfigError naming every bad one (never its value). */
export function readSettings(env: Record<string, string | undefined>): DingtalkSettings {
  const e = parseSettings('DingTalk', schema, env);
  return {
    clientId: e.DINGTALK_CLIENT_ID,
    clientSecret: e.DINGTALK_CLIENT_SECRET,
    robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
    cardTemplateId: e.DINGTALK_CARD_TEMPLATE_ID ?? null,
    apiUrl: e.DINGTALK_API_URL ?? 'https://api.dingtalk.com',
    oapiUrl: e.DINGTALK_OAPI_URL ?? 'https://oapi.dingtalk.com',
    allowedChats: e.DINGTALK_ALLOWED_CHATS ?? null,
    allowedUsers: e.DINGTALK_ALLOWED_USERS ?? null,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

/**
 * Log lines without secrets: the Client Secret, every access token or connection ticket seen while running
 * (`seen`), secret-bearing URL parameters (access_token, ticket, appsecret, session) and JSON fields.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/([?&](?:access_token|ticket|appsecret|appkey_secret|session|token)=)[^&\s"']+/gi, '$1[redacted]'],
  [/(\\?"(?:clientSecret|appSecret|accessToken|access_token|ticket|x-acs-dingtalk-access-token)\\?"\s*:\s*\\?")[^"\\]*/g, '$1[redacted]'],
];
export const redactorOf = (s: Pick<DingtalkSettings, 'clientSecret'>, seen: () => Iterable<string>) => createRedactor([s.clientSecret], { seen, rules: RULES });

/** What the SDK logs, in one line: errors by message and status, objects without secret-named keys. */
export const describe = describeWith({
  secretKey: /secret|token|ticket|authorization|password|cookie|session/i,
  error: (value) => {
    const e = value as Error & { response?: { status?: number } };
    return `${e.name}: ${e.message}${e.response?.status ? ` status ${e.response.status}` : ''}`;
  },
});

export const settings: PlatformSettings<DingtalkSettings> = {
  read: readSettings,
  allowed: (s) => ({ chats: s.allowedChats, users: s.allowedUsers }),
  secrets: (s) => [s.clientSecret],
  rules: RULES,
  describe,
};

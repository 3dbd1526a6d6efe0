import { z } from 'zod';

export type DingtalkLogLevel = 'debug' | 'info' | 'warn' | 'error';

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
  logLevel: DingtalkLogLevel;
}

/** An operator error in the environment; the message names the variable, never its value. */
export class DingtalkConfigError extends Error {
  override name = 'DingtalkConfigError';
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(blankToUndefined, t.optional());
const baseUrl = (example: string) => opt(z.string().url(`must be a URL such as ${example}`)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, '')));
const idList = (re: RegExp, what: string) => opt(z.string().transform((s, ctx) => {
  const ids = s.split(/[\s,;]+/).map((x) => x.replace(/^dingtalk:(?:group:|user:)?/, '')).filter(Boolean);
  const bad = ids.filter((x) => !re.test(x));
  if (bad.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expects ${what} separated by commas; ${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} not` });
  return new Set(ids);
}));

const schema = z.object({
  DINGTALK_CLIENT_ID: z.preprocess(blankToUndefined, z.string({ required_error: 'is required (developer console → the app → 凭证与基础信息 → Client ID)' })
    .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be the app\'s Client ID (AppKey, letters and digits)')),
  DINGTALK_CLIENT_SECRET: z.preprocess(blankToUndefined, z.string({ required_error: 'is required (developer console → the app → 凭证与基础信息 → Client Secret)' })
    .min(16, 'must be the app\'s Client Secret (AppSecret)')),
  DINGTALK_ROBOT_CODE: opt(z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be the robot\'s RobotCode (letters and digits)')),
  DINGTALK_CARD_TEMPLATE_ID: opt(z.string().regex(/^[A-Za-z0-9._-]{4,128}$/, 'must be a card template id from the card platform, such as 1a2b3c4d-....schema')),
  DINGTALK_API_URL: baseUrl('https://api.dingtalk.com'),
  DINGTALK_OAPI_URL: baseUrl('https://oapi.dingtalk.com'),
  DINGTALK_ALLOWED_CHATS: idList(/^cid[A-Za-z0-9+/=_-]+$/, 'openConversationIds (cid...)'),
  DINGTALK_ALLOWED_USERS: idList(/^[A-Za-z0-9_$-]+$/, 'DingTalk userIds'),
  LOG_LEVEL: opt(z.string().toLowerCase().pipe(z.enum(['debug', 'info', 'warn', 'error'], { errorMap: () => ({ message: 'must be debug, info, warn or error' }) }))),
});

/** Validates the DINGTALK_* variables; throws DingtalkConfigError naming every bad one (never its value). */
export function loadDingtalkSettings(env: Record<string, string | undefined>): DingtalkSettings {
  const r = schema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${String(i.path[0])} ${i.message}`);
    throw new DingtalkConfigError(`DingTalk settings: ${lines.join('; ')}`);
  }
  const e = r.data;
  return {
    clientId: e.DINGTALK_CLIENT_ID,
    clientSecret: e.DINGTALK_CLIENT_SECRET,
    robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
    cardTemplateId: e.DINGTALK_CARD_TEMPLATE_ID ?? null,
    apiUrl: e.DINGTALK_API_URL ?? 'https://api.dingtalk.com',
    oapiUrl: e.DINGTALK_OAPI_URL ?? 'https://oapi.dingtalk.com',
    allowedChats: e.DINGTALK_ALLOWED_CHATS?.size ? e.DINGTALK_ALLOWED_CHATS : null,
    allowedUsers: e.DINGTALK_ALLOWED_USERS?.size ? e.DINGTALK_ALLOWED_USERS : null,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

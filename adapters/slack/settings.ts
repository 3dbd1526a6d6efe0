import { z } from 'zod';

export type SlackLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The Slack adapter's settings, read from the environment and validated at start-up. */
export interface SlackSettings {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret: string | null; // required in HTTP mode
  appToken: string | null; // set: Socket Mode
  port: number; // HTTP mode only
  command: string; // '/incident'
  apiUrl: string | null; // Web API base URL, ending in '/'
  allowedChannels: ReadonlySet<string> | null; // channel ids, bare (any workspace) or `T…:C…` (that workspace); null: every channel
  allowedUsers: ReadonlySet<string> | null; // user ids; null: everyone
  logLevel: SlackLogLevel;
}

/** An operator error in the environment; the message names the variable, never its value. */
export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(blankToUndefined, t.optional());
const idList = (re: RegExp, what: string) =>
  opt(z.string().transform((s, ctx) => {
    const ids = s.split(',').map((x) => x.trim().replace(/^#/, '')).filter(Boolean);
    const bad = ids.filter((x) => !re.test(x));
    if (bad.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expects ${what} ids separated by commas (not names); ${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} not` });
    return new Set(ids);
  }));

const schema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(blankToUndefined, z.string({ required_error: 'is required (the Bot User OAuth Token, xoxb-...)' }).startsWith('xoxb-', 'must be a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: opt(z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the app\'s Signing Secret (hex)')),
  SLACK_APP_TOKEN: opt(z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-')),
  PORT: opt(z.coerce.number().int('must be a whole number').min(0, 'must be 0-65535').max(65535, 'must be 0-65535')),
  SLACK_COMMAND: opt(z.string().regex(/^\/?[a-z0-9_\-.]{1,31}$/, 'must be a slash command name like /incident (lowercase, no spaces)')),
  SLACK_API_URL: opt(z.string().url('must be a URL such as https://slack.com/api/')),
  SLACK_ALLOWED_CHANNELS: idList(/^(?:[TE][A-Z0-9]+:)?[CGD][A-Z0-9]+$/, 'channel (C0123..., or T0123...:C0123... to name the workspace too)'),
  SLACK_ALLOWED_USERS: idList(/^[UW][A-Z0-9]+$/, 'user (U0123...)'),
  LOG_LEVEL: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.enum(['debug', 'info', 'warn', 'error'], { errorMap: () => ({ message: 'must be one of debug, info, warn, error' }) }).optional()),
});

/** Reads the Slack settings; throws SlackConfigError naming each bad variable (values are never echoed). */
export function readSlackSettings(env: Record<string, string | undefined>): SlackSettings {
  const r = schema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new SlackConfigError(`Slack settings: ${lines.join('; ')}`);
  }
  const e = r.data;
  const appToken = e.SLACK_APP_TOKEN ?? null;
  if (!appToken && !e.SLACK_SIGNING_SECRET) {
    throw new SlackConfigError('Slack settings: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const apiUrl = e.SLACK_API_URL ? (e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`) : null;
  const command = e.SLACK_COMMAND ?? '/incident';
  return {
    mode: appToken ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    appToken,
    port: e.PORT ?? 3000,
    command: command.startsWith('/') ? command : `/${command}`,
    apiUrl,
    allowedChannels: e.SLACK_ALLOWED_CHANNELS ?? null,
    allowedUsers: e.SLACK_ALLOWED_USERS ?? null,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

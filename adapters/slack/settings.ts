import { inspect } from 'node:util';
import { z } from 'zod';
import { PlatformConfigError } from '../kit/errors.ts';
import type { PlatformSettings } from '../kit/platform.ts';
import { createRedactor } from '../kit/redact.ts';
import { blank, idList, logLevel, opt, parseSettings, type LogLevel } from '../kit/settings.ts';

/** The Slack adapter's settings, read from the environment and validated at start-up. */
export interface SlackSettings {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret: string | null; // required in HTTP mode
  appToken: string | null; // set: Socket Mode
  command: string; // '/incident'
  apiUrl: string | null; // Web API base URL, ending in '/'
  allowedChannels: ReadonlySet<string> | null; // channel ids, bare (any workspace) or `T…:C…` (that workspace); null: every channel
  allowedUsers: ReadonlySet<string> | null; // user ids; null: everyone
  logLevel: LogLevel;
}

const schema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(blank, z.string({ required_error: 'is required (the Bot User OAuth Token, xoxb-...)' }).startsWith('xoxb-', 'must be a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: opt(z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the app\'s Signing Secret (hex)')),
  SLACK_APP_TOKEN: opt(z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-')),
  SLACK_COMMAND: opt(z.string().regex(/^\/?[a-z0-9_\-.]{1,31}$/, 'must be a slash command name like /incident (lowercase, no spaces)')),
  SLACK_API_URL: opt(z.string().url('must be a URL such as https://slack.com/api/')),
  SLACK_ALLOWED_CHANNELS: idList(/^(?:[TE][A-Z0-9]+:)?[CGD][A-Z0-9]+$/, 'channel (C0123..., or T0123...:C0123... to name the workspace too) ids', /^#/),
  SLACK_ALLOWED_USERS: idList(/^[UW][A-Z0-9]+$/, 'user (U0123...) ids'),
  LOG_LEVEL: logLevel,
});

/** Reads the Slack settings; throws PlatformConfigError naming each bad variable (values are never echoed). */
export function readSettings(env: Record<string, string | undefined>): SlackSettings {
  const e = parseSettings('Slack', schema, env);
  const appToken = e.SLACK_APP_TOKEN ?? null;
  if (!appToken && !e.SLACK_SIGNING_SECRET) {
    throw new PlatformConfigError('Slack settings: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const apiUrl = e.SLACK_API_URL ? (e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`) : null;
  const command = e.SLACK_COMMAND ?? '/incident';
  return {
    mode: appToken ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    appToken,
    command: command.startsWith('/') ? command : `/${command}`,
    apiUrl,
    allowedChannels: e.SLACK_ALLOWED_CHANNELS ?? null,
    allowedUsers: e.SLACK_ALLOWED_USERS ?? null,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

// Bot, user, app-level, refresh and config tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxe.xoxp-, xapp-.
const TOKEN = /\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+/g;

/** Log lines without secrets: the configured ones and every Slack token pattern. */
export const redactorOf = (secrets: readonly (string | null)[]) => createRedactor(secrets, { rules: [[TOKEN, '[redacted]']] });

/** The values no log line may contain. */
export const secretsOf = (s: SlackSettings) => [s.botToken, s.signingSecret, s.appToken];

/** Replaces every Slack token pattern and every given secret with [redacted] (the kit's redactor). */
export function redact(text: string, secrets: readonly (string | null)[]): string {
  return redactorOf(secrets)(text);
}

/** One value of what Bolt and its clients log: errors with their stack, objects inspected. */
export const describe = (p: unknown): string => (typeof p === 'string' ? p : p instanceof Error ? (p.stack ?? p.message) : inspect(p, { depth: 4, breakLength: Infinity }));

/**
 * SLACK_ALLOWED_CHANNELS as the kit asks it, by `T…:C…`: an entry `T0123:C0123` allows the channel in that workspace
 * only, a bare `C0123` in any workspace.
 */
class ChannelList extends Set<string> {
  override has(chat: string): boolean {
    return super.has(chat) || super.has(chat.slice(chat.indexOf(':') + 1));
  }
}

export const settings: PlatformSettings<SlackSettings> = {
  read: readSettings,
  allowed: (s) => ({ chats: s.allowedChannels && new ChannelList(s.allowedChannels), users: s.allowedUsers }),
  secrets: secretsOf,
  rules: [[TOKEN, '[redacted]']],
  describe,
};

import { describe, expect, it } from 'vitest';
import { PlatformConfigError as SlackConfigError } from '../../../adapters/kit/errors.ts';
import { readSettings as readSlackSettings, redact } from '../../../adapters/slack/settings.ts';
import { redactingLogger } from '../../../adapters/slack/transport/logger.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET } from '../../fakes/slack-harness.ts';

const http = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };
const fails = (env: Record<string, string | undefined>) => {
  try {
    readSlackSettings(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SlackConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a SlackConfigError');
};

describe('Slack settings from the environment', () => {
  it('HTTP mode by default, Socket Mode when SLACK_APP_TOKEN is set', () => {
    expect(readSlackSettings(http)).toMatchObject({ mode: 'http', command: '/incident', apiUrl: null, allowedChannels: null, allowedUsers: null, logLevel: 'info' });
    expect(readSlackSettings({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN })).toMatchObject({ mode: 'socket', signingSecret: null, appToken: APP_TOKEN });
  });

  it('reads SLACK_COMMAND, SLACK_API_URL and the allow-lists; blank means unset', () => {
    const s = readSlackSettings({ ...http, SLACK_COMMAND: 'pboc', SLACK_API_URL: 'http://127.0.0.1:9/api', SLACK_ALLOWED_CHANNELS: 'C0123, #C0456,', SLACK_ALLOWED_USERS: ' ', LOG_LEVEL: 'WARN' });
    expect(s).toMatchObject({ command: '/pboc', apiUrl: 'http://127.0.0.1:9/api/', allowedUsers: null, logLevel: 'warn' });
    expect([...s.allowedChannels!]).toEqual(['C0123', 'C0456']);
  });

  it('names each bad variable, and never echoes a value', () => {
    expect(fails({})).toContain('SLACK_BOT_TOKEN is required');
    expect(fails({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret' })).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(fails({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret' })).not.toContain('xoxp-user-token-secret');
    expect(fails({ SLACK_BOT_TOKEN: BOT_TOKEN })).toContain('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    expect(fails({ ...http, SLACK_APP_TOKEN: BOT_TOKEN })).toContain('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
    expect(fails({ ...http, SLACK_COMMAND: '/事件 new' })).toContain('SLACK_COMMAND must be a slash command name');
    expect(fails({ ...http, SLACK_ALLOWED_CHANNELS: 'C0123,incident-room' })).toContain('SLACK_ALLOWED_CHANNELS expects channel (C0123..., or T0123...:C0123... to name the workspace too) ids separated by commas (not names); 1 entry is not');
    expect(fails({ ...http, SLACK_ALLOWED_USERS: 'alice' })).toContain('SLACK_ALLOWED_USERS expects user');
    expect(fails({ ...http, LOG_LEVEL: 'trace' })).toContain('LOG_LEVEL must be one of debug, info, warn, error');
    expect(fails({ ...http, SLACK_SIGNING_SECRET: 'not hex!' })).not.toContain('not hex!');
  });
});

describe('the redacting logger', () => {
  it('removes every Slack token pattern and the configured secrets, in strings, objects and errors', () => {
    const lines: string[] = [];
    const log = redactingLogger((l) => lines.push(l), 'debug', [SIGNING_SECRET]);
    log.debug('headers', { Authorization: `Bearer ${BOT_TOKEN}` });
    log.info(`app token ${APP_TOKEN} and user xoxp-123-456 and refresh xoxe.xoxp-1-abc`);
    log.error(new Error(`signature with ${SIGNING_SECRET} failed`));
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toMatch(/xox[a-z]-|xapp-/);
    expect(lines.join('\n')).not.toContain(SIGNING_SECRET);
    expect(lines[0]).toContain("Authorization: 'Bearer [redacted]'");
    expect(redact('xoxb-1-2-abc', [])).toBe('[redacted]');
  });

  it('honours its level, as Bolt sets it', () => {
    const lines: string[] = [];
    const log = redactingLogger((l) => lines.push(l), 'warn', []);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.setLevel('debug' as never);
    log.debug('d2');
    expect(lines).toEqual(['slack warn: w', 'slack debug: d2']);
    expect(log.getLevel()).toBe('debug');
  });
});

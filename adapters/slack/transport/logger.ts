import { LogLevel, type Logger } from '@slack/bolt';
import type { LogLevel as SlackLogLevel } from '../../kit/settings.ts';
import { describe, redactorOf } from '../settings.ts';
import { platformLog } from '../../kit/log.ts';

/**
 * The logger handed to Bolt, its WebClient and the Socket Mode client: every line goes through
 * `redact` before it reaches `write`, so no token or signing secret is ever printed.
 */
export function redactingLogger(write: (line: string) => void, level: SlackLogLevel, secrets: readonly (string | null)[]): Logger {
  let current: SlackLogLevel = level;
  const out = platformLog({ write, redact: redactorOf(secrets), describe, prefix: (l) => `slack ${l}: `, level: () => current });
  const emit = (l: SlackLogLevel, parts: unknown[]) => out.sdk(l, parts);
  return {
    debug: (...m: unknown[]) => emit('debug', m),
    info: (...m: unknown[]) => emit('info', m),
    warn: (...m: unknown[]) => emit('warn', m),
    error: (...m: unknown[]) => emit('error', m),
    setLevel: (l: LogLevel) => { current = l as SlackLogLevel; },
    getLevel: () => current as LogLevel,
    setName: () => {}, // one logger is shared by Bolt, its WebClient and the Socket Mode client: one prefix
  };
}

import { inspect } from 'node:util';
import { LogLevel, type Logger } from '@slack/bolt';
import type { LogLevel as SlackLogLevel } from '../kit/settings.ts';
import { redactorOf } from './settings.ts';

const RANK: Record<SlackLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Replaces every Slack token pattern and every given secret with [redacted] (the kit's redactor). */
export function redact(text: string, secrets: readonly (string | null)[]): string {
  return redactorOf(secrets)(text);
}

function format(parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? (p.stack ?? p.message) : inspect(p, { depth: 4, breakLength: Infinity }))).join(' ');
}

/**
 * The logger handed to Bolt, its WebClient and the Socket Mode client: every line goes through
 * `redact` before it reaches `write`, so no token or signing secret is ever printed.
 */
export function redactingLogger(write: (line: string) => void, level: SlackLogLevel, secrets: readonly (string | null)[]): Logger {
  const redactLine = redactorOf(secrets);
  let current: SlackLogLevel = level;
  const emit = (l: SlackLogLevel, parts: unknown[]) => {
    if (RANK[l] < RANK[current]) return;
    write(redactLine(`slack ${l}: ${format(parts)}`));
  };
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

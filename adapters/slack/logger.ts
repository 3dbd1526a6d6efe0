import { inspect } from 'node:util';
import { LogLevel, type Logger } from '@slack/bolt';
import type { SlackLogLevel } from './env.ts';

// Bot, user, app-level, refresh and config tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxe.xoxp-, xapp-.
const TOKEN = /\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+/g;
const RANK: Record<SlackLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Replaces every Slack token pattern and every given secret with [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(TOKEN, '[redacted]');
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  return out;
}

function format(parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? (p.stack ?? p.message) : inspect(p, { depth: 4, breakLength: Infinity }))).join(' ');
}

/**
 * The logger handed to Bolt, its WebClient and the Socket Mode client: every line goes through
 * `redact` before it reaches `write`, so no token or signing secret is ever printed.
 */
export function redactingLogger(write: (line: string) => void, level: SlackLogLevel, secrets: readonly string[]): Logger {
  let current: SlackLogLevel = level;
  const emit = (l: SlackLogLevel, parts: unknown[]) => {
    if (RANK[l] < RANK[current]) return;
    write(redact(`slack ${l}: ${format(parts)}`, secrets));
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

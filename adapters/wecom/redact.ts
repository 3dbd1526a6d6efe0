import type { Logger } from '@wecom/aibot-node-sdk';
import type { WecomLogLevel } from './settings.ts';

const SECRET_KEY = /secret|token|authorization|password|aes_?key|encodingaeskey|ticket|cookie|response_url/i;
const MAX_CHARS = 2000;

/**
 * Removes secrets from a log line: the configured values, and what frames carry that is as good as a secret (the
 * subscribe frame's secret, a media message's aeskey, the temporary response_url) wherever a JSON dump shows it.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of known) out = out.split(s).join('[redacted]');
    return out
      .replace(/(\\?"(?:secret|aeskey|aes_key|response_url|token|access_token|encoding_aes_key)\\?"\s*:\s*\\?")[^"\\]*/gi, '$1[redacted]')
      .replace(/([?&](?:access_token|key|token|secret|signature|msg_signature)=)[^&\s"']+/gi, '$1[redacted]');
  };
}

/** A log-safe one-line rendering of what the SDK logs: errors by message, frames without secret-named keys. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, (key, v: unknown) => {
      if (key && SECRET_KEY.test(key)) return '[redacted]';
      if (key === 'base64_data') return `<${typeof v === 'string' ? v.length : 0} chars>`;
      if (v && typeof v === 'object') {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v;
    });
    return (json ?? String(value)).slice(0, MAX_CHARS);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

const RANK: Record<WecomLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The logger handed to the SDK: lines below `level` are dropped, every other goes through `redact` to `log`. */
export function sdkLogger(log: (msg: string) => void, redact: (text: string) => string, level: WecomLogLevel): Logger {
  const line = (at: WecomLogLevel) => (message: string, ...args: unknown[]) => {
    if (RANK[at] < RANK[level]) return;
    const parts = [message, ...args].map(describe);
    log(redact(`[wecom ${at}] ${parts.join(' ')}`.slice(0, MAX_CHARS)));
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

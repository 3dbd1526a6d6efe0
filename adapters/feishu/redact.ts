import type { Logger } from '@larksuiteoapi/node-sdk';

const SECRET_KEY = /secret|token|authorization|password|encrypt|ticket|access_?key|cookie/i;
const MAX_CHARS = 2000;

/** Removes secrets from a log line: the configured values, bearer tokens, tenant tokens, secret-bearing URL parameters. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of known) out = out.split(s).join('[redacted]');
    return out
      .replace(/(Bearer\s+)[^\s"'\\,}]+/gi, '$1[redacted]')
      .replace(/\b([tua]-[A-Za-z0-9._-]{8,})/g, '[redacted]') // tenant/user/app access tokens
      .replace(/([?&](?:access_key|ticket|token|app_secret)=)[^&\s"']+/gi, '$1[redacted]')
      .replace(/(\\?"(?:app_secret|AppSecret|client_secret|encrypt_key|tenant_access_token|app_access_token)\\?"\s*:\s*\\?")[^"\\]*/g, '$1[redacted]');
  };
}

/** A log-safe one-line rendering of anything the SDK logs: errors by message and status, objects without secret-named keys. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const e = value as Error & { response?: { status?: number; data?: unknown }; config?: { url?: string; method?: string } };
    const where = e.config?.url ? ` (${(e.config.method ?? '').toUpperCase()} ${e.config.url.split('?')[0]})` : '';
    const status = e.response?.status ? ` status ${e.response.status}` : '';
    const body = e.response?.data !== undefined ? ` ${describe(e.response.data)}` : '';
    return `${e.name}: ${e.message}${where}${status}${body}`;
  }
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, (key, v: unknown) => {
      if (key && SECRET_KEY.test(key)) return '[redacted]';
      if (key === 'request' || key === 'socket' || key === 'agent' || key === 'httpAgent' || key === 'httpsAgent') return undefined;
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

/** The logger handed to the Lark SDK: every line goes through `redact` before it reaches `log`. */
export function sdkLogger(log: (msg: string) => void, redact: (text: string) => string): Logger {
  // LoggerProxy passes its arguments as one array.
  const line = (level: string) => (...args: unknown[]) => {
    const parts = args.flatMap((a) => (Array.isArray(a) ? a : [a])).map(describe);
    log(redact(`[lark ${level}] ${parts.join(' ')}`));
  };
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), trace: line('trace') };
}

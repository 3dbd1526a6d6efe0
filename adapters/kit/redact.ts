/** A configured secret shorter than this is not searched for in log lines (it would blank out ordinary words). */
export const SECRET_MIN_CHARS = 4;
/** A log line's longest rendering of one value. */
export const DESCRIBE_MAX_CHARS = 2000;

export interface RedactorOptions {
  /** Secrets met while running (access tokens, connection tickets), read at each line. */
  seen?: () => Iterable<string>;
  /** The platform's own patterns: token shapes, secret-bearing URL parameters and JSON fields. */
  rules?: ReadonlyArray<readonly [RegExp, string]>;
}

/**
 * The one redactor: removes from a log line every configured secret of SECRET_MIN_CHARS or more characters, every
 * secret seen while running, and whatever the platform's rules match.
 */
export function createRedactor(secrets: readonly (string | null | undefined)[], opts: RedactorOptions = {}): (text: string) => string {
  const long = (s: string | null | undefined): s is string => typeof s === 'string' && s.length >= SECRET_MIN_CHARS;
  const fixed = [...new Set(secrets.filter(long))];
  return (text) => {
    const known = opts.seen ? [...new Set([...fixed, ...[...opts.seen()].filter(long)])] : fixed;
    let out = text;
    for (const s of known.sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]');
    for (const [re, to] of opts.rules ?? []) out = out.replace(re, to);
    return out;
  };
}

export interface DescribeOptions {
  /** Keys whose values are never shown. */
  secretKey: RegExp;
  /** A key's value as shown instead (undefined: left out), or the value itself to keep it. */
  shown?: (key: string, value: unknown) => unknown;
  /** An error as one line (default: its name and message). */
  error?: (e: Error) => string;
}

/** A log-safe one-line rendering of anything an SDK logs: errors by message, objects without secret-named keys. */
export function describeWith(o: DescribeOptions): (value: unknown) => string {
  return (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return o.error ? o.error(value) : `${value.name}: ${value.message}`;
    const seen = new WeakSet<object>();
    try {
      const json = JSON.stringify(value, (key, v: unknown) => {
        if (key && o.secretKey.test(key)) return '[redacted]';
        if (key && o.shown) {
          const shown = o.shown(key, v);
          if (shown !== v) return shown;
        }
        if (v && typeof v === 'object') {
          if (seen.has(v)) return '[circular]';
          seen.add(v);
        }
        return v;
      });
      return (json ?? String(value)).slice(0, DESCRIBE_MAX_CHARS);
    } catch {
      return Object.prototype.toString.call(value);
    }
  };
}

const SECRET_KEY = /secret|token|ticket|authorization|password|cookie|session/i;
const MAX_CHARS = 2000;

/**
 * Removes secrets from a log line: the configured values, whatever access token or connection ticket the adapter
 * has seen (`seen`), secret-bearing URL parameters (access_token, ticket, appsecret, session) and JSON fields.
 */
export function createRedactor(secrets: readonly string[], seen: () => Iterable<string> = () => []): (text: string) => string {
  const fixed = [...new Set(secrets.filter((s) => s.length >= 4))];
  return (text) => {
    let out = text;
    const known = [...new Set([...fixed, ...[...seen()].filter((s) => s.length >= 4)])].sort((a, b) => b.length - a.length);
    for (const s of known) out = out.split(s).join('[redacted]');
    return out
      .replace(/([?&](?:access_token|ticket|appsecret|appkey_secret|session|token)=)[^&\s"']+/gi, '$1[redacted]')
      .replace(/(\\?"(?:clientSecret|appSecret|accessToken|access_token|ticket|x-acs-dingtalk-access-token)\\?"\s*:\s*\\?")[^"\\]*/g, '$1[redacted]');
  };
}

/** A log-safe one-line rendering of anything the SDK logs: errors by message, objects without secret-named keys. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const e = value as Error & { response?: { status?: number } };
    return `${e.name}: ${e.message}${e.response?.status ? ` status ${e.response.status}` : ''}`;
  }
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, (key, v: unknown) => {
      if (key && SECRET_KEY.test(key)) return '[redacted]';
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

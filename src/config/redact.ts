// Secrets out of configuration errors: a value is never printed raw, but in case one is (a library's message,
// a field quoted back), URL credentials and token-shaped strings are replaced first. Pure.

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, '$1[redacted]@'], // redis://user:pass@host, https://u:p@proxy
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+@/gi, '$1[redacted]@'], // redis://token@host
  [/\bxox[abposre]-[A-Za-z0-9-]{8,}/g, '[redacted]'], // Slack bot, user and refresh tokens
  [/\bxapp-[A-Za-z0-9-]{8,}/g, '[redacted]'], // Slack app-level tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b[tu]-[A-Za-z0-9_-]{20,}/g, '[redacted]'], // Feishu tenant and user access tokens
  [/\b(?:sk|pk|ghp|gho|glpat)[-_][A-Za-z0-9_-]{16,}/g, '[redacted]'], // common API keys pasted by mistake
  [/\b[A-Za-z0-9+_-]{32,}={0,2}/g, '[redacted]'], // any long opaque string (secrets, keys, signing secrets)
];

export function redactSecrets(text: string): string {
  return PATTERNS.reduce((s, [re, to]) => s.replace(re, to), text);
}

/** A Redis URL as it may be printed: its password, if any, as `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable REDIS_URL>';
  }
}

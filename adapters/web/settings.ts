import { isIP } from 'node:net';
import { z } from 'zod';

/** The web page's settings, read from the environment and validated at start-up. */
export interface WebSettings {
  host: string; // HTTP_HOST (WEB_HOST, its old name), default 127.0.0.1: where links point when WEB_BASE_URL is not set
  secret: string; // WEB_SECRET: signs links and session cookies
  baseUrl: string | null; // WEB_BASE_URL: what links start with; null: http://host:port as bound
  linkTtlMs: number; // WEB_LINK_MINUTES, default 10
  sessionTtlMs: number; // WEB_SESSION_HOURS, default 8
  trustedProxies: ReadonlySet<string>; // WEB_TRUSTED_PROXIES: proxy addresses whose user header is believed
  proxyUserHeader: string | null; // WEB_PROXY_USER_HEADER, e.g. X-Forwarded-User
}

/** An operator error in the environment; the message names the variable, never its value. */
export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(blank, t.optional());
const int = (min: number, max: number) => z.coerce.number().int('must be a whole number').min(min, `must be ${min}-${max}`).max(max, `must be ${min}-${max}`);

const schema = z.object({
  WEB_HOST: opt(z.string().refine((h) => isIP(h) !== 0 || h === 'localhost', 'must be an IP address to bind (default 127.0.0.1)')),
  WEB_SECRET: z.preprocess(blank, z.string({ required_error: 'is required for the compliance page (at least 32 random characters, e.g. openssl rand -hex 32)' }).min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')),
  WEB_BASE_URL: opt(z.string().url('must be the page\'s address as users reach it, e.g. https://compliance.example.com').refine((u) => /^https?:/.test(u), 'must start with http:// or https://')),
  WEB_LINK_MINUTES: opt(int(1, 60)),
  WEB_SESSION_HOURS: opt(int(1, 24)),
  WEB_TRUSTED_PROXIES: opt(z.string().transform((s, ctx) => {
    const ips = s.split(',').map((x) => x.trim()).filter(Boolean);
    if (ips.some((x) => isIP(x) === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expects IP addresses separated by commas' });
    return new Set(ips);
  })),
  WEB_PROXY_USER_HEADER: opt(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name such as X-Forwarded-User')),
});

/** Reads the web settings; throws WebConfigError naming each bad variable (values are never echoed). */
export function readWebSettings(env: Record<string, string | undefined>): WebSettings {
  const r = schema.safeParse(env);
  if (!r.success) throw new WebConfigError(`web page settings: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const e = r.data;
  const proxies = e.WEB_TRUSTED_PROXIES ?? new Set<string>();
  if ((proxies.size > 0) !== Boolean(e.WEB_PROXY_USER_HEADER)) {
    throw new WebConfigError('web page settings: WEB_TRUSTED_PROXIES and WEB_PROXY_USER_HEADER go together (trusted-proxy sign-in needs both)');
  }
  const host = env.HTTP_HOST?.trim() || e.WEB_HOST || '127.0.0.1';
  return {
    host,
    secret: e.WEB_SECRET,
    baseUrl: e.WEB_BASE_URL ? e.WEB_BASE_URL.replace(/\/+$/, '') : null,
    linkTtlMs: (e.WEB_LINK_MINUTES ?? 10) * 60_000,
    sessionTtlMs: (e.WEB_SESSION_HOURS ?? 8) * 3600_000,
    trustedProxies: proxies,
    proxyUserHeader: e.WEB_PROXY_USER_HEADER ?? null,
  };
}

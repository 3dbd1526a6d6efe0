// Sign-in for the web page: a short-lived, single-use, HMAC-signed link sent privately in chat, exchanged
// for a signed session cookie; or, in trusted-proxy mode, a user header set by an allow-listed proxy.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';

/** Who a link or a session belongs to. */
export interface WebUser {
  user: string; // platform-qualified: slack:U1, feishu:ou_x, console:alice, proxy:jane
  lang: Lang;
}

const linkSchema = z.object({ u: z.string().min(1).max(200), l: z.enum(['zh-CN', 'en']), n: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), e: z.number().int() }).strict();
const sessionSchema = z.object({ u: z.string().min(1).max(200), l: z.enum(['zh-CN', 'en']), e: z.number().int() }).strict();

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function mac(secret: string, purpose: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${body}`).digest();
}

/** body.signature, the signature bound to its purpose (a link is never a valid session, nor the reverse). */
export function sign(secret: string, purpose: 'link' | 'session', payload: object): string {
  const body = b64(JSON.stringify(payload));
  return `${body}.${b64(mac(secret, purpose, body))}`;
}

/** The payload when the signature is right, else null. Constant-time comparison. */
export function unsign(secret: string, purpose: 'link' | 'session', token: string): unknown {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return null;
  const expected = mac(secret, purpose, body);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

export interface LinkIssuerOptions {
  secret: string;
  baseUrl: string; // e.g. https://compliance.bank.example or http://127.0.0.1:8080
  linkTtlMs: number;
  now: () => number;
  random?: () => string; // the single-use nonce; defaults to 18 random bytes
}

/** Issues sign-in links: `${baseUrl}/login?t=<signed token>`, valid linkTtlMs from now, once. */
export function createLinkIssuer(o: LinkIssuerOptions) {
  const random = o.random ?? (() => b64(randomBytes(18)));
  return (who: WebUser): string => {
    const token = sign(o.secret, 'link', { u: who.user, l: who.lang, n: random(), e: o.now() + o.linkTtlMs });
    return `${o.baseUrl.replace(/\/+$/, '')}/login?t=${token}`;
  };
}

export type LinkResult = { ok: true; who: WebUser; expiresAtMs: number } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Checks a link token and claims its nonce in the store, so that it signs in once across replicas. */
export async function redeemLink(token: string, secret: string, store: Store, nowMs: number): Promise<LinkResult> {
  const parsed = linkSchema.safeParse(unsign(secret, 'link', token));
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const p = parsed.data;
  if (p.e <= nowMs) return { ok: false, reason: 'expired' };
  const key = `web-link:${p.n}`;
  if (!(await store.claim(key, p.e - nowMs, nowMs))) return { ok: false, reason: 'used' };
  await store.markDone(key);
  return { ok: true, who: { user: p.u, lang: p.l }, expiresAtMs: p.e };
}

export function sessionToken(secret: string, who: WebUser, expiresAtMs: number): string {
  return sign(secret, 'session', { u: who.user, l: who.lang, e: expiresAtMs });
}

/** The session's user, or null when the cookie is forged, malformed or expired. */
export function readSession(secret: string, token: string | undefined, nowMs: number): WebUser | null {
  if (!token) return null;
  const parsed = sessionSchema.safeParse(unsign(secret, 'session', token));
  if (!parsed.success || parsed.data.e <= nowMs) return null;
  return { user: parsed.data.u, lang: parsed.data.l };
}

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address. */
export function normalizeAddress(a: string | undefined): string {
  return (a ?? '').replace(/^::ffff:/i, '');
}

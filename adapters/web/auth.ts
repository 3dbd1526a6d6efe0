// Sign-in for the web page: a short-lived, single-use, HMAC-signed link sent privately in chat, exchanged
// for a signed session cookie; or, in trusted-proxy mode, a user header set by an allow-listed proxy.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';
import { webSessionKey } from '../../src/web/sessions.ts';

/** Who a link or a session belongs to. */
export interface WebUser {
  user: string; // platform-qualified: slack:U1, feishu:ou_x, console:alice, proxy:jane
  lang: Lang;
  /** The conversation the link was asked for in (`/incident web`): the session sees that conversation's incidents. */
  conversation?: string;
}

/** A signed-in person as the store holds them: every conversation they asked from, and their live sessions. */
export interface SessionUser {
  user: string;
  lang: Lang;
  conversations: string[];
}

const linkSchema = z.object({ u: z.string().min(1).max(200), l: z.enum(['zh-CN', 'en']), c: z.string().min(1).max(300).optional(), n: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), e: z.number().int() }).strict();
const sessionSchema = z.object({ u: z.string().min(1).max(200), l: z.enum(['zh-CN', 'en']), s: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), e: z.number().int() }).strict();
const recordSchema = z.object({ lang: z.enum(['zh-CN', 'en']), conversations: z.array(z.string()), sids: z.record(z.number()) });
type SessionRecord = z.infer<typeof recordSchema>;

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
    const token = sign(o.secret, 'link', { u: who.user, l: who.lang, ...(who.conversation ? { c: who.conversation } : {}), n: random(), e: o.now() + o.linkTtlMs });
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
  return { ok: true, who: { user: p.u, lang: p.l, ...(p.c ? { conversation: p.c } : {}) }, expiresAtMs: p.e };
}

/** Whether a link token is well-formed, signed and unexpired, without claiming it (a HEAD request, a link preview). */
export function checkLink(token: string, secret: string, nowMs: number): 'ok' | 'invalid' | 'expired' {
  const parsed = linkSchema.safeParse(unsign(secret, 'link', token));
  if (!parsed.success) return 'invalid';
  return parsed.data.e <= nowMs ? 'expired' : 'ok';
}

// Sessions live in the store (web:<user>), so that logout and a revocation end them at once on every replica:
// the cookie names the person and one of their session ids, and is good only while the store still lists that id.
const recordKey = webSessionKey;

async function readRecord(store: Store, user: string, nowMs: number): Promise<SessionRecord | null> {
  const r = recordSchema.safeParse(await store.getSession(recordKey(user), nowMs));
  return r.success ? r.data : null;
}

async function writeRecord(store: Store, user: string, rec: SessionRecord, nowMs: number): Promise<void> {
  const live = Object.fromEntries(Object.entries(rec.sids).filter(([, e]) => e > nowMs));
  const until = Math.max(0, ...Object.values(live));
  if (until <= nowMs) await store.deleteSession(recordKey(user));
  else await store.setSession(recordKey(user), { ...rec, sids: live }, until - nowMs, nowMs);
}

/** Opens a session for who (adding the conversation the link came from to what they see); returns the cookie value. */
export async function openSession(secret: string, store: Store, who: WebUser, nowMs: number, ttlMs: number, random: () => string = () => b64(randomBytes(18))): Promise<string> {
  const sid = random();
  const rec = (await readRecord(store, who.user, nowMs)) ?? { lang: who.lang, conversations: [], sids: {} };
  const conversations = who.conversation && !rec.conversations.includes(who.conversation) ? [...rec.conversations, who.conversation] : rec.conversations;
  await writeRecord(store, who.user, { lang: who.lang, conversations, sids: { ...rec.sids, [sid]: nowMs + ttlMs } }, nowMs);
  return sign(secret, 'session', { u: who.user, l: who.lang, s: sid, e: nowMs + ttlMs });
}

function parseSession(secret: string, token: string | undefined, nowMs: number) {
  if (!token) return null;
  const parsed = sessionSchema.safeParse(unsign(secret, 'session', token));
  return parsed.success && parsed.data.e > nowMs ? parsed.data : null;
}

/** The session's person, or null when the cookie is forged, malformed or expired, or the session was ended. */
export async function readSession(secret: string, store: Store, token: string | undefined, nowMs: number): Promise<SessionUser | null> {
  const p = parseSession(secret, token, nowMs);
  if (!p) return null;
  const rec = await readRecord(store, p.u, nowMs);
  if (!rec || !((rec.sids[p.s] ?? 0) > nowMs)) return null;
  return { user: p.u, lang: p.l, conversations: rec.conversations };
}

/** Logout: ends this cookie's session (the person's other sessions stay). */
export async function endSession(secret: string, store: Store, token: string | undefined, nowMs: number): Promise<void> {
  const p = parseSession(secret, token, nowMs);
  if (!p) return;
  const rec = await readRecord(store, p.u, nowMs);
  if (!rec) return;
  const { [p.s]: _gone, ...sids } = rec.sids;
  await writeRecord(store, p.u, { ...rec, sids }, nowMs);
}


/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address. */
export function normalizeAddress(a: string | undefined): string {
  return (a ?? '').replace(/^::ffff:/i, '');
}

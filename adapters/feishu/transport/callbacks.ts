import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AESCipher } from '@larksuiteoapi/node-sdk';

export const EVENTS_PATH = '/feishu/events';
export const CARDS_PATH = '/feishu/cards';
const MAX_BODY_BYTES = 1_000_000;
const MAX_SKEW_MS = 5 * 60_000;

export type Verdict =
  | { ok: true; body: Record<string, unknown>; challenge?: string }
  | { ok: false; status: 400 | 401; reason: string };

const header = (h: IncomingHttpHeaders, k: string): string | undefined => {
  const v = h[k];
  return Array.isArray(v) ? v[0] : v;
};

/** X-Lark-Signature: sha256 hex of timestamp + nonce + encrypt key + the raw body, as Feishu signs it. */
export function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Opens one callback request: checks the signature over the raw body (when an encrypt key is set),
 * decrypts, and checks the verification token. Only url_verification may come unsigned (the SDK's
 * adapters answer it before any check). Every authentication failure looks the same to the caller.
 */
export function openRequest(raw: string, headers: IncomingHttpHeaders, keys: { encryptKey: string | null; verificationToken: string | null }, nowMs: number = Date.now()): Verdict {
  const deny = (reason: string): Verdict => ({ ok: false, status: 401, reason });
  let outer: unknown;
  try {
    outer = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, reason: 'body is not JSON' };
  }
  if (!outer || typeof outer !== 'object' || Array.isArray(outer)) return { ok: false, status: 400, reason: 'body is not a JSON object' };
  let signed = false;
  if (keys.encryptKey) {
    const ts = header(headers, 'x-lark-request-timestamp');
    const nonce = header(headers, 'x-lark-request-nonce');
    const sig = header(headers, 'x-lark-signature');
    if (ts !== undefined || nonce !== undefined || sig !== undefined) {
      if (!ts || !nonce || !sig || !sameHex(signature(ts, nonce, keys.encryptKey, raw), sig.toLowerCase())) return deny('bad signature');
      // A signature is only as good as its time: one more than 5 minutes off, either way, could be a replay.
      if (!/^\d{1,12}$/.test(ts) || Math.abs(Number(ts) * 1000 - nowMs) > MAX_SKEW_MS) return deny('request timestamp more than 5 minutes from now');
      signed = true;
    }
  }
  let body = outer as Record<string, unknown>;
  if (typeof body.encrypt === 'string') {
    if (!keys.encryptKey) return deny('encrypted body, but FEISHU_ENCRYPT_KEY is not set');
    try {
      const inner: unknown = JSON.parse(new AESCipher(keys.encryptKey).decrypt(body.encrypt));
      if (!inner || typeof inner !== 'object') return deny('cannot decrypt');
      body = inner as Record<string, unknown>;
    } catch {
      return deny('cannot decrypt');
    }
  }
  const head = body.header && typeof body.header === 'object' ? (body.header as Record<string, unknown>) : {};
  const token = head.token ?? body.token;
  if (keys.verificationToken && token !== keys.verificationToken) return deny('verification token mismatch');
  if (body.type === 'url_verification') return typeof body.challenge === 'string' ? { ok: true, body, challenge: body.challenge } : deny('no challenge');
  if (keys.encryptKey && !signed) return deny('unsigned request');
  return { ok: true, body };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c); // beyond: drained and dropped, then answered 413
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export interface HttpReceiverDeps {
  encryptKey: string | null;
  verificationToken: string | null;
  /**
   * Routes an opened event to its handler (the SDK's EventDispatcher) and gives the handler's answer. An event is
   * answered 200 only once this resolves (its handler has written it to the inbox).
   */
  dispatch(body: Record<string, unknown>): Promise<unknown>;
  /** The handler's error for "not taken now, send it again later": answered 503 instead of 500. */
  isBusy?(e: unknown): boolean;
  log(msg: string): void;
  /** The clock signed request times are checked against (real time; Feishu signs with it). */
  now?: () => number;
}

/**
 * Event subscription over HTTP at /feishu/events, card callbacks at /feishu/cards, as one Node request listener the
 * one HTTP server hands those paths to. Events are answered 200 once verified and durably taken (the handler
 * resolved), and processed afterwards; a handler that could not take one (inbox full) gets it answered 503, so Feishu
 * sends it again. Card callbacks are answered with the handler's result (toast and card), which it produces within
 * Feishu's 3 s.
 */
export function callbackListener(deps: HttpReceiverDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'POST' || (path !== EVENTS_PATH && path !== CARDS_PATH)) return send(res, 404, {});
      const raw = await readBody(req);
      if (raw === null) return send(res, 413, {});
      const v = openRequest(raw, req.headers, deps, (deps.now ?? Date.now)());
      if (!v.ok) {
        deps.log(`feishu: refused a request to ${path}: ${v.reason}`);
        return send(res, v.status, {});
      }
      if (v.challenge !== undefined) return send(res, 200, { challenge: v.challenge });
      const head = (v.body.header ?? {}) as Record<string, unknown>;
      if (head.event_type === 'card.action.trigger') return send(res, 200, (await deps.dispatch(v.body)) ?? {});
      await deps.dispatch(v.body);
      send(res, 200, {});
    })().catch((e: Error) => {
      if (res.headersSent) return deps.log(`feishu: request failed: ${e.message}`);
      if (deps.isBusy?.(e)) {
        res.setHeader('retry-after', '10');
        return send(res, 503, {});
      }
      deps.log(`feishu: request failed: ${e.message}`);
      send(res, 500, {});
    });
  };
}

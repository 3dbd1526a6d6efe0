// POST /alerts/{alertmanager,grafana,nightingale}: authenticate, then parse, then record once.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { some } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import { parseAlertPayload } from '../../src/alerts/schemas.ts';
import { AlertRetryError, type AlertService } from '../../src/alerts/service.ts';
import type { AlertSource } from '../../src/alerts/signal.ts';
import type { SourceAuth } from './settings.ts';
import { ops } from '../ops/hooks.ts';

const MAX_BODY_BYTES = 1024 * 1024; // Alertmanager groups can be large; nothing legitimate comes near this
const MAX_LOGGED_REFUSALS = 10;
const SIGNATURE_MAX_AGE_MS = 5 * 60_000; // Grafana timestamp header: older signatures are replays

export interface AlertRoutesDeps {
  service: AlertService;
  auth: Partial<Record<AlertSource, SourceAuth>>;
  now: () => number;
  log: (msg: string) => void;
}

const unauthorized = (c: Parameters<MiddlewareHandler>[0]) => c.json({ error: 'unauthorized' }, 401);

/** Grafana's HMAC-SHA256 of the body (or `timestamp:body`), hex, in its signature header. */
function hmacCheck(h: NonNullable<SourceAuth['hmac']>, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(h.header) ?? '';
    const ts = h.timestampHeader ? c.req.header(h.timestampHeader) ?? '' : null;
    if (ts !== null && !(/^\d{1,12}$/.test(ts) && Math.abs(now() - Number(ts) * 1000) <= SIGNATURE_MAX_AGE_MS)) return unauthorized(c);
    // No signature, or not one: refused before a byte of the body is read.
    if (!/^[0-9a-f]{64}$/i.test(given)) return unauthorized(c);
    // The signature covers the body: only it needs the body read, under the limit.
    return limit(c, async () => {
      const body = await c.req.text();
      const want = createHmac('sha256', h.secret).update(ts !== null ? `${ts}:${body}` : body).digest();
      const got = Buffer.from(given, 'hex');
      if (got.length !== want.length || !timingSafeEqual(got, want)) {
        c.res = unauthorized(c);
        return;
      }
      await next();
    });
  };
}

/** The body limit, applied after the credential check (a stranger's 3 MB body is 401, not 413). */
const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `body over ${MAX_BODY_BYTES} bytes` }, 413) });

function credentials(auth: SourceAuth): MiddlewareHandler[] {
  const checks: MiddlewareHandler[] = [];
  if (auth.token) checks.push(bearerAuth({ token: auth.token }));
  if (auth.basic) checks.push(basicAuth(auth.basic));
  if (checks.length === 0) return [];
  const check = checks.length === 1 ? checks[0]! : some(...checks);
  // Hono answers a malformed Authorization header with 400; to a sender it is the same wrong credential.
  return [async (c, next) => {
    try {
      return await check(c, next);
    } catch (e) {
      if (e instanceof HTTPException && (e.status === 400 || e.status === 401)) return unauthorized(c);
      throw e;
    }
  }];
}

/** Mounts one route per configured source; a source without a secret has no route (404). */
export function alertRoutes(deps: AlertRoutesDeps): Hono {
  const app = new Hono();
  for (const [source, auth] of Object.entries(deps.auth) as Array<[AlertSource, SourceAuth]>) {
    const logRejected: MiddlewareHandler = async (c, next) => {
      await next();
      // The reason is the status; never the header, which holds the secret.
      if (c.res.status === 401) deps.log(`alerts: ${source}: 401, wrong or missing credentials; nothing recorded`);
    };
    app.post(
      `/${source}`,
      logRejected,
      // Credentials first: nothing of an unauthenticated request is read, whatever its size.
      ...credentials(auth),
      ...(auth.hmac ? [hmacCheck(auth.hmac, deps.now)] : [limit]),
      async (c) => {
        let body: unknown;
        try {
          body = JSON.parse(await c.req.text());
        } catch {
          return c.json({ error: 'invalid payload', field: '(body)', message: 'not JSON' }, 400);
        }
        const parsed = parseAlertPayload(source, body, deps.now());
        // Each refused alert with its field and rule, in the log as in the answer (a bounded number of lines).
        for (const r of parsed.refused.slice(0, MAX_LOGGED_REFUSALS)) deps.log(`alerts: ${source}: refused ${r.field}: ${r.message}`);
        if (parsed.refused.length > MAX_LOGGED_REFUSALS) deps.log(`alerts: ${source}: ${parsed.refused.length - MAX_LOGGED_REFUSALS} more alerts refused (listed in the answer)`);
        if (!parsed.ok) {
          deps.log(`alerts: ${source}: 400 at ${parsed.field}: ${parsed.message}; nothing recorded`);
          ops.inbound('alerts', 'refused');
          return c.json({ error: 'invalid payload', field: parsed.field, message: parsed.message, refused: parsed.refused }, 400);
        }
        let result: Awaited<ReturnType<AlertService['receive']>>;
        try {
          result = await deps.service.receive(parsed.signals);
        } catch (e) {
          // Nothing is held after a failure: the source's retry is processed as new, never answered as a duplicate.
          deps.log(`alerts: ${source}: ${e instanceof AlertRetryError ? 503 : 500}: ${(e as Error).message}; the source retries`);
          ops.inbound('alerts', e instanceof AlertRetryError ? 'busy' : 'refused');
          return c.json({ error: e instanceof AlertRetryError ? 'busy, retry' : 'not recorded, retry' }, e instanceof AlertRetryError ? 503 : 500);
        }
        ops.inbound('alerts', 'accepted');
        return c.json({ ...result, refused: parsed.refused }, 200);
      },
    );
  }
  return app;
}

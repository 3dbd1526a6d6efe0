// The compliance web page as a Hono app: Now, Timeline and Ledger, server-rendered and read-only.
// Every page but the sign-in link and the two static files needs a session (or a trusted proxy's user header).
import { readFileSync } from 'node:fs';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { parseLang, type Lang } from '../../src/i18n/index.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { fold, type IncidentState } from '../../src/incident/state.ts';
import type { BotConfig } from '../../src/conversation/types.ts';
import { toCsv, toXlsx } from '../../src/ledger/export.ts';
import { ledgerFromStore } from '../../src/ledger/ledger.ts';
import { endOfShanghaiDate, shanghaiDate, startOfShanghaiDate } from '../../src/rules/time.ts';
import { isValidDate } from '../../src/rules/working-days.ts';
import type { Store } from '../../src/store/types.ts';
import { nowModel, timelineModel } from '../../src/web/model.ts';
import { wt } from '../../src/web/messages.ts';
import { normalizeAddress, readSession, redeemLink, sessionToken, type WebUser } from './auth.ts';
import { timelineSvg } from './chart.ts';
import { page, type Frame, type Html } from './layout.ts';
import { authContent, ledgerContent, nowContent, timelineContent } from './pages.ts';

export interface WebDeps {
  store: Store;
  config: BotConfig;
  now: () => number; // the clock, injected
  secret: string; // WEB_SECRET: verifies links and signs session cookies
  sessionTtlMs: number;
  trustedProxies?: ReadonlySet<string>; // addresses whose proxyUserHeader is believed
  proxyUserHeader?: string | null;
  /** Whether cookies get Secure: true when served over HTTPS (WEB_BASE_URL https://, or the request's own scheme). */
  httpsBaseUrl?: boolean;
  /** The peer address of a request; defaults to @hono/node-server's connection info. */
  remoteAddress?: (c: Context) => string | undefined;
  log?: (msg: string) => void;
}

export const SESSION_COOKIE = 'pboc_web_session';
const CSS = readFileSync(new URL('./static/app.css', import.meta.url), 'utf8');
const JS = readFileSync(new URL('./static/countdown.js', import.meta.url), 'utf8');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Env = { Variables: { user: WebUser } };

export function createWebApp(deps: WebDeps): Hono<Env> {
  const app = new Hono<Env>();
  const defaultLang = deps.config.institution.language;
  const proxies = deps.trustedProxies ?? new Set<string>();
  const remote = deps.remoteAddress ?? ((c: Context) => getConnInfo(c).remote.address);
  const fromTrustedProxy = (c: Context) => proxies.size > 0 && proxies.has(normalizeAddress(remote(c)));

  const langOf = (c: Context, fallback: Lang) => parseLang(c.req.query('lang')) ?? fallback;
  const isHttps = (c: Context) => deps.httpsBaseUrl === true || new URL(c.req.url).protocol === 'https:'
    || (fromTrustedProxy(c) && c.req.header('x-forwarded-proto') === 'https');
  const frame = (c: Context, lang: Lang, title: string, current: Frame['current'], user: string | null, nowMs?: number): Frame => {
    const u = new URL(c.req.url);
    return { lang, title, current, user, path: `${u.pathname}${u.search}`, ...(nowMs !== undefined ? { nowMs } : {}) };
  };
  const denied = (c: Context, lang: Lang, reason: 'none' | 'expired' | 'used' | 'invalid') =>
    c.html(page(frame(c, lang, wt(lang, 'web.auth.title'), 'auth', null), authContent(lang, reason)), 401);

  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'"], formAction: ["'self'"],
      baseUri: ["'none'"], frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
  }));
  app.use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store'); // the ledger is not for shared caches or the back button of a shared desk
  });
  app.onError((e, c) => {
    deps.log?.(`web: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${e.message}`);
    return c.text('internal error', 500);
  });

  app.get('/static/app.css', (c) => c.body(CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/static/countdown.js', (c) => c.body(JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

  // The link the bot sent privately: good once, for a few minutes; it becomes a session cookie and leaves the address bar.
  app.get('/login', async (c) => {
    const nowMs = deps.now();
    const r = await redeemLink(c.req.query('t') ?? '', deps.secret, deps.store, nowMs);
    if (!r.ok) {
      deps.log?.(`web: sign-in link refused (${r.reason})`);
      return denied(c, langOf(c, defaultLang), r.reason);
    }
    setCookie(c, SESSION_COOKIE, sessionToken(deps.secret, r.who, nowMs + deps.sessionTtlMs), {
      httpOnly: true, secure: isHttps(c), sameSite: 'Strict', path: '/', maxAge: Math.floor(deps.sessionTtlMs / 1000),
    });
    return c.redirect(r.who.lang === 'en' ? '/now?lang=en' : '/now', 303);
  });

  app.use(async (c, next) => {
    const header = deps.proxyUserHeader ? c.req.header(deps.proxyUserHeader) : undefined;
    const who = header && fromTrustedProxy(c)
      ? { user: `proxy:${header.slice(0, 200)}`, lang: defaultLang }
      : readSession(deps.secret, getCookie(c, SESSION_COOKIE), deps.now());
    if (!who) return denied(c, langOf(c, defaultLang), 'none');
    c.set('user', who);
    await next();
  });

  const lang = (c: Context<Env>) => langOf(c, c.get('user').lang);
  const show = (c: Context<Env>, title: string, current: Frame['current'], content: Html, nowMs?: number, status: 200 | 404 = 200) =>
    c.html(page(frame(c, lang(c), title, current, c.get('user').user, nowMs), content), status);

  async function loadAll(ids: readonly string[]): Promise<IncidentState[]> {
    const out: IncidentState[] = [];
    for (const id of ids) {
      const s = await deps.store.load(id);
      if (s) out.push(fold(s.events.map((e) => e.event as IncidentEvent)));
    }
    return out;
  }

  app.get('/', (c) => c.redirect(lang(c) === 'en' ? '/now?lang=en' : '/now', 303));
  app.get('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
    return c.redirect('/now', 303);
  });

  app.get('/now', async (c) => {
    const nowMs = deps.now();
    const open = await loadAll((await deps.store.listOpen()).map((m) => m.id));
    const l = lang(c);
    return show(c, wt(l, 'web.nav.now'), 'now', nowContent(nowModel(open, nowMs, l, deps.config), nowMs, l), nowMs);
  });

  async function incident(id: string) {
    const stored = await deps.store.load(id);
    if (!stored) return null;
    const events = stored.events.map((e) => e.event as IncidentEvent);
    return { state: fold(events), events };
  }

  app.get('/incidents/:id', async (c) => {
    const l = lang(c);
    const found = await incident(c.req.param('id'));
    if (!found) return show(c, wt(l, 'web.notFound'), 'timeline', html`<p class="error">${wt(l, 'web.notFound')}</p>`, undefined, 404);
    const m = timelineModel(found.state, found.events, deps.now(), l, deps.config);
    return show(c, wt(l, 'web.timeline.head', { id: found.state.id }), 'timeline', timelineContent(m, l));
  });

  app.get('/incidents/:id/chart.svg', async (c) => {
    const l = lang(c);
    const found = await incident(c.req.param('id'));
    if (!found) return c.text(wt(l, 'web.notFound'), 404);
    const svg = timelineSvg(timelineModel(found.state, found.events, deps.now(), l, deps.config), l);
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });

  /** The ledger period: ?from&to (Shanghai dates, both included); by default this quarter so far. */
  function period(c: Context<Env>): { from: string; to: string; ok: boolean } {
    const today = shanghaiDate(deps.now());
    const [y, mo] = today.split('-').map(Number) as [number, number];
    const quarterStart = `${y}-${String(Math.floor((mo - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    const from = c.req.query('from') ?? quarterStart;
    const to = c.req.query('to') ?? today;
    const ok = isValidDate(from) && isValidDate(to) && from <= to;
    return ok ? { from, to, ok } : { from: quarterStart, to: today, ok };
  }
  const rowsOf = (p: { from: string; to: string }, l: Lang) => ledgerFromStore(deps.store, startOfShanghaiDate(p.from), endOfShanghaiDate(p.to), l);

  app.get('/ledger', async (c) => {
    const l = lang(c);
    const p = period(c);
    const rows = await rowsOf(p, l);
    return show(c, wt(l, 'web.nav.ledger'), 'ledger', ledgerContent(rows, p.from, p.to, l, p.ok ? null : wt(l, 'web.ledger.badDates')));
  });

  app.get('/ledger.csv', async (c) => {
    const l = lang(c);
    const p = period(c);
    if (!p.ok) return c.text(wt(l, 'web.ledger.badDates'), 400);
    return c.body(toCsv(await rowsOf(p, l), l), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="ledger-${p.from}-${p.to}.csv"`,
    });
  });

  app.get('/ledger.xlsx', async (c) => {
    const l = lang(c);
    const p = period(c);
    if (!p.ok) return c.text(wt(l, 'web.ledger.badDates'), 400);
    const data = await toXlsx(await rowsOf(p, l), l);
    return c.body(new Uint8Array(data), 200, { 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="ledger-${p.from}-${p.to}.xlsx"` });
  });

  return app;
}

// The compliance web page as a Hono app: Now, Timeline and Ledger, server-rendered and read-only, plus the
// inspection dossier. Every page but the sign-in link and the static files needs a session (or a trusted proxy's
// user header); each person sees the incidents of the conversations they asked from, compliance officers all.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { parseLang, type Lang } from '../../src/i18n/index.ts';
import type { BotConfig } from '../../src/conversation/types.ts';
import { toCsv, toXlsx } from '../../src/ledger/export.ts';
import { ledgerRows, type LedgerRow } from '../../src/ledger/ledger.ts';
import { endOfShanghaiDate, shanghaiDate, startOfShanghaiDate } from '../../src/calendar/time.ts';
import type { IncidentMeta, Store } from '../../src/store/types.ts';
import { nowModel, timelineModel } from '../../src/web/model.ts';
import { wt } from '../../src/web/messages.ts';
import { inScope, matches, paginate, parseLedgerQuery, parseListQuery, scopeOf, type LedgerQuery, type Scope } from '../../src/web/query.ts';
import { createReadModel, type IncidentView, type ReadModel } from '../../src/web/read-model.ts';
import { dossierZip } from '../../src/web/dossier.ts';
import { regimeConfigOf } from '../../src/web/regime-obligations.ts';
import { REGIME_IDS, type RegimeId } from '../../src/regimes/port.ts';
import { checkLink, endSession, normalizeAddress, openSession, readSession, redeemLink } from './auth.ts';
import { timelineSvg } from './chart.ts';
import { page, type Frame, type Html } from './layout.ts';
import { authContent, ledgerContent, messageContent, nowContent, timelineContent } from './pages.ts';

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
  /** The per-incident read model; one is made when not given (each replica has its own). */
  readModel?: ReadModel;
}

export const SESSION_COOKIE = 'pboc_web_session';
/** Every file the page reads beside its code at run time; bin/build.js copies them into dist/. */
export const WEB_ASSETS = ['static/app.css', 'static/countdown.js'] as const;
const assetPath = (f: string) => fileURLToPath(new URL(`./${f}`, import.meta.url));

/** The first asset missing where this build expects it (its full path), or null: checked before anything listens. */
export function missingWebAsset(): string | null {
  return WEB_ASSETS.map(assetPath).find((p) => !existsSync(p)) ?? null;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const YEAR_MS = 366 * 86_400_000;

interface Viewer { user: string; lang: Lang; scope: Scope; conversations: readonly string[] }
type Env = { Variables: { user: Viewer } };

export function createWebApp(deps: WebDeps): Hono<Env> {
  const app = new Hono<Env>();
  const CSS = readFileSync(assetPath('static/app.css'), 'utf8');
  const JS = readFileSync(assetPath('static/countdown.js'), 'utf8');
  const defaultLang = deps.config.institution.language;
  const officers = deps.config.institution.complianceOfficers ?? [];
  const model = deps.readModel ?? createReadModel(deps.store, deps.config.assess, regimeConfigOf(deps.config.institution));
  const proxies = deps.trustedProxies ?? new Set<string>();
  const remote = deps.remoteAddress ?? ((c: Context) => getConnInfo(c).remote.address);
  const fromTrustedProxy = (c: Context) => proxies.size > 0 && proxies.has(normalizeAddress(remote(c)));

  const langOf = (c: Context, fallback: Lang) => parseLang(c.req.query('lang')) ?? fallback;
  // X-Forwarded-Proto from the trusted proxy: its first value (the client's side), in any case.
  const forwardedHttps = (c: Context) => (c.req.header('x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
  const isHttps = (c: Context) => deps.httpsBaseUrl === true || new URL(c.req.url).protocol === 'https:' || (fromTrustedProxy(c) && forwardedHttps(c));
  const frame = (c: Context, lang: Lang, title: string, current: Frame['current'], user: string | null, nowMs?: number): Frame => {
    const u = new URL(c.req.url);
    return { lang, title, current, user, path: `${u.pathname}${u.search}`, ...(nowMs !== undefined ? { nowMs } : {}) };
  };
  const denied = (c: Context, lang: Lang, reason: 'none' | 'expired' | 'used' | 'invalid') =>
    c.html(page(frame(c, lang, wt(lang, 'web.auth.title'), 'auth', null), authContent(lang, reason)), 401);

  // The chart, opened on its own, is an SVG document styled by its own style attributes (it carries no script):
  // registered before secureHeaders, this sets its policy last.
  app.use('/incidents/:id/chart.svg', async (c, next) => {
    await next();
    if (c.res.headers.get('Content-Type')?.startsWith('image/svg+xml')) c.res.headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  });
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

  // The link the bot sent privately: good once, for a few minutes; it becomes a session and leaves the address bar.
  // A HEAD (a link preview, a mail scanner) never uses it up: it is checked, not claimed.
  app.get('/login', async (c) => {
    const nowMs = deps.now();
    const token = c.req.query('t') ?? '';
    if (c.req.method === 'HEAD') {
      const state = checkLink(token, deps.secret, nowMs);
      return c.body(null, state === 'ok' ? 200 : 401);
    }
    const r = await redeemLink(token, deps.secret, deps.store, nowMs);
    if (!r.ok) {
      deps.log?.(`web: sign-in link refused (${r.reason})`);
      return denied(c, langOf(c, defaultLang), r.reason);
    }
    const cookie = await openSession(deps.secret, deps.store, r.who, nowMs, deps.sessionTtlMs);
    setCookie(c, SESSION_COOKIE, cookie, {
      httpOnly: true, secure: isHttps(c), sameSite: 'Strict', path: '/', maxAge: Math.floor(deps.sessionTtlMs / 1000),
    });
    return c.redirect(r.who.lang === 'en' ? '/now?lang=en' : '/now', 303);
  });

  // Logout ends the session in the store (every replica refuses the cookie from now on), then forgets the cookie.
  app.get('/logout', async (c) => {
    await endSession(deps.secret, deps.store, getCookie(c, SESSION_COOKIE), deps.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
    const l = langOf(c, defaultLang);
    return c.html(page(frame(c, l, wt(l, 'web.logout'), 'auth', null), messageContent(wt(l, 'web.logout'), wt(l, 'web.logoutDone'), 'logged-out')), 200);
  });

  app.use(async (c, next) => {
    const header = deps.proxyUserHeader ? c.req.header(deps.proxyUserHeader) : undefined;
    if (header && fromTrustedProxy(c)) {
      const user = `proxy:${header.slice(0, 200)}`;
      if (!officers.includes(user)) {
        const l = langOf(c, defaultLang);
        return c.html(page(frame(c, l, wt(l, 'web.scope.noneTitle'), 'auth', user), messageContent(wt(l, 'web.scope.noneTitle'), wt(l, 'web.scope.none', { user }), 'not-authorised')), 403);
      }
      c.set('user', { user, lang: defaultLang, scope: { all: true }, conversations: [] });
      return next();
    }
    const who = await readSession(deps.secret, deps.store, getCookie(c, SESSION_COOKIE), deps.now());
    if (!who) return denied(c, langOf(c, defaultLang), 'none');
    c.set('user', { user: who.user, lang: who.lang, scope: scopeOf(who.user, who.conversations, officers), conversations: who.conversations });
    return next();
  });

  const lang = (c: Context<Env>) => langOf(c, c.get('user').lang);
  const show = (c: Context<Env>, title: string, current: Frame['current'], content: Html, nowMs?: number, status: 200 | 400 | 404 = 200) =>
    c.html(page(frame(c, lang(c), title, current, c.get('user').user, nowMs), content), status);
  const scopeNote = (c: Context<Env>) => {
    const v = c.get('user');
    return v.scope.all ? wt(lang(c), 'web.scope.all') : wt(lang(c), 'web.scope.own', { list: v.conversations.join(', ') || '-' });
  };
  const bad = (c: Context<Env>, message: string) => show(c, wt(lang(c), 'web.bad.head'), 'auth', messageContent(wt(lang(c), 'web.bad.head'), message, 'bad-param'), undefined, 400);

  app.get('/', (c) => c.redirect(lang(c) === 'en' ? '/now?lang=en' : '/now', 303));

  app.get('/now', async (c) => {
    const nowMs = deps.now();
    const l = lang(c);
    const q = parseListQuery((n) => c.req.query(n), l);
    if (!q.ok) return bad(c, q.message);
    const scope = c.get('user').scope;
    const metas = (await deps.store.listOpen()).filter((m) => inScope(scope, m.conversation));
    const inScopeViews = await model.many(metas, nowMs);
    const views = inScopeViews.filter((v) => matches(v, q.value));
    // The regime links: each regime with obligations among the incidents the other filters leave, and how many.
    const counted = new Map<RegimeId, number>();
    for (const v of inScopeViews.filter((x) => matches(x, { ...q.value, regime: null }))) for (const r of v.regimes) counted.set(r, (counted.get(r) ?? 0) + 1);
    const regimesPresent = REGIME_IDS.filter((r) => counted.has(r)).map((r) => ({ regime: r, count: counted.get(r)! }));
    const byNext = (a: IncidentView, b: IncidentView) => (a.nextDueMs ?? Infinity) - (b.nextDueMs ?? Infinity) || a.meta.id.localeCompare(b.meta.id);
    const real = views.filter((v) => !v.state.drill).sort(byNext);
    const drills = views.filter((v) => v.state.drill).sort(byNext);
    const paged = paginate(real, q.value.page);
    const shown = [...paged.items, ...drills.slice(0, 50)];
    const viewOf = new Map(shown.map((v) => [v.state, v]));
    const m = nowModel(shown.map((v) => v.state), nowMs, l, deps.config, (s) => model.card(viewOf.get(s)!, nowMs, l, deps.config));
    const conversations = scope.all ? [...new Set(metas.map((x) => x.conversation))].sort() : [...scope.conversations];
    return show(c, wt(l, 'web.nav.now'), 'now', nowContent(m, nowMs, l, { paged: { page: paged.page, pages: paged.pages, total: paged.total }, query: q.value, path: c.req.path, conversations, scopeNote: scopeNote(c), regimesPresent }), nowMs);
  });

  /** The incident when it exists and the viewer may see it (else null: another conversation's incident is not found). */
  async function visible(c: Context<Env>, id: string): Promise<IncidentView | null> {
    const v = await model.get(id, deps.now());
    return v && inScope(c.get('user').scope, v.state.conversation) ? v : null;
  }

  app.get('/incidents/:id', async (c) => {
    const l = lang(c);
    const found = await visible(c, c.req.param('id'));
    if (!found) return show(c, wt(l, 'web.notFound'), 'timeline', html`<p class="error">${wt(l, 'web.notFound')}</p>`, undefined, 404);
    const q = parseListQuery((n) => (n === 'regime' ? c.req.query(n) : undefined), l);
    if (!q.ok) return bad(c, q.message);
    const m = timelineModel(found.state, found.events, deps.now(), l, deps.config);
    return show(c, wt(l, 'web.timeline.head', { id: found.state.id }), 'timeline', timelineContent(m, l, q.value.regime));
  });

  app.get('/incidents/:id/chart.svg', async (c) => {
    const l = lang(c);
    const found = await visible(c, c.req.param('id'));
    if (!found) return c.text(wt(l, 'web.notFound'), 404);
    const svg = timelineSvg(timelineModel(found.state, found.events, deps.now(), l, deps.config), l);
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });

  app.get('/incidents/:id/dossier.zip', async (c) => {
    const l = lang(c);
    const found = await visible(c, c.req.param('id'));
    if (!found) return c.text(wt(l, 'web.notFound'), 404);
    const zip = await dossierZip(found.state, found.events, deps.now(), l, deps.config);
    return c.body(new Uint8Array(zip), 200, { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="dossier-${found.state.id}.zip"` });
  });

  /** The ledger rows the viewer may see for the query: by occurrence (incidents that occurred in the period, with all their reports) or by report date (each report sent in it). */
  async function ledgerOf(c: Context<Env>, q: LedgerQuery): Promise<{ rows: LedgerRow[]; incidents: IncidentView[] }> {
    const nowMs = deps.now();
    const fromMs = startOfShanghaiDate(q.from);
    const toMs = endOfShanghaiDate(q.to);
    const scope = c.get('user').scope;
    const metas = (await deps.store.listInRange(q.by === 'report' ? fromMs - 3 * YEAR_MS : fromMs, q.by === 'report' ? toMs : toMs + YEAR_MS))
      .filter((m: IncidentMeta) => !m.drill && inScope(scope, m.conversation) && (q.conversation === null || m.conversation === q.conversation));
    const inRange = (ms: number) => ms >= fromMs && ms < toMs;
    const needle = q.q?.toLowerCase() ?? null;
    const views = (await model.many(metas, nowMs)).filter((v) => needle === null || v.state.title.toLowerCase().includes(needle) || v.meta.id.toLowerCase().includes(needle));
    const chosen = q.by === 'occurrence'
      ? views.filter((v) => inRange(typeof v.state.values.occurredAt === 'number' ? v.state.values.occurredAt : v.state.createdAt)).map((v) => ({ v, s: v.state }))
      : views.map((v) => ({ v, s: { ...v.state, reports: v.state.reports.filter((r) => inRange(r.at)), regimeReports: (v.state.regimeReports ?? []).filter((r) => inRange(r.at)) } }))
        .filter((x) => x.s.reports.length + x.s.regimeReports.length > 0);
    return { rows: ledgerRows(chosen.map((x) => x.s), lang(c)), incidents: chosen.map((x) => x.v) };
  }

  app.get('/ledger', async (c) => {
    const l = lang(c);
    const q = parseLedgerQuery((n) => c.req.query(n), l, shanghaiDate(deps.now()));
    if (!q.ok) return bad(c, q.message);
    const { rows, incidents } = await ledgerOf(c, q.value);
    const paged = paginate(incidents, q.value.page);
    const ids = new Set(paged.items.map((v) => v.meta.id));
    return show(c, wt(l, 'web.nav.ledger'), 'ledger', ledgerContent(rows.filter((r) => ids.has(r.incidentId)), q.value, l, { page: paged.page, pages: paged.pages, total: paged.total }, scopeNote(c)));
  });

  app.get('/ledger.csv', async (c) => {
    const l = lang(c);
    const q = parseLedgerQuery((n) => c.req.query(n), l, shanghaiDate(deps.now()));
    if (!q.ok) return c.text(q.message, 400);
    return c.body(toCsv((await ledgerOf(c, q.value)).rows, l), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="ledger-${q.value.from}-${q.value.to}.csv"`,
    });
  });

  app.get('/ledger.xlsx', async (c) => {
    const l = lang(c);
    const q = parseLedgerQuery((n) => c.req.query(n), l, shanghaiDate(deps.now()));
    if (!q.ok) return c.text(q.message, 400);
    const data = await toXlsx((await ledgerOf(c, q.value)).rows, l);
    return c.body(new Uint8Array(data), 200, { 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="ledger-${q.value.from}-${q.value.to}.xlsx"` });
  });

  return app;
}

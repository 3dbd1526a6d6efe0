// The page frame every page shares: navigation, language switch, who is signed in. Every interpolation
// goes through hono/html, which escapes it: no user text reaches the page as markup.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { t, type Lang } from '../../src/i18n/index.ts';
import { DURATION_WORDS } from '../../src/conversation/parse-duration.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface Frame {
  lang: Lang;
  title: string;
  current: 'now' | 'ledger' | 'timeline' | 'auth';
  user: string | null;
  nowMs?: number; // pages with countdowns: the server's clock for countdown.js
  path: string; // this page's path and query, for the language switch
}

/** The same page in the other language. */
export function switchLang(path: string, lang: Lang): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set('lang', lang === 'en' ? 'zh' : 'en');
  return `${u.pathname}?${u.searchParams.toString()}`;
}

/** A link inside the site that keeps the page's language. */
export function href(path: string, lang: Lang, params: Record<string, string> = {}): string {
  const u = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  if (lang === 'en') u.searchParams.set('lang', 'en');
  const q = u.searchParams.toString();
  return q ? `${u.pathname}?${q}` : u.pathname;
}

export function page(f: Frame, content: Html): Html {
  const l = f.lang;
  const nav = (key: 'now' | 'ledger', path: string) =>
    html`<a href="${href(path, l)}" class="${f.current === key ? 'current' : ''}">${t(l, key === 'now' ? 'web.nav.now' : 'web.nav.ledger')}</a>`;
  const countdown = f.nowMs !== undefined
    ? { now: String(f.nowMs), units: JSON.stringify(DURATION_WORDS[l]), left: t(l, 'deadline.left', { left: '{}' }), over: t(l, 'deadline.overdue', { by: '{}' }) }
    : null;
  return html`<!doctype html>
<html lang="${l === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${f.title} · ${t(l, 'web.title')}</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body${countdown ? html` data-now="${countdown.now}" data-units="${countdown.units}" data-left="${countdown.left}" data-over="${countdown.over}"` : ''}>
<header>
<span class="title">${t(l, 'web.title')}</span>
${f.user ? html`${nav('now', '/now')}${nav('ledger', '/ledger')}` : ''}
<a href="${switchLang(f.path, l)}" id="lang-switch">${t(l, 'web.nav.lang')}</a>
${f.user ? html`<span class="who">${t(l, 'web.signedInAs', { user: f.user })} · <a href="/logout">${t(l, 'web.logout')}</a></span>` : ''}
</header>
<main>
${content}
</main>
${countdown ? html`<script src="/static/countdown.js" defer></script>` : ''}
</body>
</html>`;
}

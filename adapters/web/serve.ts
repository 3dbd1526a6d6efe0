// The compliance page on the one HTTP server (adapters/http/server.ts, HTTP_PORT): its settings, its routes to
// mount, and the sign-in links `/incident web` sends. On when WEB_SECRET is set (WEB_PORT is an old alias of HTTP_PORT).
import type { Hono } from 'hono';
import type { BotConfig } from '../../src/config/bot-config.ts';
import type { Store } from '../../src/store/types.ts';
import { createWebApp } from './app.ts';
import { createLinkIssuer, type WebUser } from './auth.ts';
import { readWebSettings } from './settings.ts';

export interface WebPageDeps {
  env: Record<string, string | undefined>;
  store: Store;
  config: BotConfig;
  now: () => number;
  log: (msg: string) => void;
}

export interface WebPage {
  /** Mounts the page on the server (after every other owner's routes: it answers every path they do not). */
  mount(app: Hono): void;
  /** Tells the page where the server listens (links use it unless WEB_BASE_URL is set). */
  listening(port: number): void;
  /** A fresh sign-in link for the user (the bot's `/incident web`). */
  link(who: WebUser): string;
  linkTtlMs: number;
}

/** Validates the settings (throws WebConfigError naming the variable); the page is served once mounted. */
export function webPage(d: WebPageDeps): WebPage {
  const s = readWebSettings(d.env);
  const app = createWebApp({
    store: d.store, config: d.config, now: d.now, secret: s.secret, sessionTtlMs: s.sessionTtlMs, log: d.log,
    trustedProxies: s.trustedProxies, proxyUserHeader: s.proxyUserHeader, httpsBaseUrl: s.baseUrl?.startsWith('https:') === true,
  });
  let base = s.baseUrl;
  return {
    mount(server) {
      server.all('*', (c) => app.fetch(c.req.raw, c.env));
    },
    listening(port) {
      const url = `http://${s.host.includes(':') ? `[${s.host}]` : s.host}:${port}`;
      base ??= url;
      d.log(`web page: on ${url}${s.baseUrl ? ' (links use WEB_BASE_URL)' : ''}${s.trustedProxies.size ? `; trusted-proxy sign-in from ${[...s.trustedProxies].join(', ')}` : ''}`);
    },
    link(who) {
      if (!base) throw new Error('the compliance page is not listening yet');
      return createLinkIssuer({ secret: s.secret, baseUrl: base, linkTtlMs: s.linkTtlMs, now: d.now })(who);
    },
    linkTtlMs: s.linkTtlMs,
  };
}

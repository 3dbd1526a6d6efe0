// Serves the web page on its own port with @hono/node-server (off unless WEB_PORT is set).
// The lead may later mount createWebApp on the shared HTTP server instead.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { BotConfig } from '../../src/conversation/types.ts';
import type { Store } from '../../src/store/types.ts';
import { createWebApp } from './app.ts';
import { createLinkIssuer, type WebUser } from './auth.ts';
import { readWebSettings } from './settings.ts';

export interface StartWebDeps {
  env: Record<string, string | undefined>;
  store: Store;
  config: BotConfig;
  now: () => number;
  log: (msg: string) => void;
}

export interface WebServer {
  url: string; // where it listens, e.g. http://127.0.0.1:8080
  /** A fresh sign-in link for the user (the bot's `/incident web`). */
  link(who: WebUser): string;
  linkTtlMs: number;
  stop(): Promise<void>;
}

/** Validates the settings (throws WebConfigError naming the variable), then listens. */
export async function startWeb(d: StartWebDeps): Promise<WebServer> {
  const s = readWebSettings(d.env);
  const app = createWebApp({
    store: d.store, config: d.config, now: d.now, secret: s.secret, sessionTtlMs: s.sessionTtlMs, log: d.log,
    trustedProxies: s.trustedProxies, proxyUserHeader: s.proxyUserHeader, httpsBaseUrl: s.baseUrl?.startsWith('https:') === true,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const srv = serve({ fetch: app.fetch, port: s.port, hostname: s.host }, () => resolve(srv));
    srv.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${s.host.includes(':') ? `[${s.host}]` : s.host}:${port}`;
  const issue = createLinkIssuer({ secret: s.secret, baseUrl: s.baseUrl ?? url, linkTtlMs: s.linkTtlMs, now: d.now });
  d.log(`web page: listening on ${url}${s.baseUrl ? ` (links use WEB_BASE_URL)` : ''}${s.trustedProxies.size ? `; trusted-proxy sign-in from ${[...s.trustedProxies].join(', ')}` : ''}`);
  return {
    url,
    link: issue,
    linkTtlMs: s.linkTtlMs,
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections(); // idle keep-alive browsers must not hold shutdown
    }),
  };
}

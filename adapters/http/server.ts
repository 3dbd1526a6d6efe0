// The one HTTP server: the chat platforms' HTTP endpoints (Slack's receiver, Feishu's callbacks), the monitoring
// webhooks, the compliance page and the health routes. Hono on @hono/node-server, off unless HTTP_PORT is set or a
// chat platform receives over HTTP (design.md). Routes are mounted by their owners. Metrics are not here: they have a
// listener of their own (adapters/ops/metrics.ts), never the public one.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';

import type { HttpSettings } from './settings.ts';

export interface HttpServer {
  readonly port: number; // the bound port (the real one when 0 was asked for)
  readonly app: Hono;
  stop(): Promise<void>;
}

export interface StartHttpOptions extends HttpSettings {
  log: (msg: string) => void;
  /** Each owner mounts its routes (app.route('/alerts', ...), a web page...). */
  mount: (app: Hono) => void;
}

/** Starts the server once every route is mounted; resolves when it listens. */
export async function startHttpServer(o: StartHttpOptions): Promise<HttpServer> {
  const app = new Hono();
  // Health: the process is up and answering (for a load balancer or an orchestrator's liveness probe).
  app.get('/healthz', (c) => c.json({ ok: true }));
  o.mount(app);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((e, c) => {
    // Hono's auth and body-limit middleware answer with their own status; anything else is ours.
    const status = (e as { status?: number }).status;
    if (status === 401 || status === 413) return (e as unknown as { getResponse(): Response }).getResponse();
    o.log(`http: ${c.req.method} ${c.req.path} failed: ${e.message}`);
    return c.json({ error: 'temporarily unavailable, retry' }, 503);
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  o.log(`http: listening on ${o.host}:${port}`);
  return {
    port,
    app,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    }),
  };
}

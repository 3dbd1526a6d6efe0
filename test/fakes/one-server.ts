// The one HTTP server (adapters/http/server.ts) on an ephemeral loopback port with the chat platforms' routes, as
// adapters/main.ts composes it: adapters started with `http: server.routes` receive on it.
import { startHttpServer, type HttpServer } from '../../adapters/http/server.ts';
import { createPlatformRoutes, type PlatformRoutes } from '../../adapters/http/platform-routes.ts';

export interface OneServer {
  routes: PlatformRoutes;
  server: HttpServer;
  /** `http://127.0.0.1:<port>` */
  base: string;
}

export async function startOneServer(log: (msg: string) => void = () => {}): Promise<OneServer> {
  const routes = createPlatformRoutes();
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', log, mount: (app) => routes.mount(app) });
  const base = `http://127.0.0.1:${server.port}`;
  routes.listening(base);
  return { routes, server, base };
}

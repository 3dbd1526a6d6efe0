// Chat platforms' HTTP endpoints on the one HTTP server (adapters/http/server.ts): Slack's `/slack/events`, Feishu's
// `/feishu/events` and `/feishu/cards`. Each platform keeps its SDK's own Node request listener (Bolt's HTTPReceiver
// checks Slack's signature and acknowledges; Feishu's opens, verifies and decrypts): the route hands it the raw
// request and response, so the SDK reads the body and answers exactly as it did on a port of its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** What a platform is given to receive over HTTP (PlatformDeps.http). */
export interface PlatformHttp {
  /**
   * Starts taking requests to `paths` with `listener`; gives back a function that stops taking them (new ones are
   * answered 503 from then on, so the platform sends them again later or to another replica) and resolves once every
   * request in hand has been answered.
   */
  listen(paths: readonly string[], listener: NodeListener): () => Promise<void>;
  /** The server's address for log lines (`http://127.0.0.1:3000`). */
  base(): string;
}

export interface PlatformRoutes extends PlatformHttp {
  /** Answers 503 on `paths` until a platform listens there (a platform not started yet is not ready). */
  reserve(paths: readonly string[]): void;
  /** Puts the routes on the server: every reserved or listened path, before the server's other routes. */
  mount(app: Hono): void;
  /** Called once the server listens. */
  listening(base: string): void;
}

const unavailable = () => new Response(null, { status: 503, headers: { 'retry-after': '10' } });

export function createPlatformRoutes(): PlatformRoutes {
  const listeners = new Map<string, NodeListener | null>();
  let where = '';
  return {
    reserve(paths) {
      for (const p of paths) if (!listeners.has(p)) listeners.set(p, null);
    },
    listen(paths, listener) {
      const inHand = new Set<Promise<void>>();
      const counted: NodeListener = (req, res) => {
        const answered = new Promise<void>((resolve) => res.once('close', () => resolve()));
        inHand.add(answered);
        void answered.then(() => inHand.delete(answered));
        listener(req, res);
      };
      for (const p of paths) listeners.set(p, counted);
      return async () => {
        for (const p of paths) if (listeners.get(p) === counted) listeners.set(p, null);
        while (inHand.size > 0) await Promise.all([...inHand]);
      };
    },
    base: () => where,
    listening(base) {
      where = base;
    },
    mount(app) {
      app.use('*', async (c, next) => {
        if (!listeners.has(c.req.path)) return next();
        const listener = listeners.get(c.req.path);
        const node = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
        if (!listener || !node?.incoming || !node.outgoing) return unavailable();
        listener(node.incoming, node.outgoing);
        return RESPONSE_ALREADY_SENT;
      });
    },
  };
}

// Chat platforms' endpoints on the one HTTP server: a platform's path answers 503 until it listens and again once it
// stops (the platform sends those again), while the request in hand is answered first; the server's other routes are
// not affected. And the one port's settings: HTTP_PORT, its old names (PORT, FEISHU_PORT, WEB_PORT), the old default.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CHAT_HTTP_DEFAULT_PORT, HttpConfigError, settleHttpEnv } from '../../../adapters/http/settings.ts';
import { startOneServer } from '../../fakes/one-server.ts';

describe('a chat platform\'s routes on the one HTTP server', () => {
  it('503 before the platform listens; its listener answers; once stopping, new requests get 503 and the one in hand is answered first', async () => {
    const one = await startOneServer();
    try {
      one.routes.reserve(['/chat/events']);
      const post = (body: string) => fetch(`${one.base}/chat/events`, { method: 'POST', body });
      const early = await post('x');
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('10');

      let held: ServerResponse | null = null;
      let arrived!: () => void;
      const heldArrived = new Promise<void>((r) => { arrived = r; });
      const stop = one.routes.listen(['/chat/events'], (req, res) => {
        let body = '';
        req.setEncoding('utf8').on('data', (s: string) => { body += s; }).on('end', () => {
          if (body === 'hold') { held = res; arrived(); return; }
          res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${body}`);
        });
      });
      const ok = await post('hello');
      expect([ok.status, await ok.text()]).toEqual([200, 'got hello']);
      expect((await fetch(`${one.base}/healthz`)).status).toBe(200); // the server's own routes as before
      expect((await fetch(`${one.base}/chat/other`)).status).toBe(404);

      const inHand = post('hold');
      await heldArrived;
      let stopped = false;
      const stopping = stop().then(() => { stopped = true; });
      expect((await post('late')).status).toBe(503); // not taken: the platform sends it again
      expect(stopped).toBe(false); // waits for the request in hand
      (held as ServerResponse | null)!.writeHead(200).end('done');
      expect(await (await inHand).text()).toBe('done');
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      await one.server.stop();
    }
  });
});

describe('the one port from HTTP_PORT and its old names', () => {
  const settle = (env: Record<string, string | undefined>, chatHttp: string[] = ['Slack']) => {
    const lines: string[] = [];
    settleHttpEnv(env, chatHttp, (m) => lines.push(m));
    return { env, lines };
  };

  it('PORT alone still works, says it is an old name, and binds every interface as before', () => {
    const { env, lines } = settle({ PORT: '3100' });
    expect(env).toMatchObject({ HTTP_PORT: '3100', HTTP_HOST: '0.0.0.0' });
    expect(lines.join('\n')).toContain("PORT is an old name of HTTP_PORT (Slack's receiver): serving everything on port 3100 (set HTTP_PORT instead)");
    expect(lines.join('\n')).toContain('PORT alone binds every interface (0.0.0.0)');
    expect(settle({ FEISHU_PORT: '3200', HTTP_HOST: '10.0.0.5' }, ['Feishu']).env).toMatchObject({ HTTP_PORT: '3200', HTTP_HOST: '10.0.0.5' });
  });

  it('HTTP_PORT names the port; an old name equal to it is only noted; the loopback default stays', () => {
    const { env, lines } = settle({ HTTP_PORT: '8080', PORT: '8080' });
    expect(env.HTTP_PORT).toBe('8080');
    expect(env.HTTP_HOST).toBeUndefined();
    expect(lines).toHaveLength(1);
  });

  it('a chat platform over HTTP with no port named takes the old default 3000 on every interface, as before, unless HTTP_HOST says', () => {
    const { env, lines } = settle({}, ['Slack', 'Feishu']);
    expect(env.HTTP_PORT).toBe(CHAT_HTTP_DEFAULT_PORT);
    expect(env.HTTP_HOST).toBe('0.0.0.0');
    expect(lines).toEqual(['http: HTTP_PORT is not set: Slack and Feishu over HTTP on port 3000, every interface (0.0.0.0), the old default (set HTTP_PORT, and HTTP_HOST to choose the interface)']);
    const chosen = settle({ HTTP_HOST: '127.0.0.1' }, ['Slack']);
    expect(chosen.env).toMatchObject({ HTTP_PORT: CHAT_HTTP_DEFAULT_PORT, HTTP_HOST: '127.0.0.1' });
  });

  it('PORT and FEISHU_PORT are not read when no chat platform receives over HTTP (a PaaS may set PORT)', () => {
    expect(settle({ PORT: '5000' }, []).env.HTTP_PORT).toBeUndefined();
  });

  it('two names of different ports, or a port that is not one, stop start-up in both languages, naming the variables', () => {
    const fails = (env: Record<string, string>) => {
      const lines: string[] = [];
      const thrown = (() => { try { settleHttpEnv(env, ['Slack'], (m) => lines.push(m)); return null; } catch (e) { return e; } })();
      expect(thrown).toBeInstanceOf(HttpConfigError);
      expect(env.HTTP_PORT === undefined || env.HTTP_PORT === '8080').toBe(true); // nothing settled
      return (thrown as Error).message;
    };
    const differ = fails({ HTTP_PORT: '8080', PORT: '3000' });
    expect(differ).toContain('PORT=3000 与 HTTP_PORT=8080 不同');
    expect(differ).toContain('PORT=3000 and HTTP_PORT=8080 differ');
    expect(differ).toContain('set HTTP_PORT only');
    expect(fails({ PORT: '3000', FEISHU_PORT: '3001' })).toContain('FEISHU_PORT=3001 and PORT=3000 differ');
    expect(fails({ WEB_PORT: '9000', PORT: '3000' })).toContain('PORT=3000 and WEB_PORT=9000 differ');
    const bad = fails({ PORT: 'eighty' });
    expect(bad).toContain('PORT=eighty 须为端口号');
    expect(bad).toContain('must be a port number 0-65535');
  });
});

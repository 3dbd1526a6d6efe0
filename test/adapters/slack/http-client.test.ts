// The Web API's HTTP client (adapters/slack/transport/http-client.ts) against a loopback server: what the WebClient
// and the response_url posts read of an answer is what the global fetch would have given them.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApiFetch } from '../../../adapters/slack/transport/http-client.ts';

let server: Server;
let base: string;
const seen: Array<{ method?: string; url?: string; type?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (s: string) => (body += s)).on('end', () => {
      seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], body });
      if (req.url === '/limited') return void res.writeHead(429, { 'retry-after': '7' }).end('{"ok":false,"error":"ratelimited"}');
      if (req.url === '/moved') return void res.writeHead(302, { location: 'http://example.invalid/' }).end();
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('x-oauth-scopes', 'chat:write, commands');
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"ok":true,"ts":"1.2","text":"中文"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the Web API HTTP client', () => {
  it('posts the body as given and answers with status, headers and the whole text', async () => {
    const f = webApiFetch();
    const res = await f(`${base}/api/chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'channel=C1&text=%E4%B8%AD' });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.statusText).toBe('OK');
    expect(res.url).toBe(`${base}/api/chat.postMessage`);
    expect(res.headers.get('x-oauth-scopes')).toBe('chat:write, commands');
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(JSON.parse(await res.text())).toEqual({ ok: true, ts: '1.2', text: '中文' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', type: 'application/x-www-form-urlencoded', body: 'channel=C1&text=%E4%B8%AD' });
  });

  it('gives a 429 and its Retry-After back as fetch does, for the WebClient to wait', async () => {
    const res = await webApiFetch()(`${base}/limited`, { method: 'POST', body: '' });
    expect(res.status).toBe(429);
    expect(res.ok).toBe(false);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it("refuses a redirect when told redirect: 'error', as fetch does", async () => {
    await expect(webApiFetch()(`${base}/moved`, { method: 'POST', body: '', redirect: 'error' })).rejects.toThrow(/redirect/);
  });

  it('sends a multipart form (a file upload) through the fetch it falls back on', async () => {
    const calls: string[] = [];
    const fallback = (async (input: string | URL | Request, init?: RequestInit) => { calls.push(String(input)); return fetch(input, init); }) as typeof fetch;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'r.docx');
    const res = await webApiFetch(fallback)(`${base}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(calls).toEqual([`${base}/upload`]);
    expect(seen.at(-1)?.type).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('stops a request its signal aborts', async () => {
    const slow = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/`;
      await expect(webApiFetch()(url, { method: 'POST', body: 'x', signal: AbortSignal.timeout(100) })).rejects.toThrow();
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });
});

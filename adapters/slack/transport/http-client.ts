// The HTTP client behind Slack's Web API calls and response_url posts: undici's request(), given to the WebClient as
// the `fetch` it takes. The global fetch wraps every request and answer in web streams, an AbortSignal controller and
// a Response; a restart draining 1,000 pending commands (two calls each) spent a third of its CPU time there
// (bench/drain.ts), about seven times what request() costs for the same calls. A multipart body (a file upload)
// still goes through the global fetch, which builds the form's boundary.
import { STATUS_CODES } from 'node:http';
import { Headers, request } from 'undici';

/**
 * What the WebClient and the response_url posts read of an answer: status, statusText, ok, url, headers, text() and
 * arrayBuffer(). The body is read whole before it is handed over (Slack's answers are small JSON).
 */
class Answer {
  readonly ok: boolean;
  readonly statusText: string;
  constructor(readonly url: string, readonly status: number, readonly headers: Headers, private readonly body: Buffer) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
  }
  async text(): Promise<string> {
    return this.body.toString('utf8');
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

function plainHeaders(h: HeadersInit | undefined): Record<string, string> {
  if (!h) return {};
  if (Array.isArray(h)) return Object.fromEntries(h);
  if (typeof (h as { entries?: unknown }).entries === 'function') return Object.fromEntries((h as Iterable<[string, string]> & { entries(): Iterable<[string, string]> }).entries());
  return h as Record<string, string>;
}

/** A `fetch` for POSTs of a string or bytes (the Web API's form and JSON bodies); anything else goes to the global fetch. */
export function webApiFetch(fallback: typeof fetch = fetch): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const body = init.body;
    // (Neither the global Request nor Headers is touched: the first use of either loads Node's own copy of undici.)
    if ((typeof input !== 'string' && !(input instanceof URL)) || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) return fallback(input, init);
    const url = String(input);
    const res = await request(url, {
      method: (init.method ?? 'GET') as 'GET',
      headers: plainHeaders(init.headers),
      body: body ?? null,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      else if (v !== undefined) headers.set(k, v);
    }
    // fetch's redirect: 'error' (the WebClient's): a redirect is not followed, and it is an error, as fetch would say.
    if (init.redirect === 'error' && res.statusCode >= 300 && res.statusCode < 400) throw new TypeError(`fetch failed: redirect to ${headers.get('location') ?? '?'} refused`);
    return new Answer(url, res.statusCode, headers, bytes) as unknown as Response;
  }) as typeof fetch;
}

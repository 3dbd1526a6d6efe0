import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { messageViolation, modalViolation } from '../limits/block-kit.ts';

/** One Web API call as the fake received it: method, the token it carried, and the decoded body. */
export interface ApiCall {
  method: string; // 'chat.postMessage', ... or 'response_url'
  token: string | null;
  body: Record<string, unknown>;
  at?: number; // when it arrived (Date.now()), for latency benches
}

/** A message as a Slack client would show it (ephemeral ones only to `user`). */
export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs: string | null;
  broadcast: boolean;
  ephemeralTo: string | null;
  text: string;
  blocks: Array<Record<string, unknown>>;
  files?: string[]; // a file share: the file ids (text is the initial comment)
  /** chat.postMessage `metadata` ({ event_type, event_payload }), returned by conversations.history/replies with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A fault on one Web API method (see FakeSlackApi.hang and failAfterEffect). */
interface Fault {
  match: (body: Record<string, unknown>) => boolean;
  /** hang: hold the request this long (ms), or until released; then answer as usual (the post still lands). */
  hangMs?: number;
  released?: Promise<void>;
  /** the post takes effect at once and only the answer is slow */
  storedFirst?: boolean;
  /** answer this HTTP status after the call took effect */
  statusAfter?: number;
}

/**
 * A file upload (files.getUploadURLExternal → POST to upload_url → files.completeUploadExternal),
 * as the fake saw each step.
 */
export interface FakeUpload {
  fileId: string;
  filename: string; // as announced to files.getUploadURLExternal
  length: number; // the length announced there
  uploadUrl: string;
  /** The POST to upload_url: how many bytes arrived, the first 16, how they were sent. */
  received: { bytes: number; head: Buffer; encoding: 'multipart' | 'raw'; field: string | null; contentType: string } | null;
  /** files.completeUploadExternal: where the file was shared (channel null: private to the uploader). */
  completed: { channel: string | null; threadTs: string | null; initialComment: string | null; title: string | null; messageTs: string | null } | null;
}

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/**
 * A fake Slack on loopback: the Web API (`/api/<method>`, form-encoded or JSON, token in the
 * Authorization header), response_url endpoints, and the Socket Mode WebSocket that
 * apps.connections.open points at. Records every call with its token; can be told to fail.
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly messages: FakeMessage[] = [];
  /** Payloads refused for breaking a Block Kit limit (test/limits/block-kit.ts), as Slack refuses them: invalid_blocks. */
  readonly limitViolations: Array<{ method: string; violation: string }> = [];
  readonly views: Array<Record<string, unknown>> = [];
  readonly acks: SocketAck[] = [];
  readonly uploads: FakeUpload[] = [];
  readonly sockets: WebSocket[] = [];
  /** Calls and Socket Mode acks in the order they arrived: `call:chat.postMessage`, `ack:<envelope id>`. */
  readonly timeline: string[] = [];
  private readonly holds = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, string[]>();
  private readonly httpFailures = new Map<string, Array<{ status: number; retryAfterSec?: number }>>();
  private readonly uploadFailures: number[] = [];
  private readonly responseUrls = new Map<string, { channel: string; user: string; messageTs: string | null }>();
  private readonly ackWaiters = new Map<string, (a: SocketAck) => void>();
  private connectWaiters: Array<() => void> = [];
  private callWaiters: Array<() => void> = [];
  private readonly faults = new Map<string, Fault[]>();
  private seq = 0;
  private refusedSockets = 0;
  private wss!: WebSocketServer;

  private constructor(private readonly server: Server, readonly tokens: { bot: string; app?: string }, private readonly now?: () => number) {}

  /** opts.now: message ts follow this clock (seconds, as Slack's do), so `oldest`/`latest` windows match the bot's time. */
  static async start(tokens: { bot: string; app?: string }, opts: { now?: () => number } = {}): Promise<FakeSlackApi> {
    let api: FakeSlackApi | null = null;
    const server = createServer((req, res) => void api!.handle(req, res));
    api = new FakeSlackApi(server, tokens, opts.now);
    // A connection attempt while refusing (drop) is answered 503, as a Slack edge in trouble does.
    api.wss = new WebSocketServer({
      server, path: '/link/',
      verifyClient: (_info, done) => (api!.refusedSockets > 0 ? (api!.refusedSockets--, done(false, 503)) : done(true)),
    });
    api.wss.on('connection', (ws) => api!.onSocket(ws));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** SLACK_API_URL for the app under test (Bolt's WebClient expects the `/api/` suffix). */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A response_url for a command (no message) or for an interaction with a message (replace_original replaces it). */
  responseUrl(channel: string, user: string, messageTs: string | null = null): string {
    const id = `r${++this.seq}`;
    this.responseUrls.set(id, { channel, user, messageTs });
    return `${this.base}/response/${id}`;
  }

  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  /** The next `times` calls of `method` answer HTTP `status` (429 with Retry-After, 500, 503...) as Slack does under load. */
  failHttp(method: string, status: number, times = 1, retryAfterSec?: number): void {
    const entry = { status, ...(retryAfterSec !== undefined ? { retryAfterSec } : {}) };
    this.httpFailures.set(method, [...(this.httpFailures.get(method) ?? []), ...Array(times).fill(entry)]);
  }

  fail(method: string, error = 'internal_error', times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<string>(times).fill(error)]);
  }

  /** The next `times` POSTs to an upload_url answer HTTP `status` (as files.slack.com does when it is in trouble). */
  failUpload(status = 500, times = 1): void {
    this.uploadFailures.push(...Array<number>(times).fill(status));
  }

  /** Uploads that were completed (shared), in order. */
  completedUploads(): Array<FakeUpload & { completed: NonNullable<FakeUpload['completed']>; received: NonNullable<FakeUpload['received']> }> {
    return this.uploads.filter((u): u is FakeUpload & { completed: NonNullable<FakeUpload['completed']>; received: NonNullable<FakeUpload['received']> } => u.completed !== null && u.received !== null);
  }

  /** Resolves when `method` has been called `n` times. */
  async called(method: string, n = 1): Promise<void> {
    while (this.callsTo(method).length < n) await new Promise<void>((r) => this.callWaiters.push(r));
  }

  /**
   * The next call of `method` whose body matches hangs: for `ms`, or (no ms) until the returned function is called.
   * Then it is answered as usual, and a post lands even if the client gave up meanwhile (Slack does not know it did).
   * storedFirst: the post takes effect at once and only its answer hangs.
   */
  hang(method: string, opts: { ms?: number; match?: (body: Record<string, unknown>) => boolean; storedFirst?: boolean } = {}): () => void {
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    this.addFault(method, { match: opts.match ?? (() => true), ...(opts.ms !== undefined ? { hangMs: opts.ms } : { released }), ...(opts.storedFirst ? { storedFirst: true } : {}) });
    return () => release();
  }

  /** The next `times` matching calls of `method` take effect (a post is stored), then answer HTTP `status` (a 5xx after success). */
  failAfterEffect(method: string, status = 500, times = 1, match: (body: Record<string, unknown>) => boolean = () => true): void {
    for (let i = 0; i < times; i++) this.addFault(method, { match, statusAfter: status });
  }

  private addFault(method: string, f: Fault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), f]);
  }

  /** Holds the next call of `method` unanswered until the returned function is called. */
  hold(method: string): () => void {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((r) => { release = r; }));
    return () => release();
  }

  /** Where a response_url posts (the channel and user it was made for). */
  responseTarget(id: string): { channel: string; user: string } | undefined {
    return this.responseUrls.get(id);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  channelMessages(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.ephemeralTo === null);
  }

  ephemeralFor(user: string): FakeMessage[] {
    return this.messages.filter((m) => m.ephemeralTo === user);
  }

  private nextTs(): string {
    const sec = this.now ? Math.floor(this.now() / 1000) : 1764482400;
    return `${sec}.${String(++this.seq).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', this.base);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const upload = /^\/upload\/v1\/([\w-]+)$/.exec(url.pathname);
    if (upload) return this.onUpload(req, bytes, url.href, res);
    const resp = /^\/response\/(\w+)$/.exec(url.pathname);
    if (resp) return this.onResponseUrl(resp[1]!, JSON.parse(raw) as Record<string, unknown>, json);
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!api || req.method !== 'POST') return json(404, { ok: false, error: 'unknown_method' });
    const body = decodeBody(raw, req.headers['content-type'] ?? '');
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const token = auth?.[1] ?? (typeof body.token === 'string' ? body.token : null);
    const method = api[1]!;
    this.calls.push({ method, token, body, at: Date.now() });
    this.timeline.push(`call:${method}`);
    for (const w of this.callWaiters.splice(0)) w();
    const held = this.holds.get(method);
    if (held) {
      this.holds.delete(method);
      await held;
    }
    const list = this.faults.get(method) ?? [];
    const fault = list.find((f) => f.match(body));
    if (fault) {
      list.splice(list.indexOf(fault), 1);
      const answerNow = fault.storedFirst ? this.answer(method, body) : null; // stored before the wait
      if (fault.hangMs !== undefined) await new Promise((r) => setTimeout(r, fault.hangMs));
      if (fault.released) await fault.released;
      const result = answerNow ?? (token === this.tokens.bot ? this.answer(method, body) : { ok: false, error: 'invalid_auth' });
      if (fault.statusAfter !== undefined) {
        res.writeHead(fault.statusAfter, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ok: false, error: 'internal_error' }));
        return;
      }
      if (!res.destroyed) json(200, result);
      return;
    }
    const http = this.httpFailures.get(method)?.shift();
    if (http) {
      res.writeHead(http.status, { 'content-type': 'application/json; charset=utf-8', ...(http.retryAfterSec !== undefined ? { 'retry-after': String(http.retryAfterSec) } : {}) });
      res.end(JSON.stringify({ ok: false, error: http.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const queued = this.failures.get(method);
    if (queued?.length) return json(200, { ok: false, error: queued.shift() });
    if (method === 'apps.connections.open') {
      if (!this.tokens.app || token !== this.tokens.app) return json(200, { ok: false, error: 'invalid_auth' });
      return json(200, { ok: true, url: `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=${randomUUID()}&app_id=A1` });
    }
    if (token !== this.tokens.bot) return json(200, { ok: false, error: 'invalid_auth' });
    return json(200, this.answer(method, body));
  }

  private answer(method: string, b: Record<string, unknown>): Record<string, unknown> {
    const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : null);
    const violation = method === 'chat.postMessage' || method === 'chat.postEphemeral' ? messageViolation({ text: b.text, blocks: b.blocks })
      : method === 'views.open' ? modalViolation(b.view) : null;
    if (violation) {
      this.limitViolations.push({ method, violation });
      return { ok: false, error: 'invalid_blocks', errors: [violation] };
    }
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'pboc-bot', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        if (!s('channel')) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        const m: FakeMessage = { channel: s('channel')!, ts, threadTs: s('thread_ts'), broadcast: b.reply_broadcast === true || b.reply_broadcast === 'true', ephemeralTo: null, text: s('text') ?? '', blocks: (b.blocks as FakeMessage['blocks']) ?? [] };
        const meta = b.metadata as FakeMessage['metadata'] | undefined;
        if (meta && typeof meta === 'object' && typeof meta.event_type === 'string') m.metadata = { event_type: meta.event_type, event_payload: meta.event_payload ?? {} };
        this.messages.push(m);
        return { ok: true, channel: m.channel, ts, message: { type: 'message', text: m.text, ts } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        // history: the channel's top-level messages (and thread replies sent to the channel); replies: a thread, parent first.
        const channel = s('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const parent = s('ts');
        if (method === 'conversations.replies' && !parent) return { ok: false, error: 'thread_not_found' };
        const num = (x: string | null, d: number) => (x === null || x === '' ? d : Number(x));
        const [oldest, latest] = [num(s('oldest'), 0), num(s('latest'), Infinity)];
        const withMeta = b.include_all_metadata === true || b.include_all_metadata === 'true' || b.include_all_metadata === '1';
        const inView = this.channelMessages(channel).filter((m) => (method === 'conversations.history' ? m.threadTs === null || m.broadcast : m.ts === parent || m.threadTs === parent));
        const shown = inView.filter((m) => (Number(m.ts) > oldest && Number(m.ts) < latest) || m.ts === parent);
        const out = shown.map((m) => ({
          type: 'message', ts: m.ts, text: m.text, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
        }));
        return { ok: true, messages: method === 'conversations.history' ? out.reverse() : out, has_more: false };
      }
      case 'chat.postEphemeral': {
        const ts = this.nextTs();
        this.messages.push({ channel: s('channel') ?? '', ts, threadTs: s('thread_ts'), broadcast: false, ephemeralTo: s('user'), text: s('text') ?? '', blocks: (b.blocks as FakeMessage['blocks']) ?? [] });
        return { ok: true, message_ts: ts };
      }
      case 'files.getUploadURLExternal': {
        // Form-encoded by the WebClient: length arrives as a string.
        const length = Number(b.length);
        if (!s('filename')) return { ok: false, error: 'invalid_arguments' };
        if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const fileId = `F${String(++this.seq).padStart(10, '0')}`;
        const uploadUrl = `${this.base}/upload/v1/${randomUUID()}`;
        this.uploads.push({ fileId, filename: s('filename')!, length, uploadUrl, received: null, completed: null });
        return { ok: true, upload_url: uploadUrl, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(b.files) ? (b.files as Array<{ id?: unknown; title?: unknown }>) : null;
        if (!files?.length) return { ok: false, error: 'invalid_arguments' };
        if (s('thread_ts') && !s('channel_id')) return { ok: false, error: 'invalid_arguments' };
        const found = files.map((f) => this.uploads.find((u) => u.fileId === f.id && u.received !== null && u.completed === null));
        if (found.some((u) => !u)) return { ok: false, error: 'file_not_found' };
        const channel = s('channel_id');
        const messageTs = channel ? this.nextTs() : null;
        if (channel) {
          this.messages.push({ channel, ts: messageTs!, threadTs: s('thread_ts'), broadcast: false, ephemeralTo: null, text: s('initial_comment') ?? '', blocks: [], files: found.map((u) => u!.fileId) });
        }
        found.forEach((u, i) => {
          const title = typeof files[i]!.title === 'string' ? (files[i]!.title as string) : null;
          u!.completed = { channel, threadTs: s('thread_ts'), initialComment: s('initial_comment'), title, messageTs };
        });
        return { ok: true, files: found.map((u, i) => ({ id: u!.fileId, name: u!.filename, title: files[i]!.title ?? u!.filename, size: u!.received!.bytes, channels: channel ? [channel] : [] })) };
      }
      case 'views.open': {
        const id = `V${++this.seq}`;
        const view = { ...(b.view as Record<string, unknown>), id, team_id: 'T1', state: { values: {} }, hash: `h${this.seq}`, app_id: 'A1', bot_id: 'BBOT', root_view_id: id, previous_view_id: null };
        this.views.push(view);
        return { ok: true, view };
      }
      default:
        return { ok: true };
    }
  }

  /**
   * A POST to an upload_url. Slack takes the bytes raw or as multipart/form-data; @slack/web-api
   * sends a form with one file field (`body`). The URL itself is the credential: no token needed.
   */
  private async onUpload(req: IncomingMessage, bytes: Buffer, href: string, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'] ?? '';
    this.calls.push({ method: 'upload', token: /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null, body: { url: href, contentType, bytes: bytes.length } });
    this.timeline.push('call:upload');
    for (const w of this.callWaiters.splice(0)) w();
    const text = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    const target = this.uploads.find((u) => u.uploadUrl === href);
    if (!target || req.method !== 'POST') return text(404, 'Not Found');
    const failure = this.uploadFailures.shift();
    if (failure !== undefined) return text(failure, 'Internal Server Error');
    let data = bytes;
    let field: string | null = null;
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
      const entry = [...form.entries()].find(([, v]) => typeof v !== 'string');
      if (!entry) return text(400, 'no file in form');
      field = entry[0];
      data = Buffer.from(await (entry[1] as Blob).arrayBuffer());
    }
    target.received = { bytes: data.length, head: data.subarray(0, 16), encoding: field === null ? 'raw' : 'multipart', field, contentType };
    text(200, `OK - ${data.length}`);
  }

  private onResponseUrl(id: string, body: Record<string, unknown>, json: (status: number, body: unknown) => void): void {
    const target = this.responseUrls.get(id);
    this.calls.push({ method: 'response_url', token: null, body: { ...body, id }, at: Date.now() });
    const violation = messageViolation({ text: body.text, blocks: body.blocks });
    if (violation) {
      this.limitViolations.push({ method: 'response_url', violation });
      return json(400, { ok: false, error: 'invalid_blocks' });
    }
    if (!target) return json(404, { ok: false, error: 'expired_url' });
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = (body.blocks as FakeMessage['blocks']) ?? [];
    const ephemeral = body.response_type !== 'in_channel';
    const existing = target.messageTs ? this.messages.find((m) => m.ts === target.messageTs) : undefined;
    if (body.replace_original === true && existing) {
      Object.assign(existing, { text, blocks });
    } else {
      this.messages.push({ channel: target.channel, ts: this.nextTs(), threadTs: null, broadcast: false, ephemeralTo: ephemeral ? target.user : null, text, blocks });
    }
    json(200, { ok: true });
  }

  // ---- Socket Mode ----

  private onSocket(ws: WebSocket): void {
    this.sockets.push(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as SocketAck;
      this.acks.push(msg);
      this.timeline.push(`ack:${msg.envelope_id}`);
      this.ackWaiters.get(msg.envelope_id)?.(msg);
      this.ackWaiters.delete(msg.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A1' } }));
    for (const w of this.connectWaiters) w();
    this.connectWaiters = [];
  }

  /** Resolves once `n` Socket Mode connections have been made (each sent `hello`). */
  async connections(n: number): Promise<void> {
    while (this.sockets.length < n) await new Promise<void>((resolve) => this.connectWaiters.push(resolve));
  }

  /** Asks the connected client to reconnect, as Slack does every few hours (`type: disconnect`). */
  disconnect(reason = 'refresh_requested'): void {
    for (const ws of this.sockets) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  /**
   * The network drops every Socket Mode connection at once (no `disconnect` message first, unlike `disconnect()`);
   * the next `refuse` attempts to connect again are answered 503.
   */
  drop(refuse = 0): void {
    this.refusedSockets += refuse;
    for (const ws of this.sockets) if (ws.readyState === ws.OPEN) ws.terminate();
  }

  /** Sends an envelope to the connected client; resolves with the client's ack `{ envelope_id, payload? }`. */
  async envelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, extra: Record<string, unknown> = {}): Promise<SocketAck> {
    const ws = [...this.sockets].reverse().find((s) => s.readyState === s.OPEN);
    if (!ws) throw new Error('no Socket Mode client connected');
    const envelope_id = randomUUID();
    const acked = new Promise<SocketAck>((resolve) => this.ackWaiters.set(envelope_id, resolve));
    ws.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api', ...extra }));
    return acked;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'files']);

/** Form-encoded Web API bodies carry JSON in some fields (blocks, view); decode those too. */
function decodeBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.has(k) ? tryJson(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

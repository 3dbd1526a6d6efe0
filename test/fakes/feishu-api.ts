import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, headerOf, type Frame } from './feishu-frames.ts';
import { feishuMessageViolation } from '../limits/feishu-card.ts';

/** One request the fake open API received. */
export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
}

/** A message the bot sent, created, replied or patched. */
export interface SentMessage {
  op: 'create' | 'reply' | 'patch';
  messageId: string; // the new message's id (create, reply) or the patched one's
  target: string; // chat id (create), parent message id (reply), patched message id (patch)
  msgType: string;
  content: Record<string, unknown>; // parsed content: { text }, a card, or { file_key }
  replyInThread: boolean;
  uuid?: string;
  receiveIdType?: string; // create: chat_id, or open_id for a direct message to one user
}

/** A file the bot uploaded (im.file.create, multipart/form-data), as the fake parsed it. */
export interface Upload {
  fileKey: string;
  fileType: string;
  fileName: string;
  data: Uint8Array;
  partFilename?: string; // the file part's own filename="..." (the SDK sends a Buffer without one)
  partContentType?: string;
}

/** im.file.create's file_type values. */
const FILE_TYPES = new Set(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);
const MAX_UPLOAD = 30 * 1024 * 1024;

interface Part { data: Buffer; filename?: string; contentType?: string }

/** The parts of a multipart/form-data body by field name, or null when it is not well formed. */
export function parseMultipart(raw: Buffer, contentType: string): Map<string, Part> | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return null;
  const delim = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  const parts = new Map<string, Part>();
  let pos = raw.indexOf(delim);
  if (pos !== 0) return null;
  pos += delim.length;
  for (;;) {
    const after = raw.subarray(pos, pos + 2).toString('latin1');
    if (after === '--') return parts;
    if (after !== '\r\n') return null;
    const headEnd = raw.indexOf('\r\n\r\n', pos + 2);
    if (headEnd < 0) return null;
    const head = raw.subarray(pos + 2, headEnd).toString('utf8');
    const end = raw.indexOf(between, headEnd + 4);
    if (end < 0) return null;
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(head)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return null;
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    const type = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    parts.set(name, { data: raw.subarray(headEnd + 4, end), ...(filename !== undefined ? { filename } : {}), ...(type ? { contentType: type } : {}) });
    pos = end + between.length;
  }
}

/** A response frame the bot sent back over the long connection. */
export interface WsAnswer {
  frame: Frame;
  code: number;
  data: unknown; // the handler's result, decoded from base64 JSON
}

/**
 * The Feishu open API on loopback, speaking the real HTTP protocol to the real SDK: tenant token, bot info,
 * message create/reply/patch, file upload (multipart), the long-connection endpoint and a WebSocket that speaks pbbp2 frames.
 * Records every call; can be told to fail the next calls to a path (before or after they take effect);
 * de-duplicates message uuids as Feishu does.
 */
export class FakeFeishuApi {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly uploads: Upload[] = [];
  readonly framesIn: Frame[] = [];
  tenantToken = 't-fake0tenant0token0for0tests';
  botOpenId = 'ou_bot';
  wsTicket = 'wsticket-secret-0001';
  /** What the long-connection endpoint tells the client: ping every 120 s; after a drop, one reconnect 120 s later. */
  clientConfig = { PingInterval: 120, ReconnectCount: 1, ReconnectInterval: 120, ReconnectNonce: 1 };
  /** What each pong tells it (the SDK takes these over): reconnect for ever, 120 s apart, within 30 s of a drop. */
  pongConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 };
  private nextId = 1;
  private nextFile = 1;
  /** How long Feishu keeps a create/reply uuid for de-duplication; `now` is the fake's clock for it. */
  uuidTtlMs = 3_600_000;
  now: () => number = Date.now;
  /** Creates and replies that repeated a uuid Feishu had taken: answered with the first message, nothing posted. */
  readonly duplicates: Array<{ uuid: string; messageId: string }> = [];
  /** Messages refused for breaking a documented limit (test/limits/feishu-card.ts), as Feishu refuses them. */
  readonly limitViolations: Array<{ op: string; violation: string }> = [];
  private failures: Failure[] = [];
  private hangs: Array<{ path: RegExp; released: Promise<void> }> = [];
  private uuids = new Map<string, { messageId: string; msgType: string; at: number }>();
  private sockets = new Set<WebSocket>();
  private waiting = new Map<string, (a: WsAnswer) => void>();
  private connected: Array<{ n: number; resolve: () => void }> = [];
  private connections = 0;
  private wss: WebSocketServer;

  private constructor(private readonly server: Server, readonly appId: string, readonly appSecret: string) {
    this.wss = new WebSocketServer({ noServer: true });
    server.on('request', (req, res) => void this.route(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (!(req.url ?? '').startsWith('/callback/ws')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(appId: string, appSecret: string): Promise<FakeFeishuApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new FakeFeishuApi(server, appId, appSecret);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * The next call whose path matches (the next `times` calls) answers `status` with `code`, with
   * x-ogw-ratelimit-reset when `resetSeconds` is given. `afterCommit`: the call takes effect first (the message
   * is posted), and only its answer is the failure, as when Feishu's answer is lost on the way back.
   */
  failNext(path: RegExp, status = 500, code = 99991400, o: { times?: number; resetSeconds?: number; afterCommit?: boolean } = {}): void {
    this.failures.push({ path, status, code, times: o.times ?? 1, ...(o.resetSeconds !== undefined ? { resetSeconds: o.resetSeconds } : {}), afterCommit: o.afterCommit ?? false });
  }

  /**
   * The next call whose path matches hangs until the returned function is called, then is handled as usual (a
   * message lands even if the client stopped waiting: Feishu does not know it did).
   */
  hang(path: RegExp): () => void {
    let release!: () => void;
    this.hangs.push({ path, released: new Promise<void>((r) => { release = r; }) });
    return () => release();
  }

  /** Drops every failure not yet used. */
  clearFailures(): void {
    this.failures = [];
  }

  /** The calls made to paths matching `path`, oldest first. */
  callsTo(path: RegExp, method = 'POST'): ApiCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  messagesTo(op: SentMessage['op']): SentMessage[] {
    return this.sent.filter((m) => m.op === op);
  }

  last(): SentMessage {
    const m = this.sent.at(-1);
    if (!m) throw new Error('fake feishu: nothing was sent');
    return m;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the long connection ----

  /** Resolves once a client holds an open WebSocket; with `n`, once the n-th socket since the start has opened. */
  whenConnected(n?: number): Promise<void> {
    const done = n === undefined ? this.sockets.size > 0 : this.connections >= n;
    return done ? Promise.resolve() : new Promise((resolve) => this.connected.push({ n: n ?? this.connections + 1, resolve }));
  }

  /** Drops every long connection, as Feishu does when its gateway restarts (the client reconnects by itself). */
  disconnect(): void {
    for (const s of this.sockets) s.terminate();
  }

  /** Pushes one event (a JSON payload) as a data frame and resolves with the client's response frame. */
  pushEvent(payload: unknown, messageId: string): Promise<WsAnswer> {
    const socket = [...this.sockets][0];
    if (!socket) throw new Error('fake feishu: no long connection');
    const frame: Frame = {
      SeqID: 1, LogID: 1, service: 33, method: 1,
      headers: [
        { key: 'type', value: 'event' }, { key: 'message_id', value: messageId }, { key: 'sum', value: '1' },
        { key: 'seq', value: '0' }, { key: 'trace_id', value: `trace-${messageId}` },
      ],
      payload: new TextEncoder().encode(JSON.stringify(payload)),
    };
    return new Promise((resolve) => {
      this.waiting.set(messageId, resolve);
      socket.send(encodeFrame(frame));
    });
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data: Buffer) => {
      const frame = decodeFrame(new Uint8Array(data));
      this.framesIn.push(frame);
      const type = headerOf(frame, 'type');
      if (frame.method === 0 && type === 'ping') {
        ws.send(encodeFrame({ ...frame, headers: [{ key: 'type', value: 'pong' }], payload: new TextEncoder().encode(JSON.stringify(this.pongConfig)) }));
        return;
      }
      const id = headerOf(frame, 'message_id');
      const resolve = id ? this.waiting.get(id) : undefined;
      if (!id || !resolve) return;
      this.waiting.delete(id);
      const answer = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as { code: number; data?: string };
      resolve({ frame, code: answer.code, data: answer.data ? JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8')) : undefined });
    });
    this.connections += 1;
    for (const w of this.connected.splice(0)) {
      if (this.connections >= w.n) w.resolve();
      else this.connected.push(w);
    }
  }

  // ---- HTTP ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const contentType = req.headers['content-type'] ?? '';
    const isMultipart = /^multipart\/form-data\b/i.test(contentType);
    const multipart = isMultipart ? parseMultipart(bytes, contentType) : null;
    const raw = isMultipart ? '' : bytes.toString('utf8');
    const fields = multipart
      ? Object.fromEntries([...multipart].map(([k, v]) => [k, v.filename !== undefined || k === 'file' ? { bytes: v.data.length } : v.data.toString('utf8')]))
      : undefined;
    const call: ApiCall = {
      method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization, body: fields ?? (raw ? (JSON.parse(raw) as unknown) : undefined),
    };
    this.calls.push(call);
    const hung = this.hangs.findIndex((x) => x.path.test(call.path));
    if (hung >= 0) await this.hangs.splice(hung, 1)[0]!.released;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const f = this.takeFailure(call.path);
    const failed = (x: Failure) => answer(x.status, { code: x.code, msg: 'injected failure' }, x.resetSeconds !== undefined ? { 'x-ogw-ratelimit-reset': String(x.resetSeconds) } : {});
    if (f && !f.afterCommit) return failed(f);
    // A failure after the commit: the route does its work, and its answer is replaced.
    const reply = f ? () => failed(f) : (status: number, body: unknown) => answer(status, body);
    const body = (call.body ?? {}) as Record<string, unknown>;
    const p = call.path;
    if (req.method === 'POST' && p === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body.app_id !== this.appId || body.app_secret !== this.appSecret) return reply(200, { code: 10014, msg: 'app secret invalid' });
      return reply(200, { code: 0, msg: 'ok', tenant_access_token: this.tenantToken, expire: 7200 });
    }
    if (req.method === 'POST' && p === '/callback/ws/endpoint') {
      if (body.AppID !== this.appId || body.AppSecret !== this.appSecret) return reply(200, { code: 514, msg: 'auth failed', data: {} });
      const URL = `${this.url.replace('http', 'ws')}/callback/ws?device_id=dev1&service_id=33&ticket=${this.wsTicket}`;
      return reply(200, { code: 0, msg: 'ok', data: { URL, ClientConfig: this.clientConfig } });
    }
    if (call.authorization !== `Bearer ${this.tenantToken}`) return reply(401, { code: 99991663, msg: 'Invalid access token for authorization' });
    if (req.method === 'GET' && p === '/open-apis/bot/v3/info') return reply(200, { code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: 'PBoC incident bot' } });
    if (req.method === 'POST' && p === '/open-apis/im/v1/files') {
      if (!multipart) return reply(400, { code: 234001, msg: 'Invalid request param: not a well-formed multipart/form-data body' });
      const fileType = multipart.get('file_type')?.data.toString('utf8') ?? '';
      const fileName = multipart.get('file_name')?.data.toString('utf8') ?? '';
      const file = multipart.get('file');
      if (!FILE_TYPES.has(fileType)) return reply(400, { code: 234001, msg: `Invalid request param: file_type ${fileType}` });
      if (!fileName) return reply(400, { code: 234001, msg: 'Invalid request param: file_name' });
      if (!file || file.data.length === 0) return reply(400, { code: 234010, msg: 'File cannot be empty' });
      if (file.data.length > MAX_UPLOAD) return reply(400, { code: 234006, msg: 'The file size exceed the max value' });
      const fileKey = `file_v3_fake_${String(this.nextFile++).padStart(4, '0')}`;
      this.uploads.push({
        fileKey, fileType, fileName, data: new Uint8Array(file.data),
        ...(file.filename !== undefined ? { partFilename: file.filename } : {}), ...(file.contentType ? { partContentType: file.contentType } : {}),
      });
      return reply(200, { code: 0, msg: 'success', data: { file_key: fileKey } });
    }
    const replyTo = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p);
    const one = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(p);
    if (req.method === 'POST' && (p === '/open-apis/im/v1/messages' || replyTo)) {
      if (typeof body.content !== 'string' || typeof body.msg_type !== 'string') return reply(400, { code: 230001, msg: 'invalid content' });
      if (!replyTo && ((call.query.receive_id_type !== 'chat_id' && call.query.receive_id_type !== 'open_id') || typeof body.receive_id !== 'string')) return reply(400, { code: 230001, msg: 'invalid receive_id' });
      const violation = feishuMessageViolation(body.msg_type, body.content);
      if (violation) {
        this.limitViolations.push({ op: replyTo ? 'reply' : 'create', violation });
        return reply(400, { code: 230025, msg: `message content too long or invalid: ${violation}` });
      }
      if (body.msg_type === 'file') {
        const key = (JSON.parse(body.content) as { file_key?: unknown }).file_key;
        if (!this.uploads.some((u) => u.fileKey === key)) return reply(400, { code: 230001, msg: 'invalid file_key' });
      }
      // Feishu posts at most one message per uuid within an hour, and answers a repeat with that message.
      const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
      if (uuid !== undefined && uuid.length > 50) return reply(400, { code: 230001, msg: 'invalid uuid: longer than 50 characters' });
      const taken = uuid !== undefined ? this.uuids.get(uuid) : undefined;
      if (uuid !== undefined && taken && this.now() - taken.at < this.uuidTtlMs) {
        this.duplicates.push({ uuid, messageId: taken.messageId });
        return reply(200, { code: 0, msg: 'success', data: { message_id: taken.messageId, msg_type: taken.msgType } });
      }
      const messageId = `om_${String(this.nextId++).padStart(4, '0')}`;
      if (uuid !== undefined) this.uuids.set(uuid, { messageId, msgType: body.msg_type, at: this.now() });
      this.sent.push({
        op: replyTo ? 'reply' : 'create', messageId, target: replyTo ? replyTo[1]! : (body.receive_id as string), msgType: body.msg_type,
        ...(!replyTo ? { receiveIdType: call.query.receive_id_type } : {}),
        content: JSON.parse(body.content) as Record<string, unknown>, replyInThread: body.reply_in_thread === true,
        ...(typeof body.uuid === 'string' ? { uuid: body.uuid } : {}),
      });
      return reply(200, { code: 0, msg: 'success', data: { message_id: messageId, msg_type: body.msg_type } });
    }
    if (req.method === 'PATCH' && one) {
      if (typeof body.content !== 'string') return reply(400, { code: 230001, msg: 'invalid content' });
      const violation = feishuMessageViolation('interactive', body.content);
      if (violation) {
        this.limitViolations.push({ op: 'patch', violation });
        return reply(400, { code: 230025, msg: `message content too long or invalid: ${violation}` });
      }
      this.sent.push({ op: 'patch', messageId: one[1]!, target: one[1]!, msgType: 'interactive', content: JSON.parse(body.content) as Record<string, unknown>, replyInThread: false });
      return reply(200, { code: 0, msg: 'success', data: {} });
    }
    return reply(404, { code: 404, msg: `fake feishu: no route ${req.method} ${p}` });
  }

  /** Uses up one call of the first failure that matches `path`. */
  private takeFailure(path: string): Failure | undefined {
    const i = this.failures.findIndex((x) => x.path.test(path));
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (--f.times <= 0) this.failures.splice(i, 1);
    return f;
  }
}

interface Failure { path: RegExp; status: number; code: number; times: number; resetSeconds?: number; afterCommit: boolean }

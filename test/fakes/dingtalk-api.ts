import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseMultipart } from './feishu-api.ts';

/** One HTTP request the fake received. */
export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  token: string | undefined; // x-acs-dingtalk-access-token
  body: unknown;
}

/** What the robot posted: a message (group or one-to-one), a card, or a card update. */
export interface SentMessage {
  op: 'group' | 'user' | 'card' | 'update';
  target: string; // openConversationId, userId, openSpaceId (card) or outTrackId (update)
  msgKey?: string;
  content: Record<string, unknown>; // msgParam parsed, or the card's cardParamMap
  outTrackId?: string;
  atUserIds?: Record<string, string>;
}

/** A frame the client sent back over the stream (an ack, or the answer to a ping). */
export interface ClientFrame {
  code: number;
  headers: Record<string, string>;
  message: string;
  data: string;
}

// DingTalk's limits as the fake enforces them.
const MAX_TEXT = 5000; // sampleText content
const MSG_KEYS = new Set(['sampleText', 'sampleMarkdown', 'sampleFile', 'sampleLink', 'sampleActionCard']);
const FILE_TYPES = new Set(['docx', 'doc', 'pdf', 'xlsx', 'xls', 'pptx', 'zip', 'rar']);
const MAX_UPLOAD = 20 * 1024 * 1024;

interface Failure { path: RegExp; status: number; code: string; times: number }

/**
 * DingTalk on loopback for the real dingtalk-stream SDK and the adapter's OpenAPI calls: the Stream gateway
 * (POST /v1.0/gateway/connections/open -> endpoint + ticket), the WebSocket that speaks the stream frames (SYSTEM
 * ping/disconnect, CALLBACK frames, the client's ack frames), the access token (POST /v1.0/oauth2/accessToken),
 * robot sends, card create/update, and media upload. Records every call and frame; can fail the next calls to a path.
 */
export class FakeDingtalk {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly framesIn: ClientFrame[] = [];
  readonly uploads: Array<{ mediaId: string; name: string; bytes: number }> = [];
  readonly tickets: string[] = [];
  /** Subscriptions each gateway request asked for. */
  readonly subscriptions: unknown[] = [];
  accessToken = `fake-access-token-${randomBytes(8).toString('hex')}`;
  connections = 0;
  private readonly cards = new Set<string>();
  private failures: Failure[] = [];
  private sockets = new Set<WebSocket>();
  private waiting = new Map<string, (f: ClientFrame) => void>();
  private connected: Array<() => void> = [];
  private seq = 1;
  private wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly server: Server, readonly clientId: string, readonly clientSecret: string, readonly robotCode: string) {
    server.on('request', (req, res) => void this.route(req, res));
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', this.url);
      if (url.pathname !== '/connect' || !this.tickets.includes(url.searchParams.get('ticket') ?? '')) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(clientId: string, clientSecret: string, robotCode = clientId): Promise<FakeDingtalk> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new FakeDingtalk(server, clientId, clientSecret, robotCode);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` calls whose path matches answer HTTP `status` with DingTalk's error body `{code, message}`. */
  failNext(path: RegExp, status = 500, code = 'ServiceUnavailable', times = 1): void {
    this.failures.push({ path, status, code, times });
  }

  last(): SentMessage {
    const m = this.sent.at(-1);
    if (!m) throw new Error('fake dingtalk: nothing was sent');
    return m;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the stream ----

  /** Resolves once `n` connections have been opened in all (1: the first). */
  whenConnected(n = 1): Promise<void> {
    if (this.connections >= n && this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.connected.push(() => { if (this.connections >= n) resolve(); else void this.whenConnected(n).then(resolve); }));
  }

  private send(frame: Record<string, unknown>, messageId: string): Promise<ClientFrame> {
    const socket = [...this.sockets][0];
    if (!socket) throw new Error('fake dingtalk: no stream connection');
    return new Promise((resolve) => {
      this.waiting.set(messageId, resolve);
      socket.send(JSON.stringify(frame));
    });
  }

  private headers(topic: string, messageId: string): Record<string, string> {
    return { appId: 'fake-app', connectionId: `conn-${this.connections}`, contentType: 'application/json', messageId, time: '1700000000000', topic };
  }

  /** Pushes a CALLBACK frame on `topic` carrying `payload` (as the JSON string `data`); resolves with the client's ack frame. */
  pushCallback(topic: string, payload: unknown, messageId = `msg-${this.seq++}`): Promise<ClientFrame> {
    return this.send({ specVersion: '1.0', type: 'CALLBACK', headers: this.headers(topic, messageId), data: JSON.stringify(payload) }, messageId);
  }

  /** A SYSTEM ping; resolves with the client's answer (which must echo its headers and data). */
  ping(): Promise<ClientFrame> {
    const messageId = `ping-${this.seq++}`;
    return this.send({ specVersion: '1.0', type: 'SYSTEM', headers: this.headers('ping', messageId), data: JSON.stringify({ opaque: messageId }) }, messageId);
  }

  /** A SYSTEM disconnect, then the server closes the socket, as DingTalk does before it moves a connection. */
  disconnect(): void {
    for (const s of this.sockets) {
      s.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: this.headers('disconnect', `sys-${this.seq++}`), data: JSON.stringify({ reason: 'server maintenance' }) }));
      s.close(1000, 'disconnect');
    }
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connections++;
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data: Buffer) => {
      let f: ClientFrame;
      try {
        f = JSON.parse(data.toString('utf8')) as ClientFrame;
      } catch {
        ws.close(1003, 'not JSON');
        return;
      }
      this.framesIn.push(f);
      const id = f.headers?.messageId;
      const resolve = id ? this.waiting.get(id) : undefined;
      if (!id || !resolve) return;
      this.waiting.delete(id);
      resolve(f);
    });
    for (const f of this.connected.splice(0)) f();
  }

  // ---- HTTP ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const contentType = req.headers['content-type'] ?? '';
    const multipart = /^multipart\/form-data\b/i.test(contentType) ? parseMultipart(bytes, contentType) : null;
    let body: unknown;
    try {
      body = multipart ? Object.fromEntries([...multipart].map(([k, v]) => [k, v.filename !== undefined ? { bytes: v.data.length } : v.data.toString('utf8')])) : bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const token = req.headers['x-acs-dingtalk-access-token'];
    const call: ApiCall = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), token: Array.isArray(token) ? token[0] : token, body };
    this.calls.push(call);
    const answer = (status: number, b: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(b));
    };
    const error = (status: number, code: string, message: string) => answer(status, { code, requestid: `req-${this.seq++}`, message });
    const f = this.takeFailure(call.path);
    if (f) return error(f.status, f.code, 'injected failure');
    const b = (body ?? {}) as Record<string, unknown>;
    const p = call.path;
    if (req.method === 'POST' && p === '/v1.0/gateway/connections/open') {
      this.subscriptions.push(b.subscriptions);
      if (b.clientId !== this.clientId || b.clientSecret !== this.clientSecret) return error(401, 'InvalidAuthentication', 'clientId or clientSecret is invalid');
      const ticket = `ticket-secret-${randomBytes(6).toString('hex')}`;
      this.tickets.push(ticket);
      return answer(200, { endpoint: `${this.url.replace('http', 'ws')}/connect`, ticket });
    }
    if (req.method === 'POST' && p === '/v1.0/oauth2/accessToken') {
      if (b.appKey !== this.clientId || b.appSecret !== this.clientSecret) return error(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
      return answer(200, { accessToken: this.accessToken, expireIn: 7200 });
    }
    if (req.method === 'POST' && p === '/media/upload') {
      if (call.query.access_token !== this.accessToken) return answer(200, { errcode: 40014, errmsg: '不合法的access_token' });
      const media = multipart?.get('media');
      if (call.query.type !== 'file' || !media || media.filename === undefined) return answer(200, { errcode: 40035, errmsg: '缺少参数 media' });
      const ext = /\.([A-Za-z0-9]+)$/.exec(media.filename)?.[1]?.toLowerCase() ?? '';
      if (!FILE_TYPES.has(ext)) return answer(200, { errcode: 40006, errmsg: '不合法的文件类型' });
      if (media.data.length === 0 || media.data.length > MAX_UPLOAD) return answer(200, { errcode: 40007, errmsg: '不合法的媒体文件大小' });
      const mediaId = `@lAz-fake-${this.uploads.length + 1}`;
      this.uploads.push({ mediaId, name: media.filename, bytes: media.data.length });
      return answer(200, { errcode: 0, errmsg: 'ok', type: 'file', media_id: mediaId, created_at: 1700000000000 });
    }
    if (call.token !== this.accessToken) return error(401, 'InvalidAuthentication', '不合法的access_token');
    if (req.method === 'POST' && (p === '/v1.0/robot/groupMessages/send' || p === '/v1.0/robot/oToMessages/batchSend')) {
      if (b.robotCode !== this.robotCode) return error(400, 'robot.notExist', 'robot 不存在');
      if (typeof b.msgKey !== 'string' || !MSG_KEYS.has(b.msgKey) || typeof b.msgParam !== 'string') return error(400, 'param.invalid', 'msgKey or msgParam');
      let param: Record<string, unknown>;
      try {
        param = JSON.parse(b.msgParam) as Record<string, unknown>;
      } catch {
        return error(400, 'param.invalid', 'msgParam is not JSON');
      }
      if (b.msgKey === 'sampleText' && (typeof param.content !== 'string' || param.content.length > MAX_TEXT)) return error(400, 'param.invalid', 'content');
      if (b.msgKey === 'sampleFile' && !this.uploads.some((u) => u.mediaId === param.mediaId)) return error(400, 'param.invalid', 'mediaId');
      const group = p.endsWith('/send');
      const target = group ? b.openConversationId : (b.userIds as unknown[] | undefined)?.[0];
      if (typeof target !== 'string') return error(400, 'param.invalid', group ? 'openConversationId' : 'userIds');
      this.sent.push({ op: group ? 'group' : 'user', target, msgKey: b.msgKey, content: param });
      return answer(200, group ? { processQueryKey: `pqk-${this.seq++}` } : { processQueryKey: `pqk-${this.seq++}`, invalidStaffIdList: [], flowControlledStaffIdList: [] });
    }
    if (req.method === 'POST' && p === '/v1.0/card/instances/createAndDeliver') {
      const params = (b.cardData as { cardParamMap?: Record<string, unknown> } | undefined)?.cardParamMap;
      if (typeof b.cardTemplateId !== 'string' || typeof b.outTrackId !== 'string' || b.callbackType !== 'STREAM') return error(400, 'param.invalid', 'cardTemplateId, outTrackId, callbackType');
      if (!params || Object.values(params).some((v) => typeof v !== 'string')) return error(400, 'param.invalid', 'cardParamMap values must be strings');
      if (typeof b.openSpaceId !== 'string' || !/^dtv1\.card\/\/IM_(GROUP|ROBOT)\.\S+$/.test(b.openSpaceId)) return error(400, 'param.invalid', 'openSpaceId');
      if (this.cards.has(b.outTrackId)) return error(400, 'param.outTrackIdDuplicate', 'outTrackId 已存在');
      this.cards.add(b.outTrackId);
      const at = (b.imGroupOpenDeliverModel as { atUserIds?: Record<string, string> } | undefined)?.atUserIds;
      this.sent.push({ op: 'card', target: b.openSpaceId, content: params as Record<string, string>, outTrackId: b.outTrackId, ...(at ? { atUserIds: at } : {}) });
      return answer(200, { success: true, result: { outTrackId: b.outTrackId, deliverResults: [{ spaceType: 'IM', spaceId: b.openSpaceId, success: true }] } });
    }
    if (req.method === 'PUT' && p === '/v1.0/card/instances') {
      const params = (b.cardData as { cardParamMap?: Record<string, unknown> } | undefined)?.cardParamMap;
      if (typeof b.outTrackId !== 'string' || !this.cards.has(b.outTrackId)) return error(400, 'param.cardNotExist', 'card not found');
      if (!params || Object.values(params).some((v) => typeof v !== 'string')) return error(400, 'param.invalid', 'cardParamMap values must be strings');
      this.sent.push({ op: 'update', target: b.outTrackId, content: params as Record<string, string>, outTrackId: b.outTrackId });
      return answer(200, { success: true, result: true });
    }
    return error(404, 'NotFound', `fake dingtalk: no route ${req.method} ${p}`);
  }

  private takeFailure(path: string): Failure | undefined {
    const i = this.failures.findIndex((x) => x.path.test(path));
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (--f.times <= 0) this.failures.splice(i, 1);
    return f;
  }
}

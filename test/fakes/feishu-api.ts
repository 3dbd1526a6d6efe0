import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, headerOf, type Frame } from './feishu-frames.ts';

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
  content: Record<string, unknown>; // parsed content: { text } or a card
  replyInThread: boolean;
  uuid?: string;
}

/** A response frame the bot sent back over the long connection. */
export interface WsAnswer {
  frame: Frame;
  code: number;
  data: unknown; // the handler's result, decoded from base64 JSON
}

/**
 * The Feishu open API on loopback, speaking the real HTTP protocol to the real SDK: tenant token, bot info,
 * message create/reply/patch, the long-connection endpoint and a WebSocket that speaks pbbp2 frames.
 * Records every call; can be told to fail the next call to a path.
 */
export class FakeFeishuApi {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly framesIn: Frame[] = [];
  tenantToken = 't-fake0tenant0token0for0tests';
  botOpenId = 'ou_bot';
  wsTicket = 'wsticket-secret-0001';
  private nextId = 1;
  private failures: Array<{ path: RegExp; status: number; code: number }> = [];
  private sockets = new Set<WebSocket>();
  private waiting = new Map<string, (a: WsAnswer) => void>();
  private connected: Array<() => void> = [];
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

  /** The next call whose path matches answers `status` with `code`. */
  failNext(path: RegExp, status = 500, code = 99991400): void {
    this.failures.push({ path, status, code });
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

  /** Resolves once a client holds an open WebSocket. */
  whenConnected(): Promise<void> {
    return this.sockets.size > 0 ? Promise.resolve() : new Promise((resolve) => this.connected.push(resolve));
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
        const pong = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 };
        ws.send(encodeFrame({ ...frame, headers: [{ key: 'type', value: 'pong' }], payload: new TextEncoder().encode(JSON.stringify(pong)) }));
        return;
      }
      const id = headerOf(frame, 'message_id');
      const resolve = id ? this.waiting.get(id) : undefined;
      if (!id || !resolve) return;
      this.waiting.delete(id);
      const answer = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as { code: number; data?: string };
      resolve({ frame, code: answer.code, data: answer.data ? JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8')) : undefined });
    });
    for (const f of this.connected.splice(0)) f();
  }

  // ---- HTTP ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const call: ApiCall = {
      method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization, body: raw ? (JSON.parse(raw) as unknown) : undefined,
    };
    this.calls.push(call);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = this.failures.findIndex((f) => f.path.test(call.path));
    if (fail >= 0) {
      const f = this.failures.splice(fail, 1)[0]!;
      return reply(f.status, { code: f.code, msg: 'injected failure' });
    }
    const body = (call.body ?? {}) as Record<string, unknown>;
    const p = call.path;
    if (req.method === 'POST' && p === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body.app_id !== this.appId || body.app_secret !== this.appSecret) return reply(200, { code: 10014, msg: 'app secret invalid' });
      return reply(200, { code: 0, msg: 'ok', tenant_access_token: this.tenantToken, expire: 7200 });
    }
    if (req.method === 'POST' && p === '/callback/ws/endpoint') {
      if (body.AppID !== this.appId || body.AppSecret !== this.appSecret) return reply(200, { code: 514, msg: 'auth failed', data: {} });
      const URL = `${this.url.replace('http', 'ws')}/callback/ws?device_id=dev1&service_id=33&ticket=${this.wsTicket}`;
      return reply(200, { code: 0, msg: 'ok', data: { URL, ClientConfig: { PingInterval: 120, ReconnectCount: 1, ReconnectInterval: 120, ReconnectNonce: 1 } } });
    }
    if (call.authorization !== `Bearer ${this.tenantToken}`) return reply(401, { code: 99991663, msg: 'Invalid access token for authorization' });
    if (req.method === 'GET' && p === '/open-apis/bot/v3/info') return reply(200, { code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: 'PBoC incident bot' } });
    const replyTo = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p);
    const one = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(p);
    if (req.method === 'POST' && (p === '/open-apis/im/v1/messages' || replyTo)) {
      if (typeof body.content !== 'string' || typeof body.msg_type !== 'string') return reply(400, { code: 230001, msg: 'invalid content' });
      if (!replyTo && (call.query.receive_id_type !== 'chat_id' || typeof body.receive_id !== 'string')) return reply(400, { code: 230001, msg: 'invalid receive_id' });
      const messageId = `om_${String(this.nextId++).padStart(4, '0')}`;
      this.sent.push({
        op: replyTo ? 'reply' : 'create', messageId, target: replyTo ? replyTo[1]! : (body.receive_id as string), msgType: body.msg_type,
        content: JSON.parse(body.content) as Record<string, unknown>, replyInThread: body.reply_in_thread === true,
        ...(typeof body.uuid === 'string' ? { uuid: body.uuid } : {}),
      });
      return reply(200, { code: 0, msg: 'success', data: { message_id: messageId, msg_type: body.msg_type } });
    }
    if (req.method === 'PATCH' && one) {
      if (typeof body.content !== 'string') return reply(400, { code: 230001, msg: 'invalid content' });
      this.sent.push({ op: 'patch', messageId: one[1]!, target: one[1]!, msgType: 'interactive', content: JSON.parse(body.content) as Record<string, unknown>, replyInThread: false });
      return reply(200, { code: 0, msg: 'success', data: {} });
    }
    return reply(404, { code: 404, msg: `fake feishu: no route ${req.method} ${p}` });
  }
}

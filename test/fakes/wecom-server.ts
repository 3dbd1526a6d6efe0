import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// A fake WeCom smart-robot long-connection endpoint on loopback, speaking the frames the official
// @wecom/aibot-node-sdk speaks: JSON { cmd, headers: { req_id }, body } both ways; answers to the client's frames
// carry no cmd, only { headers: { req_id }, errcode, errmsg[, body] }. The client subscribes first
// (aibot_subscribe with bot_id and secret), then pings (cmd "ping") to keep the connection alive.

/** A frame on the wire. */
export interface WireFrame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

/** A message the bot put into a chat, as the fake understood it. */
export interface Outgoing {
  op: 'reply' | 'update' | 'send' | 'welcome';
  cmd: string;
  reqId: string;
  chatId: string; // the chat of the callback replied to, or the push's chatid
  msgtype: string; // stream, stream_with_template_card, template_card, markdown, file, update_template_card
  markdown: string | null; // a stream's or markdown message's content
  card: Record<string, unknown> | null; // a template card (sent, or replacing a clicked one)
  file: { filename: string; data: Buffer } | null;
  body: Record<string, unknown>;
}

interface Callback { chatId: string; cmd: string; taskIds: Set<string>; enterChat?: boolean }

const STREAM_MAX_BYTES = 20_480; // a stream reply's content
const TASK_ID = /^[A-Za-z0-9_\-@]{1,128}$/;
const CHUNK_MAX = 512 * 1024;

let seq = 0;
const reqId = (prefix: string) => `${prefix}_${++seq}_${randomBytes(3).toString('hex')}`;

export class FakeWecomServer {
  readonly framesIn: WireFrame[] = [];
  readonly sent: Outgoing[] = [];
  /** Subscribe attempts, with the credentials each carried. */
  readonly subscribes: Array<{ botId: unknown; secret: unknown; ok: boolean }> = [];
  pings = 0;
  answerPings = true;
  /** Called as each message the bot sent is taken (benches time arrivals with it). */
  onSent: ((m: Outgoing) => void) | null = null;
  connections = 0;
  /** While true, a new connection is closed as soon as it opens (WeCom unreachable): the client keeps trying. */
  refuseConnections = false;
  private socket: WebSocket | null = null;
  private readonly callbacks = new Map<string, Callback>();
  private readonly usedTaskIds = new Set<string>();
  private readonly reachedChats = new Set<string>(); // chats that messaged the bot: only those take a push
  private readonly uploads = new Map<string, { filename: string; total: number; md5: string; chunks: Map<number, Buffer> }>();
  private readonly media = new Map<string, { filename: string; data: Buffer }>();
  private readonly failures: Array<{ cmd: RegExp; errcode: number; errmsg: string }> = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly wss: WebSocketServer, readonly botId: string, readonly secret: string) {
    wss.on('connection', (ws) => this.accept(ws));
  }

  static async start(botId: string, secret: string): Promise<FakeWecomServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new FakeWecomServer(wss, botId, secret);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** The next `times` frames of a command matching `cmd` are answered with this errcode instead of 0. */
  failNext(cmd: RegExp, errcode: number, errmsg: string, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ cmd, errcode, errmsg });
  }

  /** Resolves once the client is subscribed. */
  async subscribed(): Promise<void> {
    while (!this.socket) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private accept(ws: WebSocket): void {
    this.connections++;
    if (this.refuseConnections) {
      ws.terminate();
      return;
    }
    let authed = false;
    ws.on('message', (raw) => {
      const f = JSON.parse(raw.toString()) as WireFrame;
      this.framesIn.push(f);
      const answer = (errcode: number, errmsg: string, body?: Record<string, unknown>) =>
        ws.send(JSON.stringify({ headers: { req_id: f.headers.req_id }, errcode, errmsg, ...(body ? { body } : {}) }));
      if (!authed) {
        if (f.cmd !== 'aibot_subscribe') return answer(40001, 'not subscribed');
        const ok = f.body?.bot_id === this.botId && f.body?.secret === this.secret;
        this.subscribes.push({ botId: f.body?.bot_id, secret: f.body?.secret, ok });
        if (!ok) return answer(40001, 'invalid bot_id or secret');
        authed = true;
        this.socket = ws;
        answer(0, 'ok');
        this.waiters.splice(0).forEach((w) => w());
        return;
      }
      if (f.cmd === 'ping') {
        this.pings++;
        if (this.answerPings) answer(0, 'ok');
        return;
      }
      const fail = this.failures.findIndex((x) => x.cmd.test(f.cmd ?? ''));
      if (fail >= 0) {
        const [x] = this.failures.splice(fail, 1);
        return answer(x!.errcode, x!.errmsg);
      }
      const r = this.take(f);
      answer(r.errcode, r.errmsg, r.body);
    });
    ws.on('close', () => { if (this.socket === ws) this.socket = null; });
  }

  /** Checks and records one of the client's frames; returns the ack WeCom would give. */
  private take(f: WireFrame): { errcode: number; errmsg: string; body?: Record<string, unknown> } {
    const body = f.body ?? {};
    const ok = { errcode: 0, errmsg: 'ok' };
    const bad = (errmsg: string) => ({ errcode: 40008, errmsg });
    const cardCheck = (card: unknown): string | null => {
      const c = card as { task_id?: unknown; button_list?: Array<{ key?: unknown }> } | undefined;
      if (!c || typeof c !== 'object') return 'template_card missing';
      if (c.button_list && c.button_list.length > 6) return 'too many buttons';
      if (c.button_list?.some((b) => typeof b.key !== 'string' || Buffer.byteLength(b.key) > 1024)) return 'invalid button key';
      return null;
    };
    const record = (o: Omit<Outgoing, 'cmd' | 'reqId' | 'body'>) => {
      const m = { ...o, cmd: f.cmd!, reqId: f.headers.req_id, body };
      this.sent.push(m);
      this.onSent?.(m);
    };
    switch (f.cmd) {
      case 'aibot_respond_msg': {
        const cb = this.callbacks.get(f.headers.req_id);
        if (!cb || cb.cmd !== 'aibot_msg_callback') return bad('invalid req_id');
        const stream = body.stream as { content?: string; finish?: boolean } | undefined;
        const msgtype = String(body.msgtype);
        if (stream && Buffer.byteLength(stream.content ?? '') > STREAM_MAX_BYTES) return bad('content exceeds 20480 bytes');
        let card: Record<string, unknown> | null = null;
        if (msgtype === 'stream_with_template_card' || msgtype === 'template_card') {
          card = (body.template_card as Record<string, unknown> | undefined) ?? null;
          const e = cardCheck(card);
          if (e) return bad(e);
          const task = String(card!.task_id ?? '');
          if (!TASK_ID.test(task)) return bad('invalid task_id');
          if (this.usedTaskIds.has(task)) return { errcode: 40058, errmsg: 'duplicate task_id' };
          this.usedTaskIds.add(task);
        } else if (msgtype !== 'stream') return bad(`msgtype ${msgtype} cannot answer a message`);
        record({ op: 'reply', chatId: cb.chatId, msgtype, markdown: stream?.content ?? null, card, file: null });
        return ok;
      }
      case 'aibot_respond_welcome_msg': {
        const cb = this.callbacks.get(f.headers.req_id);
        if (!cb || cb.cmd !== 'aibot_event_callback' || !cb.enterChat) return bad('invalid req_id');
        if (body.msgtype !== 'text' && body.msgtype !== 'template_card') return bad('invalid welcome');
        const content = (body.text as { content?: string } | undefined)?.content ?? null;
        record({ op: 'welcome', chatId: cb.chatId, msgtype: String(body.msgtype), markdown: content, card: null, file: null });
        return ok;
      }
      case 'aibot_respond_update_msg': {
        const cb = this.callbacks.get(f.headers.req_id);
        if (!cb || cb.cmd !== 'aibot_event_callback') return bad('invalid req_id');
        const card = body.template_card as Record<string, unknown> | undefined;
        if (body.response_type !== 'update_template_card' || cardCheck(card)) return bad('invalid update');
        // The task_id must be the clicked card's.
        if (!cb.taskIds.has(String(card!.task_id))) return bad('task_id does not match the event');
        record({ op: 'update', chatId: cb.chatId, msgtype: 'update_template_card', markdown: null, card: card!, file: null });
        return ok;
      }
      case 'aibot_send_msg': {
        const chatId = String(body.chatid ?? '');
        if (!this.reachedChats.has(chatId)) return { errcode: 93006, errmsg: 'chat has not talked to the bot' };
        const msgtype = String(body.msgtype);
        if (msgtype === 'markdown') {
          const content = (body.markdown as { content?: string } | undefined)?.content ?? '';
          record({ op: 'send', chatId, msgtype, markdown: content, card: null, file: null });
          return ok;
        }
        if (msgtype === 'template_card') {
          const card = body.template_card as Record<string, unknown>;
          const e = cardCheck(card);
          if (e) return bad(e);
          const task = String(card.task_id ?? '');
          if (!TASK_ID.test(task)) return bad('invalid task_id');
          if (this.usedTaskIds.has(task)) return { errcode: 40058, errmsg: 'duplicate task_id' };
          this.usedTaskIds.add(task);
          record({ op: 'send', chatId, msgtype, markdown: null, card, file: null });
          return ok;
        }
        if (msgtype === 'file') {
          const m = this.media.get(String((body.file as { media_id?: string } | undefined)?.media_id));
          if (!m) return bad('invalid media_id');
          record({ op: 'send', chatId, msgtype, markdown: null, card: null, file: m });
          return ok;
        }
        return bad(`msgtype ${msgtype} is not supported by aibot_send_msg`);
      }
      case 'aibot_upload_media_init': {
        const id = `up_${randomBytes(4).toString('hex')}`;
        this.uploads.set(id, { filename: String(body.filename), total: Number(body.total_chunks), md5: String(body.md5), chunks: new Map() });
        return { ...ok, body: { upload_id: id } };
      }
      case 'aibot_upload_media_chunk': {
        const u = this.uploads.get(String(body.upload_id));
        const data = Buffer.from(String(body.base64_data ?? ''), 'base64');
        if (!u || data.length > CHUNK_MAX) return bad('invalid chunk');
        u.chunks.set(Number(body.chunk_index), data);
        return ok;
      }
      case 'aibot_upload_media_finish': {
        const id = String(body.upload_id);
        const u = this.uploads.get(id);
        if (!u || u.chunks.size !== u.total) return bad('upload incomplete');
        const data = Buffer.concat([...u.chunks.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d));
        if (createHash('md5').update(data).digest('hex') !== u.md5) return bad('md5 mismatch');
        const mediaId = `media_${randomBytes(6).toString('hex')}`;
        this.media.set(mediaId, { filename: u.filename, data });
        return { ...ok, body: { type: 'file', media_id: mediaId, created_at: '1796000000' } };
      }
      default:
        return bad(`unknown cmd ${f.cmd}`);
    }
  }

  private push(frame: WireFrame, chatId: string, taskId?: string): void {
    if (!this.socket) throw new Error('fake wecom: no subscribed client');
    const enterChat = (frame.body as { event?: { eventtype?: string } } | undefined)?.event?.eventtype === 'enter_chat';
    this.callbacks.set(frame.headers.req_id, { chatId, cmd: frame.cmd!, taskIds: new Set(taskId ? [taskId] : []), enterChat });
    this.reachedChats.add(chatId);
    this.socket.send(JSON.stringify(frame));
  }

  /** Delivers a message callback (aibot_msg_callback) as WeCom does; returns the frame (to deliver again). */
  message(o: { text: string; userId?: string; chatId?: string; group?: boolean; msgid?: string; msgtype?: 'text' | 'voice' }): WireFrame {
    const userId = o.userId ?? 'zhangsan';
    const group = o.group ?? false;
    const msgtype = o.msgtype ?? 'text';
    const frame: WireFrame = {
      cmd: 'aibot_msg_callback',
      headers: { req_id: reqId('callback') },
      body: {
        msgid: o.msgid ?? `msg_${randomBytes(8).toString('hex')}`, aibotid: this.botId, chattype: group ? 'group' : 'single',
        ...(group ? { chatid: o.chatId ?? 'wrgroup01' } : {}), from: { userid: userId }, create_time: 1796000000,
        response_url: `https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`,
        msgtype, [msgtype]: { content: o.text },
      },
    };
    this.deliver(frame);
    return frame;
  }

  /** Delivers a template_card_event for a click on `card` (a button's key, or a vote card's option and submit). */
  click(o: { card: Record<string, unknown>; key: string; optionId?: string; userId?: string; chatId?: string; group?: boolean; msgid?: string }): WireFrame {
    const userId = o.userId ?? 'zhangsan';
    const group = o.group ?? false;
    const taskId = String(o.card.task_id);
    const frame: WireFrame = {
      cmd: 'aibot_event_callback',
      headers: { req_id: reqId('event') },
      body: {
        msgid: o.msgid ?? `ev_${randomBytes(8).toString('hex')}`, create_time: 1796000000, aibotid: this.botId,
        ...(group ? { chatid: o.chatId ?? 'wrgroup01' } : {}), chattype: group ? 'group' : 'single', from: { userid: userId }, msgtype: 'event',
        event: {
          eventtype: 'template_card_event',
          template_card_event: {
            card_type: o.card.card_type, event_key: o.key, task_id: taskId,
            ...(o.optionId ? { selected_items: { selected_item: [{ question_key: 'answer', option_ids: { option_id: [o.optionId] } }] } } : {}),
          },
        },
      },
    };
    this.deliver(frame);
    return frame;
  }

  /** Delivers enter_chat: `userId` opened the one-to-one chat with the robot (the first time that day). */
  enterChat(userId = 'zhangsan'): WireFrame {
    const frame: WireFrame = {
      cmd: 'aibot_event_callback',
      headers: { req_id: reqId('event') },
      body: { msgid: `ev_${randomBytes(8).toString('hex')}`, create_time: 1796000000, aibotid: this.botId, chattype: 'single', from: { userid: userId }, msgtype: 'event', event: { eventtype: 'enter_chat' } },
    };
    this.deliver(frame);
    return frame;
  }

  /** Sends a frame (again: WeCom re-delivers after a reconnect) to the subscribed client. */
  deliver(frame: WireFrame): void {
    const body = frame.body as { chatid?: string; from: { userid: string }; event?: { template_card_event?: { task_id?: string } } };
    this.push(frame, body.chatid ?? body.from.userid, body.event?.template_card_event?.task_id);
  }

  /** Resolves once the client has read every frame sent so far (a WebSocket ping's pong comes after them). */
  async barrier(): Promise<void> {
    const ws = this.socket;
    if (!ws) return;
    await new Promise<void>((resolve) => { ws.once('pong', () => resolve()); ws.ping(); });
  }

  /** Sends WeCom's disconnected_event (a newer connection took over) and closes the socket. */
  kick(): void {
    const ws = this.socket;
    if (!ws) return;
    ws.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: reqId('event') }, body: { msgid: `ev_${randomBytes(4).toString('hex')}`, aibotid: this.botId, from: { userid: 'sys' }, msgtype: 'event', event: { eventtype: 'disconnected_event' } } }));
  }

  /** Drops the connection without a close handshake, as a network failure would. */
  drop(): void {
    this.socket?.terminate();
    this.socket = null;
  }

  last(): Outgoing {
    const m = this.sent.at(-1);
    if (!m) throw new Error('fake wecom: nothing was sent');
    return m;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

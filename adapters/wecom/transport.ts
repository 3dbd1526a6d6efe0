// WeCom's transport: the smart robot's long connection through the official SDK (aibot_subscribe with the Bot ID and
// Secret, then callbacks in), and everything out over the same connection: answers on a callback's req_id while it
// is live, pushes (aibot_send_msg) otherwise, card updates on a click's req_id, files, the enter_chat welcome.
import { randomUUID } from 'node:crypto';
import { WSClient, type Logger, type TemplateCard, type WsFrameHeaders } from '@wecom/aibot-node-sdk';
import { PlatformConfigError } from '../kit/errors.ts';
import type { OnPayload, Transport, TransportContext } from '../kit/platform.ts';
import { platformLog } from '../kit/log.ts';
import { DESCRIBE_MAX_CHARS } from '../kit/redact.ts';
import { retrierOf, type RetryingOptions } from '../kit/retry.ts';
import type { LogLevel } from '../kit/settings.ts';
import { apiErrorCode, ops } from '../ops/hooks.ts';
import type { WecomPayload, WecomTarget } from './parse.ts';
import { answeredCard } from './render/cards.ts';
import type { WecomCardUpdate, WecomMessage } from './render/index.ts';
import { describe, type WecomSettings } from './settings.ts';

// A send WeCom refused for now (system busy, a frequency limit, no ack in time, the connection down) is tried
// again as the kit's RetryPolicy says; any other refusal (a bad request, no permission) is not.

/** WeCom's "try later" codes: system busy (-1), API frequency (45009) and concurrency (45033) limits, a conflict (6000). */
const TRANSIENT_CODES = new Set([-1, 45009, 45033, 6000]);
/** What the SDK rejects with when there was no answer: no ack within its 5 s, or no open connection. */
const NO_ANSWER = /ack timeout|not connected|connection closed|manually closed|Server disconnected/i;

/** Raised when WeCom did not take a frame: a non-zero errcode in the ack, or no ack at all. */
export class WecomApiError extends Error {
  readonly transient: boolean;
  constructor(readonly op: string, readonly code: number | undefined, readonly detail: string, transient?: boolean, attempts = 1) {
    super(`${op}: WeCom answered ${code === undefined ? detail : `errcode ${code} (${detail})`}${attempts > 1 ? `, after ${attempts} attempts` : ''}`);
    this.name = 'WecomApiError';
    this.transient = transient ?? (code !== undefined && TRANSIENT_CODES.has(code));
  }

  after(attempts: number): WecomApiError {
    return new WecomApiError(this.op, this.code, this.detail, this.transient, attempts);
  }
}

/** True when WeCom refused for now (busy, a frequency limit, no answer), so that a later try may go through. */
export function isTransient(e: unknown): boolean {
  return e instanceof WecomApiError && e.transient;
}

/** What the SDK rejected with (the ack frame itself on a non-zero errcode, an Error otherwise) as a WecomApiError. */
function asApiError(op: string, e: unknown): WecomApiError {
  if (e instanceof WecomApiError) return e;
  const f = e as { errcode?: unknown; errmsg?: unknown } | null;
  if (f && typeof f === 'object' && typeof f.errcode === 'number') return new WecomApiError(op, f.errcode, typeof f.errmsg === 'string' ? f.errmsg : '');
  const message = e instanceof Error ? e.message : String(e);
  return new WecomApiError(op, undefined, message, NO_ANSWER.test(message));
}

/** The long connection's sends through the SDK's client, each retried as RetryPolicy says; each throws when WeCom did not take it. */
function sends(client: WSClient, opts: RetryingOptions) {
  const retrying = retrierOf('wecom', opts, asApiError, (e: WecomApiError, n) => e.after(n));
  const retried = async (op: string, call: () => Promise<unknown>): Promise<void> => void await retrying(op, call);
  return {
    /** aibot_respond_msg on a message callback's req_id: a finished stream of markdown, with the card when given. */
    async reply(frame: WsFrameHeaders, markdown: string, card?: TemplateCard): Promise<void> {
      // One stream id for every attempt: WeCom shows one message per stream.
      const streamId = randomUUID().replace(/-/g, '');
      await retried('aibot_respond_msg', () => (card
        ? client.replyStreamWithCard(frame, streamId, markdown, true, { templateCard: card })
        : client.replyStream(frame, streamId, markdown, true)));
    },
    /** aibot_respond_welcome_msg on an enter_chat's req_id: a plain-text welcome (WeCom takes it within 5 s). */
    async welcome(frame: WsFrameHeaders, text: string): Promise<void> {
      await retried('aibot_respond_welcome_msg', () => client.replyWelcome(frame, { msgtype: 'text', text: { content: text } }));
    },
    /** aibot_respond_update_msg on a click's req_id: replaces the clicked card (WeCom takes it within 5 s of the click). */
    async updateCard(frame: WsFrameHeaders, card: TemplateCard): Promise<void> {
      await retried('aibot_respond_update_msg', () => client.updateTemplateCard(frame, card));
    },
    /** aibot_send_msg: markdown pushed to a group (chatid) or a one-to-one chat (userid). */
    async markdown(chatId: string, markdown: string): Promise<void> {
      await retried('aibot_send_msg', () => client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content: markdown } }));
    },
    /** aibot_send_msg: a template card pushed to a chat. */
    async card(chatId: string, card: TemplateCard): Promise<void> {
      await retried('aibot_send_msg', () => client.sendMessage(chatId, { msgtype: 'template_card', template_card: card }));
    },
    /** aibot_upload_media_* then aibot_send_msg: a file message in a chat. */
    async file(chatId: string, filename: string, data: Uint8Array): Promise<void> {
      const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      let mediaId = '';
      await retried('aibot_upload_media', async () => { mediaId = (await client.uploadMedia(buffer, { type: 'file', filename })).media_id; });
      await retried('aibot_send_msg', () => client.sendMediaMessage(chatId, 'file', mediaId));
    },
  };
}

/** The logger handed to the SDK: lines below `level` are dropped, every other goes to `log` (which redacts). */
export function sdkLogger(log: (msg: string) => void, level: LogLevel): Logger {
  const out = platformLog({ write: log, redact: (text) => text, describe, prefix: (at) => `[wecom ${at}] `, level: () => level, maxChars: DESCRIBE_MAX_CHARS });
  const line = (at: LogLevel) => (message: string, ...args: unknown[]) => out.sdk(at, [message, ...args]);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** A failed call the answer goes on without (a fallback, a card beside it): counted here, since it is not thrown to the kit. */
function swallowed(e: unknown): void {
  ops.apiError('wecom', apiErrorCode(e));
}

/**
 * WeCom as the kit drives it. `live` on a send is the callback being answered: its req_id takes one answer (the first
 * message; the rest are pushed). A callback resumed after a restart has none: its req_id belonged to the connection
 * that is gone, and its answer is pushed. WeCom's long connection has no acknowledgement of a callback: taking it off
 * the socket is all.
 */
export async function wecomTransport(ctx: TransportContext<WecomSettings>): Promise<Transport<WecomPayload, WecomTarget, WecomMessage, WecomCardUpdate>> {
  const s = ctx.settings;
  const log = ctx.log;
  const client = new WSClient({
    botId: s.botId, secret: s.secret, wsUrl: s.wsUrl, ...(s.ca ? { wsOptions: { ca: s.ca } } : {}),
    logger: sdkLogger(log, s.logLevel),
    heartbeatInterval: ctx.connection?.heartbeatMs ?? 30_000, // a ping frame, as WeCom asks
    reconnectInterval: ctx.connection?.reconnectMs ?? 1000, // then doubling, at most 30 s
    maxReconnectAttempts: -1, // once running, keep reconnecting: reminders depend on the connection
  });
  const out = sends(client, { retry: ctx.retry, log });
  // Reminders are not retried here: the ticker's backoff does that (each wait here would hold up the whole tick).
  const once = sends(client, { retry: { retries: 0 }, log });
  /** Callbacks whose req_id took its answer already (one stream reply each); gone with the callback. */
  const answered = new WeakSet<WsFrameHeaders>();
  let up = false;
  let authenticated = false;
  let stopped = false;

  /** Pushes markdown, then its question's card (a card WeCom refused is logged: the question can be answered by typing). */
  async function push(c: typeof out, chatId: string, m: Extract<WecomMessage, { kind: 'markdown' }>): Promise<void> {
    await c.markdown(chatId, m.content);
    if (m.card) {
      await c.card(chatId, m.card).catch((e: Error) => {
        swallowed(e);
        log(`wecom: the question card for ${chatId} was not taken (${e.message}); the question can still be answered by typing`);
      });
    }
  }

  async function send(to: WecomTarget, m: WecomMessage, o?: { once?: boolean; live?: WecomPayload }): Promise<void> {
    const c = o?.once ? once : out;
    const frame = o?.live;
    if (m.kind === 'welcome') {
      if (frame) await c.welcome(frame, m.text);
      return;
    }
    if (m.kind === 'file') return c.file(to.chatId, m.filename, m.data);
    if (m.kind === 'card') {
      if (m.optional === undefined) return c.card(to.chatId, m.card);
      return c.card(to.chatId, m.card).catch((e: Error) => {
        swallowed(e);
        log(`wecom: ${m.optional} was not taken (${e.message})`);
      });
    }
    const reqId = frame?.headers.req_id;
    if (frame && !answered.has(frame)) {
      answered.add(frame);
      try {
        return await c.reply(frame, m.content, m.card);
      } catch (e) {
        if (isTransient(e)) {
          // Still refused after the retries: a push would meet the same limit.
          log(`wecom: the reply on ${reqId} was not delivered (${(e as Error).message}); giving up`);
          throw e;
        }
        // The req_id may no longer take a reply (too late, or a reconnect since); the chat still gets the answer.
        swallowed(e);
        log(`wecom: the reply on ${reqId} was refused (${(e as Error).message}); pushing to the chat instead`);
      }
    }
    await push(c, to.chatId, m);
  }

  return {
    async start(onPayload: OnPayload<WecomPayload>) {
      const take = (frame: WsFrameHeaders) => void onPayload(frame, () => undefined);
      client.on('message', take);
      client.on('event.template_card_event', take);
      client.on('event.enter_chat', take);
      client.on('event.disconnected_event', () => log('wecom: another connection with this Bot ID replaced this one (WeCom keeps one per robot); this process no longer receives WeCom messages'));
      client.on('disconnected', (reason: string) => {
        up = false;
        log(`wecom: long connection closed (${reason})`);
      });
      client.on('reconnecting', (attempt: number) => log(`wecom: reconnecting (attempt ${attempt})`));
      await new Promise<void>((resolve, reject) => {
        client.on('authenticated', () => {
          up = true;
          if (!authenticated) log(`wecom: long connection open (${s.wsUrl})`);
          authenticated = true;
          resolve();
        });
        client.on('error', (e: Error) => {
          if (authenticated) {
            log(`wecom: ${e.message}`);
            return;
          }
          // Before the first subscribe succeeds, an error stops start-up: bad credentials stay bad.
          stopped = true;
          client.disconnect();
          const refused = /Authentication failed|auth failure/i.test(e.message);
          reject(new PlatformConfigError(refused
            ? `WeCom refused the robot's credentials (check WECOM_BOT_ID and WECOM_BOT_SECRET): ${e.message}`
            : `WeCom long connection failed (check WECOM_WS_URL${s.ca ? ' and WECOM_CA_FILE' : ''}): ${e.message}`));
        });
        client.connect();
      });
    },
    send,
    async updateCard(card, u, live) {
      // Only on the click's own req_id; the kit sends none for a click resumed after a restart (past WeCom's 5 s).
      if (live) await out.updateCard(live, answeredCard(u.title, u.detail, card));
    },
    connected: () => up && !stopped,
    receives: 'long connection',
    describe: () => `robot ${s.botId}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      up = false;
      if (client.isConnected || authenticated) client.disconnect();
    },
  };
}

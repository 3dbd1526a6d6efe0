import { randomUUID } from 'node:crypto';
import { retrierOf, type RetryingOptions } from '../kit/retry.ts';
import type { TemplateCard, WSClient, WsFrameHeaders } from '@wecom/aibot-node-sdk';
import { MARKDOWN_MAX_BYTES, truncateBytes } from './markdown.ts';

/** What the adapter sends over the long connection; each call throws when WeCom did not take it. */
export interface Messenger {
  /** aibot_respond_msg on a message callback's req_id: a finished stream of markdown, with the card when given. */
  reply(frame: WsFrameHeaders, markdown: string, card?: TemplateCard): Promise<void>;
  /** aibot_respond_update_msg on a click's req_id: replaces the clicked card (WeCom takes it within 5 s of the click). */
  updateCard(frame: WsFrameHeaders, card: TemplateCard): Promise<void>;
  /** aibot_respond_welcome_msg on an enter_chat's req_id: a plain-text welcome (WeCom takes it within 5 s). */
  welcome(frame: WsFrameHeaders, text: string): Promise<void>;
  /** aibot_send_msg: markdown pushed to a group (chatid) or a one-to-one chat (userid). */
  sendMarkdown(chatId: string, markdown: string): Promise<void>;
  /** aibot_send_msg: a template card pushed to a chat. */
  sendCard(chatId: string, card: TemplateCard): Promise<void>;
  /** aibot_upload_media_* then aibot_send_msg: a file message in a chat. */
  sendFile(chatId: string, filename: string, data: Uint8Array): Promise<void>;
}

// A send WeCom refused for now (system busy, a frequency limit, no ack in time, the connection down) is tried
// again as the kit's RetryPolicy says; any other refusal (a bad request, no permission) is not.

/** A welcome text's cap, as for WeCom's other text messages (UTF-8 bytes). */
const WELCOME_MAX_BYTES = 2048;

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

export type MessengerOptions = RetryingOptions;

/** The long connection's sends through the SDK's client, retried as RetryPolicy says. */
export function createMessenger(client: WSClient, opts: MessengerOptions = {}): Messenger {
  const retrying = retrierOf('wecom', opts, asApiError, (e: WecomApiError, n) => e.after(n));
  const retried = async (op: string, call: () => Promise<unknown>): Promise<void> => void await retrying(op, call);

  const md = (s: string) => truncateBytes(s, MARKDOWN_MAX_BYTES);

  return {
    async reply(frame, markdown, card) {
      // One stream id for every attempt: WeCom shows one message per stream.
      const streamId = randomUUID().replace(/-/g, '');
      await retried('aibot_respond_msg', () => (card
        ? client.replyStreamWithCard(frame, streamId, md(markdown), true, { templateCard: card })
        : client.replyStream(frame, streamId, md(markdown), true)));
    },
    async welcome(frame, text) {
      await retried('aibot_respond_welcome_msg', () => client.replyWelcome(frame, { msgtype: 'text', text: { content: truncateBytes(text, WELCOME_MAX_BYTES) } }));
    },
    async updateCard(frame, card) {
      await retried('aibot_respond_update_msg', () => client.updateTemplateCard(frame, card));
    },
    async sendMarkdown(chatId, markdown) {
      await retried('aibot_send_msg', () => client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content: md(markdown) } }));
    },
    async sendCard(chatId, card) {
      await retried('aibot_send_msg', () => client.sendMessage(chatId, { msgtype: 'template_card', template_card: card }));
    },
    async sendFile(chatId, filename, data) {
      const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      let mediaId = '';
      await retried('aibot_upload_media', async () => { mediaId = (await client.uploadMedia(buffer, { type: 'file', filename })).media_id; });
      await retried('aibot_send_msg', () => client.sendMediaMessage(chatId, 'file', mediaId));
    },
  };
}

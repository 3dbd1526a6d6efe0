import type { Client } from '@larksuiteoapi/node-sdk';
import type { CardJson } from './render.ts';

/** A message body as the open API takes it: msg_type plus content serialised as a string. */
export type OutMessage = { msgType: 'interactive'; card: CardJson } | { msgType: 'text'; text: string };

/** The open API calls the adapter makes; each throws when Feishu did not take the message. */
export interface Messenger {
  /** im.message.create to a chat; returns the new message id. */
  create(chatId: string, message: OutMessage): Promise<string>;
  /** im.message.reply under a message (in its thread when inThread); returns the new message id. */
  reply(messageId: string, message: OutMessage, opts?: { inThread?: boolean; uuid?: string }): Promise<string>;
  /** im.message.patch: replaces a card the bot sent. */
  patch(messageId: string, card: CardJson): Promise<void>;
  /** The bot's own open_id (bot/v3/info), or null when Feishu would not say. */
  botOpenId(): Promise<string | null>;
}

/** Raised when the open API answered with a non-zero code. */
export class FeishuApiError extends Error {
  constructor(readonly op: string, readonly code: number | undefined, msg: string | undefined) {
    super(`${op}: Feishu answered code ${code ?? '?'}${msg ? ` (${msg})` : ''}`);
    this.name = 'FeishuApiError';
  }
}

interface ApiAnswer { code?: number; msg?: string; data?: { message_id?: string } }

function check(op: string, r: ApiAnswer | undefined): string {
  if (!r || r.code !== 0) throw new FeishuApiError(op, r?.code, r?.msg);
  return r.data?.message_id ?? '';
}

const body = (m: OutMessage) => ({
  msg_type: m.msgType,
  content: JSON.stringify(m.msgType === 'interactive' ? m.card : { text: m.text }),
});

export function createMessenger(client: Client): Messenger {
  return {
    async create(chatId, message) {
      const r = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, ...body(message) } });
      return check('im.message.create', r);
    },
    async reply(messageId, message, opts = {}) {
      const r = await client.im.v1.message.reply({
        path: { message_id: messageId },
        data: { ...body(message), ...(opts.inThread ? { reply_in_thread: true } : {}), ...(opts.uuid ? { uuid: opts.uuid } : {}) },
      });
      return check('im.message.reply', r);
    },
    async patch(messageId, card) {
      const r = await client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } });
      check('im.message.patch', r);
    },
    async botOpenId() {
      const r = (await client.request({ url: '/open-apis/bot/v3/info', method: 'GET' })) as { code?: number; bot?: { open_id?: string } };
      return r?.code === 0 && r.bot?.open_id ? r.bot.open_id : null;
    },
  };
}

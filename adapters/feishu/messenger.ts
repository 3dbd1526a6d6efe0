import type { Client } from '@larksuiteoapi/node-sdk';
import type { CardJson } from './render.ts';

/** A message body as the open API takes it: msg_type plus content serialised as a string. */
export type OutMessage = { msgType: 'interactive'; card: CardJson } | { msgType: 'text'; text: string } | { msgType: 'file'; fileKey: string };

/** The kinds im.file.create accepts (file_type); anything else goes as `stream`. */
export type FeishuFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

/** A file to upload: its name as the chat shows it, its kind, and its bytes (Feishu takes 1 byte to 30 MB). */
export interface UploadFile { name: string; type: FeishuFileType; data: Uint8Array }

/** The open API calls the adapter makes; each throws when Feishu did not take the message. */
export interface Messenger {
  /** im.message.create to a chat; returns the new message id. */
  create(chatId: string, message: OutMessage): Promise<string>;
  /** im.message.reply under a message (in its thread when inThread); returns the new message id. */
  reply(messageId: string, message: OutMessage, opts?: { inThread?: boolean; uuid?: string }): Promise<string>;
  /** im.message.patch: replaces a card the bot sent. */
  patch(messageId: string, card: CardJson): Promise<void>;
  /** im.file.create: uploads a file for a file message; returns its file_key. */
  uploadFile(file: UploadFile): Promise<string>;
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

/** The open API's answer in an HTTP error's JSON body (axios keeps it at response.data), if there is one. */
function answerOf(e: unknown): { code: number; msg?: string } | undefined {
  const d = (e as { response?: { data?: { code?: unknown; msg?: unknown } } } | null)?.response?.data;
  return typeof d?.code === 'number' ? { code: d.code, ...(typeof d.msg === 'string' ? { msg: d.msg } : {}) } : undefined;
}

const body = (m: OutMessage) => ({
  msg_type: m.msgType,
  content: JSON.stringify(m.msgType === 'interactive' ? m.card : m.msgType === 'file' ? { file_key: m.fileKey } : { text: m.text }),
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
    async uploadFile(file) {
      // The SDK posts multipart/form-data (file_type, file_name, file) and returns only `data`: { file_key }, or
      // null when Feishu answered a non-zero code with HTTP 200; an HTTP error status throws.
      let r: { file_key?: string } | null;
      try {
        r = await client.im.v1.file.create({
          data: { file_type: file.type, file_name: file.name, file: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength) },
        });
      } catch (e) {
        throw new FeishuApiError('im.file.create', answerOf(e)?.code, answerOf(e)?.msg ?? (e as Error).message);
      }
      if (!r?.file_key) throw new FeishuApiError('im.file.create', undefined, 'no file_key in the answer');
      return r.file_key;
    },
    async botOpenId() {
      const r = (await client.request({ url: '/open-apis/bot/v3/info', method: 'GET' })) as { code?: number; bot?: { open_id?: string } };
      return r?.code === 0 && r.bot?.open_id ? r.bot.open_id : null;
    },
  };
}

import { randomUUID } from 'node:crypto';
import { retrierOf, type RetryingOptions } from '../../kit/retry.ts';
import { countApiError } from '../../kit/errors.ts';
import type { Client } from '@larksuiteoapi/node-sdk';
import type { CardJson } from '../render.ts';

/** A message body as the open API takes it: msg_type plus content serialised as a string. */
export type OutMessage = { msgType: 'interactive'; card: CardJson } | { msgType: 'text'; text: string } | { msgType: 'file'; fileKey: string };

/** The kinds im.file.create accepts (file_type); anything else goes as `stream`. */
export type FeishuFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

/** A file to upload: its name as the chat shows it (its extension gives its kind) and its bytes (Feishu takes 1 byte to 30 MB). */
export interface UploadFile { name: string; data: Uint8Array }

const FILE_TYPES: Record<string, FeishuFileType> = {
  doc: 'doc', docx: 'doc', pdf: 'pdf', xls: 'xls', xlsx: 'xls', ppt: 'ppt', pptx: 'ppt', mp4: 'mp4', opus: 'opus',
};

/** im.file.create's file_type for a file name: Word, PDF, Excel, PowerPoint, MP4 and Opus by extension, else `stream`. */
export function feishuFileType(filename: string): FeishuFileType {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return FILE_TYPES[ext] ?? 'stream';
}

/** The open API calls the adapter makes; each throws when Feishu did not take the message. */
export interface Messenger {
  /** im.message.create to a chat (or, with receiveIdType open_id, to one user directly); returns the new message id. */
  create(chatId: string, message: OutMessage, opts?: { uuid?: string; receiveIdType?: 'chat_id' | 'open_id' }): Promise<string>;
  /** im.message.reply under a message (in its thread when inThread); returns the new message id. */
  reply(messageId: string, message: OutMessage, opts?: { inThread?: boolean; uuid?: string; chatId?: string }): Promise<string>;
  /** im.message.patch: replaces a card the bot sent. */
  patch(messageId: string, card: CardJson): Promise<void>;
  /** im.file.create: uploads a file for a file message; returns its file_key. */
  uploadFile(file: UploadFile): Promise<string>;
  /** The bot's own open_id (bot/v3/info), or null when Feishu would not say. */
  botOpenId(): Promise<string | null>;
  /** Asks Feishu for a tenant token with the app's id and secret: null when it gave one, else Feishu's answer code. */
  checkCredentials?(): Promise<{ code: number | undefined } | null>;
}

// A call Feishu refused for now (HTTP 429, HTTP 5xx, a rate-limit code, no answer at all) is tried again as the kit's
// RetryPolicy says, a rate limit's x-ogw-ratelimit-reset (seconds) lengthening the wait; any other refusal (a 4xx:
// bad request, message recalled, no permission) is never retried.

/** Feishu's rate-limit codes: the gateway (99991400, with HTTP 429), the message service per app (11232) and per chat (230020). */
const RATE_LIMIT_CODES = new Set([99991400, 11232, 230020]);
/** axios codes of a request that got no answer (connection refused, reset or timed out, name lookup failed). */
const NO_ANSWER = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_NETWORK']);
/** Feishu keeps a message's uuid for de-duplication this long, and takes at most this many characters of it. */
const UUID_MAX = 50;

/** Raised when the open API did not take a call: a non-zero code, an HTTP error status, or no answer. */
export class FeishuApiError extends Error {
  /** HTTP status, when Feishu answered with an error status. */
  readonly status: number | undefined;
  /** A rate limit, a server error or no answer: worth trying again later. */
  readonly transient: boolean;
  /** How long the rate limit lasts, from x-ogw-ratelimit-reset. */
  readonly resetMs: number | undefined;
  constructor(readonly op: string, readonly code: number | undefined, readonly detail: string | undefined, readonly info: ErrorInfo = {}) {
    const status = info.status ? `, HTTP ${info.status}` : '';
    const attempts = info.attempts && info.attempts > 1 ? `, after ${info.attempts} attempts` : '';
    super(`${op}: Feishu answered code ${code ?? '?'}${detail ? ` (${detail})` : ''}${status}${attempts}`);
    this.name = 'FeishuApiError';
    this.status = info.status;
    this.transient = info.transient ?? (code !== undefined && RATE_LIMIT_CODES.has(code));
    this.resetMs = info.resetMs;
  }

  /** The same refusal, saying how many attempts were made. */
  after(attempts: number): FeishuApiError {
    return new FeishuApiError(this.op, this.code, this.detail, { ...this.info, transient: this.transient, attempts });
  }
}

interface ErrorInfo { status?: number; transient?: boolean; resetMs?: number; attempts?: number }

/** True when Feishu refused for now (rate limit, server error, no answer), so that a later try may go through. */
export function isTransient(e: unknown): boolean {
  return e instanceof FeishuApiError && e.transient;
}

interface ApiAnswer { code?: number; msg?: string; data?: { message_id?: string } }

function check(op: string, r: ApiAnswer | undefined): string {
  if (!r || r.code !== 0) throw new FeishuApiError(op, r?.code, r?.msg);
  return r.data?.message_id ?? '';
}

/** The open API's answer in an HTTP error's JSON body (axios keeps it at response.data), if there is one. */
function answerOf(data: unknown): { code: number; msg?: string } | undefined {
  const d = data as { code?: unknown; msg?: unknown } | null | undefined;
  return typeof d?.code === 'number' ? { code: d.code, ...(typeof d.msg === 'string' ? { msg: d.msg } : {}) } : undefined;
}

/** x-ogw-ratelimit-reset (seconds until the limit resets) in ms, if the answer carries it. */
function resetOf(headers: unknown): number | undefined {
  const h = headers as { get?: (name: string) => unknown; [name: string]: unknown } | null | undefined;
  const raw = typeof h?.get === 'function' ? h.get('x-ogw-ratelimit-reset') : h?.['x-ogw-ratelimit-reset'];
  const s = Number(raw);
  return raw !== undefined && raw !== null && raw !== '' && Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}

/** What the SDK threw (an axios error for an HTTP error status or no answer), as a FeishuApiError where it is one. */
function asApiError(op: string, e: unknown): unknown {
  if (e instanceof FeishuApiError) return e;
  const x = e as { isAxiosError?: unknown; code?: unknown; message?: unknown; response?: { status?: unknown; data?: unknown; headers?: unknown } } | null;
  const status = x?.response?.status;
  if (typeof status === 'number') {
    const a = answerOf(x?.response?.data);
    const transient = status === 429 || status >= 500 || (a !== undefined && RATE_LIMIT_CODES.has(a.code));
    const resetMs = resetOf(x?.response?.headers);
    return new FeishuApiError(op, a?.code, a?.msg, { status, transient, ...(resetMs !== undefined ? { resetMs } : {}) });
  }
  if (x?.isAxiosError === true && typeof x.code === 'string' && NO_ANSWER.has(x.code)) {
    return new FeishuApiError(op, undefined, `no answer: ${x.code}`, { transient: true });
  }
  return e;
}

const body = (m: OutMessage) => ({
  msg_type: m.msgType,
  content: JSON.stringify(m.msgType === 'interactive' ? m.card : m.msgType === 'file' ? { file_key: m.fileKey } : { text: m.text }),
});

export type MessengerOptions = RetryingOptions;

/**
 * The open API through the SDK's client. A call Feishu refuses for now is retried (see RetryPolicy); every
 * create and reply carries a uuid, the same on each retry, so that Feishu keeps one message when an attempt it
 * took was reported as failed (it de-duplicates a uuid for an hour).
 */
export function createMessenger(client: Client, opts: MessengerOptions = {}): Messenger {
  const retrier = retrierOf('feishu', opts, asApiError, (e: FeishuApiError, n) => e.after(n));
  /** Each call Feishu did not take, counted once by its numeric code (never its text or ids) once retries are spent. */
  async function retried<T>(op: string, call: () => Promise<T>): Promise<T> {
    try {
      return await retrier(op, call);
    } catch (e) {
      countApiError('feishu', e);
      throw e;
    }
  }

  const uuidOf = (given: string | undefined) => (given ?? randomUUID()).slice(0, UUID_MAX);

  return {
    async create(chatId, message, o = {}) {
      const uuid = uuidOf(o.uuid);
      return retried('im.message.create', async () => check('im.message.create',
        await client.im.v1.message.create({ params: { receive_id_type: o.receiveIdType ?? 'chat_id' }, data: { receive_id: chatId, ...body(message), uuid } })));
    },
    async reply(messageId, message, o = {}) {
      const uuid = uuidOf(o.uuid);
      return retried('im.message.reply', async () => check('im.message.reply', await client.im.v1.message.reply({
        path: { message_id: messageId },
        data: { ...body(message), ...(o.inThread ? { reply_in_thread: true } : {}), uuid },
      })));
    },
    async patch(messageId, card) {
      await retried('im.message.patch', async () => check('im.message.patch',
        await client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } })));
    },
    async uploadFile(file) {
      // The SDK posts multipart/form-data (file_type, file_name, file) and returns only `data`: { file_key }, or
      // null when Feishu answered a non-zero code with HTTP 200; an HTTP error status throws.
      const r = await retried('im.file.create', async () => {
        try {
          return await client.im.v1.file.create({
            data: { file_type: feishuFileType(file.name), file_name: file.name, file: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength) },
          });
        } catch (e) {
          const err = asApiError('im.file.create', e);
          throw err instanceof FeishuApiError ? err : new FeishuApiError('im.file.create', undefined, (e as Error).message);
        }
      });
      if (!r?.file_key) throw new FeishuApiError('im.file.create', undefined, 'no file_key in the answer');
      return r.file_key;
    },
    async checkCredentials() {
      // The SDK's own token request, so that the token is cached for what follows; it throws with Feishu's code.
      try {
        const token = (await (client.tokenManager as { getTenantAccessToken(): Promise<unknown> }).getTenantAccessToken()) as string | undefined;
        return token ? null : { code: undefined };
      } catch (e) {
        // An answer without a token: the SDK says `failed to get tenant_access_token, code: 10014, msg: ...`.
        const m = /failed to get tenant_access_token, code: (\d+)/.exec((e as Error).message ?? '');
        if (m) return { code: Number(m[1]) };
        throw e instanceof Error ? e : new Error(String(e));
      }
    },
    async botOpenId() {
      const r = (await client.request({ url: '/open-apis/bot/v3/info', method: 'GET' })) as { code?: number; bot?: { open_id?: string } };
      return r?.code === 0 && r.bot?.open_id ? r.bot.open_id : null;
    },
  };
}

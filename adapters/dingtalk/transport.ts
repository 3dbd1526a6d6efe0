// DingTalk's transport: the robot and card OpenAPI over fetch (token cached, refused-for-now calls retried), and the
// Stream connection through the official SDK (robot messages and card callbacks in, each acknowledged by a frame).
import axios from 'axios';
import { z } from 'zod';
import { DWClient, GATEWAY_URL, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { PlatformConfigError } from '../kit/errors.ts';
import type { OnPayload, Transport, TransportContext } from '../kit/platform.ts';
import { retried as retry, retryPolicyOf, type RetryPolicy } from '../kit/retry.ts';
import type { DingtalkMessage, DingtalkPayload } from './render.ts';
import { describe, type DingtalkSettings } from './settings.ts';

/** Where a robot message goes: a group (openConversationId) or one person (userId), as the robot OpenAPI addresses them. */
export type Target = { kind: 'group'; openConversationId: string } | { kind: 'user'; userId: string };

/** A robot message as the send APIs take it: msgKey plus msgParam (serialised as a string on the wire). */
export type RobotMessage =
  | { msgKey: 'sampleText'; msgParam: { content: string } }
  | { msgKey: 'sampleFile'; msgParam: { mediaId: string; fileName: string; fileType: string } };

/** An interactive card of the configured template: its variables (strings, as cardParamMap takes them). */
export interface CardOut {
  templateId: string;
  outTrackId: string; // ours; DingTalk refuses a second card with the same one, which makes a retry safe
  params: Record<string, string>;
  atUserIds?: readonly string[]; // group cards: the people to mention (configured ids only)
}

/** Raised when the OpenAPI did not take a call. */
export class DingtalkApiError extends Error {
  override name = 'DingtalkApiError';
  constructor(readonly op: string, readonly status: number | undefined, readonly code: string | undefined, detail: string | undefined, readonly transient: boolean, attempts = 1) {
    super(`${op}: DingTalk answered ${status ? `HTTP ${status}` : 'nothing'}${code ? ` ${code}` : ''}${detail ? ` (${detail})` : ''}${attempts > 1 ? `, after ${attempts} attempts` : ''}`);
  }
}

export const isTransient = (e: unknown): boolean => e instanceof DingtalkApiError && e.transient;

// Flow control: the gateway's QPS limits (Forbidden.AccessDenied.QpsLimit...), throttling, and a busy service.
const TRANSIENT_CODE = /QpsLimit|Throttl|flowControl|ServiceUnavailable|SystemBusy/i;
const ErrorBody = z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough();
const TokenBody = z.object({ accessToken: z.string().min(1), expireIn: z.number().positive() });
const SendBody = z.object({
  processQueryKey: z.string().optional(),
  invalidStaffIdList: z.array(z.string()).optional(),
  flowControlledStaffIdList: z.array(z.string()).optional(),
}).passthrough();
const UploadBody = z.object({ errcode: z.number(), errmsg: z.string().optional(), media_id: z.string().optional() });
const TOKEN_MARGIN_MS = 300_000; // refresh five minutes before DingTalk's expiry (7,200 s)

export interface OpenApiDeps {
  apiUrl: string;
  oapiUrl: string;
  clientId: string;
  clientSecret: string;
  robotCode: string;
  now: () => number;
  retry?: Partial<RetryPolicy> | undefined;
  log?: (msg: string) => void; // the caller redacts
  timeoutMs?: number;
  /** Another client's token cache, shared (so that a client with another retry policy fetches no token of its own). */
  tokenCache?: TokenCache;
}

export interface TokenCache { cached: { token: string; expiresAtMs: number } | null; tokens: Set<string> }

export interface OpenApi {
  /** The app's access token (POST /v1.0/oauth2/accessToken), cached until shortly before it expires. */
  token(): Promise<string>;
  /** Every token this client was given, for the redactor; shareable with another client. */
  readonly tokenCache: TokenCache;
  /** groupMessages/send or oToMessages/batchSend; returns the processQueryKey. */
  send(to: Target, message: RobotMessage): Promise<string>;
  /** card/instances/createAndDeliver into the group or the robot's one-to-one chat. */
  createCard(to: Target, card: CardOut): Promise<void>;
  /** PUT card/instances: new variables for a card already sent. */
  updateCard(outTrackId: string, params: Record<string, string>): Promise<void>;
  /** media/upload (type file); returns the media_id a sampleFile message takes. */
  uploadFile(name: string, data: Uint8Array): Promise<string>;
}

/** The robot and card OpenAPI over fetch, with the token cached and refused-for-now calls retried (see RetryPolicy). */
export function createOpenApi(d: OpenApiDeps): OpenApi {
  const policy = retryPolicyOf(d.retry);
  const log = d.log ?? (() => undefined);
  const cache: TokenCache = d.tokenCache ?? { cached: null, tokens: new Set() };

  async function call(op: string, url: string, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(d.timeoutMs ?? 10_000) });
    } catch (e) {
      throw new DingtalkApiError(op, undefined, undefined, `no answer: ${(e as Error).name}`, true);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!res.ok) {
      const b = ErrorBody.safeParse(body);
      const code = b.success ? b.data.code : undefined;
      const transient = res.status === 429 || res.status >= 500 || TRANSIENT_CODE.test(code ?? '');
      throw new DingtalkApiError(op, res.status, code, b.success ? b.data.message : undefined, transient);
    }
    return body;
  }

  const retried = <T>(_op: string, fn: () => Promise<T>): Promise<T> => retry(fn, {
    policy, platform: 'dingtalk', log, errorOf: (e) => e,
    afterAttempts: (e: DingtalkApiError, n) => new DingtalkApiError(e.op, e.status, e.code, undefined, true, n),
    again: (e, attempt) => {
      if (!(e instanceof DingtalkApiError && e.status === 401 && attempt === 1)) return false;
      cache.cached = null; // the token was revoked or expired early: one more try with a new one
      return true;
    },
  });

  async function token(): Promise<string> {
    const c = cache.cached;
    if (c && c.expiresAtMs - TOKEN_MARGIN_MS > d.now()) return c.token;
    const body = await call('oauth2/accessToken', `${d.apiUrl}/v1.0/oauth2/accessToken`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: d.clientId, appSecret: d.clientSecret }),
    });
    const t = TokenBody.safeParse(body);
    if (!t.success) throw new DingtalkApiError('oauth2/accessToken', 200, undefined, 'no accessToken in the answer', false);
    cache.tokens.add(t.data.accessToken);
    cache.cached = { token: t.data.accessToken, expiresAtMs: d.now() + t.data.expireIn * 1000 };
    return t.data.accessToken;
  }

  async function json(op: string, method: 'POST' | 'PUT', path: string, payload: unknown): Promise<unknown> {
    return retried(op, async () => call(op, `${d.apiUrl}${path}`, {
      method, headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': await token() }, body: JSON.stringify(payload),
    }));
  }

  return {
    token: () => retried('oauth2/accessToken', token),
    tokenCache: cache,
    async send(to, message) {
      const common = { robotCode: d.robotCode, msgKey: message.msgKey, msgParam: JSON.stringify(message.msgParam) };
      if (to.kind === 'group') {
        const b = SendBody.parse(await json('robot/groupMessages/send', 'POST', '/v1.0/robot/groupMessages/send', { ...common, openConversationId: to.openConversationId }));
        return b.processQueryKey ?? '';
      }
      const op = 'robot/oToMessages/batchSend';
      const b = SendBody.parse(await json(op, 'POST', '/v1.0/robot/oToMessages/batchSend', { ...common, userIds: [to.userId] }));
      if (b.flowControlledStaffIdList?.length) throw new DingtalkApiError(op, 200, 'flowControlled', 'the recipient is flow-controlled', true);
      if (b.invalidStaffIdList?.length) throw new DingtalkApiError(op, 200, 'invalidStaffId', 'the recipient is not a user of this organisation', false);
      return b.processQueryKey ?? '';
    },
    async createCard(to, card) {
      const cardData = { cardParamMap: card.params };
      const space = to.kind === 'group'
        ? {
          openSpaceId: `dtv1.card//IM_GROUP.${to.openConversationId}`,
          imGroupOpenSpaceModel: { supportForward: true },
          imGroupOpenDeliverModel: { robotCode: d.robotCode, ...(card.atUserIds?.length ? { atUserIds: Object.fromEntries(card.atUserIds.map((u) => [u, u])) } : {}) },
        }
        : {
          openSpaceId: `dtv1.card//IM_ROBOT.${to.userId}`,
          imRobotOpenSpaceModel: { supportForward: true },
          imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: d.robotCode },
        };
      await json('card/instances/createAndDeliver', 'POST', '/v1.0/card/instances/createAndDeliver', {
        cardTemplateId: card.templateId, outTrackId: card.outTrackId, callbackType: 'STREAM', cardData, ...space,
      });
    },
    async updateCard(outTrackId, params) {
      await json('card/instances', 'PUT', '/v1.0/card/instances', { outTrackId, cardData: { cardParamMap: params }, cardUpdateOptions: { updateCardDataByKey: true } });
    },
    async uploadFile(name, data) {
      const op = 'media/upload';
      const body = await retried(op, async () => {
        const form = new FormData();
        form.append('type', 'file');
        form.append('media', new Blob([Uint8Array.from(data)]), name);
        return call(op, `${d.oapiUrl}/media/upload?access_token=${encodeURIComponent(await token())}&type=file`, { method: 'POST', body: form });
      });
      const u = UploadBody.safeParse(body);
      if (!u.success || u.data.errcode !== 0 || !u.data.media_id) {
        throw new DingtalkApiError(op, 200, u.success ? String(u.data.errcode) : undefined, u.success ? u.data.errmsg : 'unreadable answer', false);
      }
      return u.data.media_id;
    },
  };
}

const DEFAULT_API = 'https://api.dingtalk.com';

/** The SDK's client, its debug lines sent through our (redacting) log instead of the console. */
class LoggedClient extends DWClient {
  sink: (msg: string) => void = () => undefined;
  stopped = false;
  /** The SDK reconnects from a timer; once stopped, a timer that fires later must not open a new socket. */
  override async connect(): Promise<void> {
    if (!this.stopped) await super.connect();
  }
  override printDebug(msg: object | string): void {
    if (this.debug) this.sink(`[dingtalk-stream debug] ${describe(msg)}`);
  }
}

export interface StreamDeps {
  clientId: string;
  clientSecret: string;
  apiUrl: string; // the gateway is POST {apiUrl}/v1.0/gateway/connections/open
  debug: boolean;
  log: (msg: string) => void; // already redacting
  onPayload(payload: DingtalkPayload, ack: () => void): void;
}

export interface Stream {
  /** Every connection ticket the gateway handed out, for the redactor. */
  readonly tickets: ReadonlySet<string>;
  /** The SDK's socket is open now (its open and close handlers set it; it reconnects by itself). */
  connected(): boolean;
  stop(): void;
}

/** Raised when the Stream gateway refused the app or the connection failed at start-up. */
export class DingtalkStreamError extends Error {
  override name = 'DingtalkStreamError';
}

function gatewayFailure(e: unknown): string {
  const x = e as { response?: { status?: number; data?: unknown }; code?: string; message?: string };
  if (x.response?.status) {
    const d = x.response.data as { code?: unknown; message?: unknown } | undefined;
    const code = typeof d?.code === 'string' ? ` ${d.code}` : '';
    const msg = typeof d?.message === 'string' ? ` (${d.message.slice(0, 200)})` : '';
    return `HTTP ${x.response.status}${code}${msg}`;
  }
  return x.code ?? x.message ?? 'no answer';
}

/**
 * Opens the Stream connection with the official SDK: the gateway (connections/open, with the app's credentials and
 * the robot and card topics) hands out an endpoint and a ticket, then the WebSocket carries CALLBACK frames, each
 * answered by an ack frame. Rejects with a readable error when the gateway refuses; after that the SDK reconnects by
 * itself. The SDK has its gateway address built in: a DINGTALK_API_URL other than the default is applied by
 * rewriting exactly that URL on the axios instance the SDK uses, for as long as the stream runs.
 */
export async function openStream(d: StreamDeps): Promise<Stream> {
  const tickets = new Set<string>();
  const gateway = `${d.apiUrl}/v1.0/gateway/connections/open`;
  const interceptors = [
    axios.interceptors.request.use((cfg) => {
      if (cfg.url === GATEWAY_URL && d.apiUrl !== DEFAULT_API) cfg.url = gateway;
      return cfg;
    }),
  ];
  const responses = axios.interceptors.response.use((res) => {
    const t = (res.data as { ticket?: unknown } | null)?.ticket;
    if (res.config.url === gateway || res.config.url === GATEWAY_URL) if (typeof t === 'string') tickets.add(t);
    return res;
  });
  const eject = () => {
    for (const id of interceptors) axios.interceptors.request.eject(id);
    axios.interceptors.response.eject(responses);
  };

  // No reconnect loop until the first connection worked: a refusal at start-up is reported, not retried for ever.
  const client = new LoggedClient({ clientId: d.clientId, clientSecret: d.clientSecret, debug: d.debug, keepAlive: false });
  client.config.autoReconnect = false;
  client.config.subscriptions = []; // the SDK's default array is shared by every client; and no EVENT topics are needed
  client.sink = d.log;
  // The SDK emits a CALLBACK frame to its topic's listener and leaves the ack to it (socketCallBackResponse).
  const ack = (messageId: string) => () => client.socketCallBackResponse(messageId, { status: 'SUCCESS' });
  client.registerCallbackListener(TOPIC_ROBOT, (m: DWClientDownStream) => d.onPayload({ topic: 'robot', data: m.data }, ack(m.headers.messageId)));
  client.registerCallbackListener(TOPIC_CARD, (m: DWClientDownStream) => d.onPayload({ topic: 'card', data: m.data }, ack(m.headers.messageId)));

  try {
    await client.getEndpoint();
  } catch (e) {
    eject();
    throw new DingtalkStreamError(`DingTalk's Stream gateway refused the app (check DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and that the robot uses Stream mode; ${gatewayFailure(e)})`);
  }
  try {
    await client._connect();
  } catch (e) {
    client.stopped = true;
    client.disconnect();
    eject();
    throw new DingtalkStreamError(`DingTalk's Stream connection failed (${(e as Error).message.slice(0, 200)}); check DINGTALK_API_URL and outbound access to it`);
  }
  client.config.autoReconnect = true;
  d.log('dingtalk: Stream connection open');
  return {
    tickets,
    connected: () => client.connected && !client.stopped,
    stop() {
      client.stopped = true;
      client.disconnect();
      eject();
    },
  };
}

/** DingTalk as the kit drives it: sends (text, file, card) through the OpenAPI, frames in over the Stream connection. */
export async function dingtalkTransport(ctx: TransportContext<DingtalkSettings>): Promise<Transport<DingtalkPayload, Target, DingtalkMessage, Record<string, string>>> {
  const s = ctx.settings;
  const common = { apiUrl: s.apiUrl, oapiUrl: s.oapiUrl, clientId: s.clientId, clientSecret: s.clientSecret, robotCode: s.robotCode, now: ctx.now, log: ctx.log };
  const api = createOpenApi({ ...common, ...(ctx.retry ? { retry: ctx.retry } : {}) });
  // Reminders are not retried here: the ticker's backoff does that.
  const once = createOpenApi({ ...common, retry: { retries: 0 }, tokenCache: api.tokenCache });
  let stream: Stream | null = null;
  async function send(to: Target, m: DingtalkMessage, o?: { once?: boolean }): Promise<void> {
    const c = o?.once ? once : api;
    if (m.kind === 'text') await c.send(to, { msgKey: 'sampleText', msgParam: { content: m.content } });
    else if (m.kind === 'file') {
      const mediaId = await c.uploadFile(m.fileName, m.data);
      await c.send(to, { msgKey: 'sampleFile', msgParam: { mediaId, fileName: m.fileName, fileType: m.fileType } });
    } else {
      if (!s.cardTemplateId) throw new Error('dingtalk: a card without DINGTALK_CARD_TEMPLATE_ID');
      await c.createCard(to, { templateId: s.cardTemplateId, outTrackId: m.outTrackId, params: m.params, ...(m.atUserIds?.length ? { atUserIds: m.atUserIds } : {}) });
    }
  }
  return {
    async start(onPayload: OnPayload<DingtalkPayload>) {
      try {
        await api.token();
      } catch (e) {
        if (e instanceof DingtalkApiError && !e.transient) {
          throw new PlatformConfigError(`DingTalk refused the app's credentials: check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (${e.message})`);
        }
        throw new PlatformConfigError(`DingTalk's OpenAPI did not answer at DINGTALK_API_URL (${(e as Error).message})`);
      }
      try {
        // Acked (socketCallBackResponse) when the kit says: once the frame is in the inbox. DingTalk re-sends a
        // frame it sees no ack for, which is what a full inbox relies on.
        stream = await openStream({ clientId: s.clientId, clientSecret: s.clientSecret, apiUrl: s.apiUrl, debug: s.logLevel === 'debug', log: ctx.log, onPayload: (p, ack) => void onPayload(p, ack) });
      } catch (e) {
        throw new PlatformConfigError((e as Error).message);
      }
    },
    send,
    updateCard: (outTrackId, params) => api.updateCard(outTrackId, params),
    connected: () => stream?.connected() ?? false,
    *seen() {
      yield* api.tokenCache.tokens;
      if (stream) yield* stream.tickets;
    },
    receives: 'Stream mode',
    describe: () => `robot ${s.robotCode}, ${s.cardTemplateId ? `card template ${s.cardTemplateId}` : 'text answers: no DINGTALK_CARD_TEMPLATE_ID'}`,
    async stop() {
      stream?.stop();
    },
  };
}

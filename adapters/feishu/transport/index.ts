// Feishu's transport: the Lark SDK's client (open API calls, retried and paced per chat), and how events come in —
// the long connection (WSClient) or the HTTP callbacks on the one HTTP server — with whether they reach the bot now.
import { Client, DefaultCache, EventDispatcher, WSClient, type Logger } from '@larksuiteoapi/node-sdk';
import type { PlatformHttp } from '../../http/platform-routes.ts';
import { PlatformConfigError } from '../../kit/errors.ts';
import { platformLog } from '../../kit/log.ts';
import type { RetryPolicy } from '../../kit/retry.ts';
import { describe, type FeishuSettings } from '../settings.ts';
import { createMessenger, type Messenger } from './api.ts';
import { callbackListener, CARDS_PATH, EVENTS_PATH } from './callbacks.ts';
import { createPacer, pacedMessenger } from './pace.ts';

/** Feishu's answers to a tenant token request with a wrong app id or secret. */
const CREDENTIAL_REFUSALS = new Set([10003, 10014]);

export interface FeishuTransportContext {
  settings: FeishuSettings;
  /** Redacting log. */
  log: (msg: string) => void;
  /** The unredacted sink and the redactor, for the SDK's own logger. */
  write: (msg: string) => void;
  redact: (text: string) => string;
  retry?: Partial<RetryPolicy> | undefined;
  /** The clock and wait that pace messages to 5 a second per chat; default the real ones. */
  pace?: { now: () => number; sleep: (ms: number) => Promise<void> } | undefined;
  /** The one HTTP server's routes (HTTP mode). */
  http?: PlatformHttp | undefined;
}

/** What the SDK hands on: a message event (answered once it resolves) and a card callback (answered with its result). */
export interface FeishuEvents {
  message(data: unknown): Promise<void>;
  card(data: unknown): Promise<unknown>;
  /** The handler's error for "not taken now, send it again later": HTTP 503 instead of 500. */
  isBusy(e: unknown): boolean;
}

export interface FeishuTransport {
  /** Replies, card updates and file uploads, retried as `retry` says and paced per chat. */
  messenger: Messenger;
  /** Reminders: not retried here (the ticker's backoff does that), sharing the pace per chat. */
  reminders: Messenger;
  /** The bot's own open_id (mentions of it address the bot), or null when Feishu would not say. */
  botOpenId: string | null;
  /** Opens the long connection, or starts taking the callback routes; events go to `events`. */
  start(events: FeishuEvents): Promise<void>;
  /** HTTP: listening; long connection: connected (rejects when Feishu refuses the app's credentials). */
  ready: Promise<void>;
  /** HTTP mode: the one HTTP server's base URL the callbacks come to. */
  url(): string | null;
  /** Whether events reach the bot now: the long connection's own state, or the routes on a listening server. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** The logger handed to the Lark SDK: every line goes through `redact` before it reaches `log`. */
export function sdkLogger(log: (msg: string) => void, redact: (text: string) => string): Logger {
  const out = platformLog({ write: log, redact, describe, prefix: (level) => `[lark ${level}] ` });
  // LoggerProxy passes its arguments as one array.
  const line = (level: string) => (...args: unknown[]) => out.sdk(level, args.flatMap((a) => (Array.isArray(a) ? a : [a])));
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), trace: line('trace') };
}

/** The SDK's client, checked against Feishu (HTTP mode), with the bot's identity read; throws PlatformConfigError when refused. */
export async function feishuTransport(ctx: FeishuTransportContext): Promise<FeishuTransport> {
  const { settings, log } = ctx;
  const cache = new DefaultCache(); // this app's tenant token only; never the SDK's process-wide cache
  const sdk = { loggerLevel: settings.loggerLevel, logger: sdkLogger(ctx.write, ctx.redact) };
  const client = new Client({ appId: settings.appId, appSecret: settings.appSecret, domain: settings.domain, cache, ...sdk });
  const pacer = createPacer(ctx.pace ?? { now: () => Date.now(), sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) });
  const messenger = pacedMessenger(createMessenger(client, { retry: ctx.retry, log }), pacer);
  const reminders = pacedMessenger(createMessenger(client, { retry: { retries: 0 }, log }), pacer); // one pace per chat for both

  // HTTP mode: a wrong App Secret would otherwise leave the bot up but unable to answer, and unable to tell mentions of
  // itself from others' (the long connection fails on its own). Only a refusal stops start-up; Feishu unreachable
  // for the moment is logged, and the SDK asks again on the first call.
  if (settings.mode === 'http') {
    if (!ctx.http) throw new PlatformConfigError('FEISHU_MODE=http needs the one HTTP server (or set FEISHU_MODE=ws for the long connection)');
    const refused = await messenger.checkCredentials?.().catch((e: Error) => {
      log(`feishu: could not check FEISHU_APP_ID and FEISHU_APP_SECRET now (${e.message}); check FEISHU_DOMAIN if this persists`);
      return null;
    });
    if (refused && CREDENTIAL_REFUSALS.has(refused.code ?? -1)) {
      throw new PlatformConfigError(`Feishu refused FEISHU_APP_ID / FEISHU_APP_SECRET (tenant token, code ${refused.code}): check both in the developer console`);
    }
  }

  let botOpenId: string | null = null;
  try {
    botOpenId = await messenger.botOpenId();
  } catch (e) {
    log(`feishu: could not read the bot's identity (bot/v3/info): ${(e as Error).message}; any mention in a group counts as addressing the bot`);
  }

  let closeRoutes: (() => Promise<void>) | null = null;
  let ws: WSClient | null = null;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const ready = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  ready.catch(() => undefined); // reported to whoever awaits it
  const http = settings.mode === 'http' ? ctx.http! : null;

  return {
    messenger, reminders, botOpenId, ready,
    async start(events) {
      const dispatcher = new EventDispatcher({ encryptKey: settings.encryptKey ?? undefined, cache, ...sdk }).register<{
        'card.action.trigger': (data: unknown) => Promise<unknown>;
      }>({
        // Answered (HTTP 200, or the long connection's ack frame) once the message is in the inbox; the work runs after.
        // Feishu re-sends events it sees no answer to within 3 s, or a failure (the inbox is full).
        'im.message.receive_v1': (data: unknown) => events.message(data),
        'card.action.trigger': (data: unknown) => events.card(data),
      });
      if (http) {
        // The one HTTP server hands these two paths to the listener, which verifies, decrypts and answers as before.
        closeRoutes = http.listen([EVENTS_PATH, CARDS_PATH], callbackListener({
          encryptKey: settings.encryptKey, verificationToken: settings.verificationToken,
          dispatch: (body) => dispatcher.invoke(body, { needCheck: false }), // openRequest has checked signature and token
          isBusy: events.isBusy, log,
        }));
        log(`feishu: HTTP callbacks on ${http.base()}${EVENTS_PATH} and ${CARDS_PATH}`);
        settle.resolve();
        return;
      }
      ws = new WSClient({
        appId: settings.appId, appSecret: settings.appSecret, domain: settings.domain, ...sdk,
        onReady: () => { log('feishu: long connection open'); settle.resolve(); },
        onError: (e: Error) => settle.reject(new Error(`feishu long connection failed (check FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_DOMAIN): ${ctx.redact(e.message)}`)),
      });
      await ws.start({ eventDispatcher: dispatcher });
    },
    url: () => (closeRoutes && http ? http.base() : null),
    // The SDK's state is `reconnecting` from a drop until a new socket opens.
    connected: () => (ws ? ws.getConnectionStatus().state === 'connected' : closeRoutes !== null && http !== null && http.base() !== ''),
    async stop() {
      ws?.close({ force: true });
      await closeRoutes?.(); // answered 503 from now on (Feishu sends those again); the requests in hand first
    },
  };
}

import { Client, DefaultCache, EventDispatcher, WSClient, type Logger } from '@larksuiteoapi/node-sdk';
import type { ChatApp, Platform, PlatformDeps } from '../platform.ts';
import { inboxMaxOf, replicaOwner } from '../kit/inbox.ts';
import { createHandlers, InboxBusyError } from './handler.ts';
import { callbackListener, CARDS_PATH, EVENTS_PATH } from './transport/callbacks.ts';
import { createMessenger } from './transport/api.ts';
import { platformLog } from '../kit/log.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import { PlatformConfigError } from '../kit/errors.ts';
import { createPacer, pacedMessenger } from './transport/pace.ts';
import { feishuSender } from './sender.ts';
import { describe, redactorOf, settings as declared } from './settings.ts';

export interface FeishuDeps extends PlatformDeps {
  cardBudgetMs?: number; // card callbacks answer within this, then finish by patching the card; default 2500
  /**
   * Retries of a reply, card update or file upload Feishu refused for now (429, 5xx, no answer); default 3 retries
   * waiting 200, 400, 800 ms (longer when x-ogw-ratelimit-reset says so), no wait over 10 s. Reminders are not
   * retried here: the ticker's backoff does that (15 s, 30 s, ...) without holding up other incidents.
   */
  retry?: Partial<RetryPolicy>;
  /** The clock and wait that pace messages to 5 a second per chat; default the real ones (tests pass a virtual pair). */
  pace?: { now: () => number; sleep: (ms: number) => Promise<void> };
  /** Events accepted and not yet processed, at most (then: not acknowledged, so Feishu re-sends); default 1000 or INBOX_MAX. */
  inboxMax?: number;
}

/** Feishu's answers to a tenant token request with a wrong app id or secret. */
const CREDENTIAL_REFUSALS = new Set([10003, 10014]);

export interface FeishuApp extends ChatApp {
  /** HTTP: listening; long connection: connected (rejects when Feishu refuses the app's credentials). */
  ready: Promise<void>;
  /** HTTP mode: the one HTTP server's base URL the callbacks come to (events at /feishu/events, cards at /feishu/cards). */
  url: string | null;
  /**
   * Whether events reach the bot now: the long connection's socket is open (the SDK's own state: it is `reconnecting`
   * from a drop until a new socket opens), or the callback routes are mounted on a listening server. /readyz reads it.
   */
  connected(): boolean;
}

/**
 * The Feishu (Lark) adapter: message events and card callbacks in, over HTTP or the long connection;
 * replies, card updates and reminders out through the open API. Throws PlatformConfigError on bad settings.
 */
export async function startFeishu(deps: FeishuDeps): Promise<FeishuApp> {
  const settings = declared.read(deps.env);
  const redact = redactorOf(settings);
  const { log } = platformLog({ write: deps.log, redact, describe, prefix: () => '' });
  const logger = sdkLogger(deps.log, redact);
  const cache = new DefaultCache(); // this app's tenant token only; never the SDK's process-wide cache
  const sdk = { loggerLevel: settings.loggerLevel, logger };
  const client = new Client({ appId: settings.appId, appSecret: settings.appSecret, domain: settings.domain, cache, ...sdk });
  const pacer = createPacer(deps.pace ?? { now: () => Date.now(), sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) });
  const messenger = pacedMessenger(createMessenger(client, { retry: deps.retry, log }), pacer);

  // HTTP mode: a wrong App Secret would otherwise leave the bot up but unable to answer, and unable to tell mentions of
  // itself from others' (the long connection fails on its own). Only a refusal stops start-up; Feishu unreachable
  // for the moment is logged, and the SDK asks again on the first call.
  if (settings.mode === 'http') {
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

  const lang = deps.config.institution.language;
  const handlers = createHandlers({
    bot: deps.bot, store: deps.store, messenger, now: deps.now, log, lang,
    allowed: declared.allowed(settings), botOpenId: () => botOpenId, cardBudgetMs: deps.cardBudgetMs ?? 2500,
    owner: `feishu@${replicaOwner(deps.env)}`, inboxMax: inboxMaxOf(deps.inboxMax, deps.env),
  });
  const dispatcher = new EventDispatcher({ encryptKey: settings.encryptKey ?? undefined, cache, ...sdk }).register<{
    'card.action.trigger': (data: unknown) => Promise<unknown>;
  }>({
    // Answered (HTTP 200, or the long connection's ack frame) once the message is in the inbox; the work runs after.
    // Feishu re-sends events it sees no answer to within 3 s, or a failure (InboxBusyError: the inbox is full).
    'im.message.receive_v1': (data: unknown) => handlers.onMessage(data),
    'card.action.trigger': (data: unknown) => handlers.onCard(data),
  });
  const reminders = pacedMessenger(createMessenger(client, { retry: { retries: 0 }, log }), pacer); // one pace per chat for both
  const sender = feishuSender({ messenger: reminders, store: deps.store, now: deps.now, lang, log });

  let closeRoutes: (() => Promise<void>) | null = null;
  let ws: WSClient | null = null;
  let ready: Promise<void>;
  if (settings.mode === 'http') {
    if (!deps.http) throw new PlatformConfigError('FEISHU_MODE=http needs the one HTTP server (or set FEISHU_MODE=ws for the long connection)');
    // The one HTTP server hands these two paths to the listener, which verifies, decrypts and answers as before.
    closeRoutes = deps.http.listen([EVENTS_PATH, CARDS_PATH], callbackListener({
      encryptKey: settings.encryptKey, verificationToken: settings.verificationToken,
      dispatch: (body) => dispatcher.invoke(body, { needCheck: false }), // openRequest has checked signature and token
      isBusy: (e) => e instanceof InboxBusyError, log,
    }));
    log(`feishu: HTTP callbacks on ${deps.http.base()}${EVENTS_PATH} and ${CARDS_PATH}`);
    ready = Promise.resolve();
  } else {
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    ready = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
    ready.catch(() => undefined); // reported to whoever awaits it
    ws = new WSClient({
      appId: settings.appId, appSecret: settings.appSecret, domain: settings.domain, ...sdk,
      onReady: () => { log('feishu: long connection open'); settle.resolve(); },
      onError: (e: Error) => settle.reject(new Error(`feishu long connection failed (check FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_DOMAIN): ${redact(e.message)}`)),
    });
    await ws.start({ eventDispatcher: dispatcher });
  }
  // Messages acknowledged before the last stop (a crash) and not processed: now, each once, in the order received.
  await handlers.start();

  const http = closeRoutes ? deps.http! : null;
  return {
    sender,
    ready,
    url: http ? http.base() : null,
    connected: () => (ws ? ws.getConnectionStatus().state === 'connected' : closeRoutes !== null && http!.base() !== ''),
    idle: handlers.idle,
    async stop() {
      ws?.close({ force: true });
      await closeRoutes?.(); // answered 503 from now on (Feishu sends those again); the requests in hand first
      await handlers.stop();
    },
  };
}

/** The logger handed to the Lark SDK: every line goes through `redact` before it reaches `log`. */
export function sdkLogger(log: (msg: string) => void, redact: (text: string) => string): Logger {
  const out = platformLog({ write: log, redact, describe, prefix: (level) => `[lark ${level}] ` });
  // LoggerProxy passes its arguments as one array.
  const line = (level: string) => (...args: unknown[]) => out.sdk(level, args.flatMap((a) => (Array.isArray(a) ? a : [a])));
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), trace: line('trace') };
}

/** Feishu as a registry entry (adapters/platforms.ts). */
export async function feishuPlatform(deps: PlatformDeps): Promise<Platform> {
  const feishu = await startFeishu(deps);
  return {
    prefix: 'feishu:', sender: feishu.sender, stop: () => feishu.stop(), ready: feishu.ready, connected: () => feishu.connected(),
    receives: feishu.url ? `HTTP callbacks on ${feishu.url}` : 'long connection',
  };
}

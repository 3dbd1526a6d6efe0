import { WSClient, type WsFrameHeaders } from '@wecom/aibot-node-sdk';
import type { ChatApp, Platform, PlatformDeps } from '../platform.ts';
import { inboxMaxOf, replicaOwner } from '../kit/inbox.ts';
import { createHandlers } from './handler.ts';
import { createMessenger } from './messenger.ts';
import { platformLog } from '../kit/log.ts';
import { DESCRIBE_MAX_CHARS } from '../kit/redact.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import type { LogLevel } from '../kit/settings.ts';
import type { Logger } from '@wecom/aibot-node-sdk';
import { wecomSender } from './sender.ts';
import { describe, readSettings, redactorOf } from './settings.ts';

export interface WecomDeps extends PlatformDeps {
  /** A click waits this long for the bot before the card says "working" (WeCom takes an update within 5 s); default 3000. */
  cardBudgetMs?: number;
  /**
   * Retries of a reply, card update or file WeCom refused for now (system busy, frequency limit, no ack); default 3
   * retries waiting 200, 400, 800 ms. Reminders are not retried here: the ticker's backoff does that.
   */
  retry?: Partial<RetryPolicy>;
  /** The SDK's heartbeat (a ping frame) interval; default 30000 ms, as WeCom asks. */
  heartbeatMs?: number;
  /** The first reconnect delay after the connection drops (then doubling, at most 30 s); default 1000 ms. */
  reconnectMs?: number;
  /** Callbacks accepted and not yet processed, at most (then: answered "busy", nothing written); default 1000 or INBOX_MAX. */
  inboxMax?: number;
}

export interface WecomApp extends ChatApp {
  /** Connected and subscribed; rejects, naming the variables to check, when WeCom refuses the credentials or cannot be reached. */
  ready: Promise<void>;
}

/**
 * The WeCom smart-robot adapter: messages and card clicks in over the long connection (aibot_subscribe with the
 * Bot ID and Secret, then callbacks), replies, card updates, reminders and files out over the same connection.
 * Throws PlatformConfigError on bad settings.
 */
export async function startWecom(deps: WecomDeps): Promise<WecomApp> {
  const s = readSettings(deps.env);
  const redact = redactorOf(s);
  const { log } = platformLog({ write: deps.log, redact, describe, prefix: () => '' });
  const client = new WSClient({
    botId: s.botId, secret: s.secret, wsUrl: s.wsUrl, ...(s.ca ? { wsOptions: { ca: s.ca } } : {}),
    logger: sdkLogger(deps.log, redact, s.logLevel),
    heartbeatInterval: deps.heartbeatMs ?? 30_000,
    reconnectInterval: deps.reconnectMs ?? 1000,
    maxReconnectAttempts: -1, // once running, keep reconnecting: reminders depend on the connection
  });
  const lang = deps.config.institution.language;
  const handlers = createHandlers({
    bot: deps.bot, store: deps.store, messenger: createMessenger(client, { retry: deps.retry, log }), now: deps.now, log, lang,
    allowed: { chats: s.allowedChats, users: s.allowedUsers }, cardBudgetMs: deps.cardBudgetMs ?? 3000,
    owner: `wecom@${replicaOwner(deps.env)}`, inboxMax: inboxMaxOf(deps.inboxMax, deps.env),
  });
  const sender = wecomSender({ messenger: createMessenger(client, { retry: { retries: 0 }, log }), lang, log });

  // The listeners return at once: each callback is written to the inbox first, then run from there (tracked for
  // idle() and stop()). WeCom's long connection has no acknowledgement of a callback: taking it off the socket is all.
  client.on('message', (frame: WsFrameHeaders) => handlers.track(handlers.onMessage(frame)));
  client.on('event.template_card_event', (frame: WsFrameHeaders) => handlers.track(handlers.onCard(frame)));
  client.on('event.enter_chat', (frame: WsFrameHeaders) => handlers.track(handlers.onEnterChat(frame)));
  client.on('event.disconnected_event', () => log('wecom: another connection with this Bot ID replaced this one (WeCom keeps one per robot); this process no longer receives WeCom messages'));
  client.on('disconnected', (reason: string) => log(`wecom: long connection closed (${reason})`));
  client.on('reconnecting', (attempt: number) => log(`wecom: reconnecting (attempt ${attempt})`));

  let authenticated = false;
  const ready = new Promise<void>((resolve, reject) => {
    client.on('authenticated', () => {
      if (!authenticated) {
        log(`wecom: long connection open (${s.wsUrl})`);
        // Callbacks taken before the last stop (a crash) and not processed: now, each once, in the order received.
        handlers.track(handlers.start().catch((e: Error) => log(`wecom: could not resume the inbox (${e.message}); what it holds is resumed at the next start`)));
      }
      authenticated = true;
      resolve();
    });
    client.on('error', (e: Error) => {
      if (authenticated) {
        log(`wecom: ${e.message}`);
        return;
      }
      // Before the first subscribe succeeds, an error stops start-up: bad credentials stay bad.
      client.disconnect();
      const refused = /Authentication failed|auth failure/i.test(e.message);
      reject(new Error(refused
        ? `WeCom refused the robot's credentials (check WECOM_BOT_ID and WECOM_BOT_SECRET): ${redact(e.message)}`
        : `WeCom long connection failed (check WECOM_WS_URL${s.ca ? ' and WECOM_CA_FILE' : ''}): ${redact(e.message)}`));
    });
  });
  ready.catch(() => undefined); // reported to whoever awaits it
  client.connect();

  return {
    sender,
    ready,
    idle: handlers.idle,
    async stop() {
      // Work in hand first: its replies go out over this connection.
      await handlers.stop();
      if (client.isConnected || authenticated) client.disconnect();
    },
  };
}

/** The logger handed to the SDK: lines below `level` are dropped, every other goes through `redact` to `log`. */
export function sdkLogger(log: (msg: string) => void, redact: (text: string) => string, level: LogLevel): Logger {
  const out = platformLog({ write: log, redact, describe, prefix: (at) => `[wecom ${at}] `, level: () => level, maxChars: DESCRIBE_MAX_CHARS });
  const line = (at: LogLevel) => (message: string, ...args: unknown[]) => out.sdk(at, [message, ...args]);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** WeCom as a registry entry (adapters/platforms.ts). */
export async function wecomPlatform(deps: PlatformDeps): Promise<Platform> {
  const wecom = await startWecom(deps);
  return { prefix: 'wecom:', sender: wecom.sender, stop: () => wecom.stop(), ready: wecom.ready, receives: 'long connection' };
}

import type { ChatApp, Platform, PlatformDeps } from '../platform.ts';
import { inboxMaxOf, replicaOwner } from '../kit/inbox.ts';
import { createHandlers, InboxBusyError, reminderSender } from './handler.ts';
import { feishuTransport } from './transport/index.ts';
import { platformLog } from '../kit/log.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import { feishuOut } from './transport/send.ts';
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
  const transport = await feishuTransport({ settings, log, write: deps.log, redact, retry: deps.retry, pace: deps.pace, http: deps.http });
  const { messenger, botOpenId } = transport;
  const lang = deps.config.institution.language;
  const handlers = createHandlers({
    bot: deps.bot, store: deps.store, messenger, out: feishuOut({ messenger, store: deps.store, now: deps.now, log }), now: deps.now, log, lang,
    allowed: declared.allowed(settings), botOpenId: () => botOpenId, cardBudgetMs: deps.cardBudgetMs ?? 2500,
    owner: `feishu@${replicaOwner(deps.env)}`, inboxMax: inboxMaxOf(deps.inboxMax, deps.env),
  });
  const sender = reminderSender(feishuOut({ messenger: transport.reminders, store: deps.store, now: deps.now, log }), lang);
  await transport.start({ message: (data) => handlers.onMessage(data), card: (data) => handlers.onCard(data), isBusy: (e) => e instanceof InboxBusyError });
  // Messages acknowledged before the last stop (a crash) and not processed: now, each once, in the order received.
  await handlers.start();

  return {
    sender,
    ready: transport.ready,
    url: transport.url(),
    connected: () => transport.connected(),
    idle: handlers.idle,
    async stop() {
      await transport.stop();
      await handlers.stop();
    },
  };
}

/** Feishu as a registry entry (adapters/platforms.ts). */
export async function feishuPlatform(deps: PlatformDeps): Promise<Platform> {
  const feishu = await startFeishu(deps);
  return {
    prefix: 'feishu:', sender: feishu.sender, stop: () => feishu.stop(), ready: feishu.ready, connected: () => feishu.connected(),
    receives: feishu.url ? `HTTP callbacks on ${feishu.url}` : 'long connection',
  };
}

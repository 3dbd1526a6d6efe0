import type { ChatApp, Platform, PlatformDeps } from '../platform.ts';
import { inboxMaxOf, replicaOwner } from '../kit/inbox.ts';
import { createHandlers } from './handler.ts';
import { createOpenApi, DingtalkApiError } from './openapi.ts';
import { PlatformConfigError } from '../kit/errors.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import { dingtalkSender } from './sender.ts';
import { describe, readSettings, redactorOf } from './settings.ts';
import { platformLog } from '../kit/log.ts';
import { openStream, type Stream } from './stream.ts';

export interface DingtalkDeps extends PlatformDeps {
  /**
   * Retries of a reply or card update DingTalk refused for now (429, 5xx, flow control, no answer); default 3 retries
   * waiting 200, 400, 800 ms. Reminders are not retried here: the ticker's backoff does that.
   */
  retry?: Partial<RetryPolicy>;
  /** Frames accepted and not yet processed, at most (then: not acknowledged, so DingTalk re-sends); default 1000 or INBOX_MAX. */
  inboxMax?: number;
}

export type DingtalkApp = ChatApp;

/**
 * The DingTalk adapter: robot messages and card callbacks in over the Stream connection (no public URL); replies,
 * cards, files and reminders out through the OpenAPI. Throws PlatformConfigError on bad settings and when DingTalk
 * refuses the credentials.
 */
export async function startDingtalk(deps: DingtalkDeps): Promise<DingtalkApp> {
  const settings = readSettings(deps.env);
  let stream: Stream | null = null;
  const seen = function* (): Generator<string> {
    yield* api.tokenCache.tokens;
    if (stream) yield* stream.tickets;
  };
  const redact = redactorOf(settings, seen);
  const { log } = platformLog({ write: deps.log, redact, describe, prefix: () => '' });
  const common = { apiUrl: settings.apiUrl, oapiUrl: settings.oapiUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, robotCode: settings.robotCode, now: deps.now, log };
  const api = createOpenApi({ ...common, ...(deps.retry ? { retry: deps.retry } : {}) });
  try {
    await api.token();
  } catch (e) {
    if (e instanceof DingtalkApiError && !e.transient) {
      throw new PlatformConfigError(`DingTalk refused the app's credentials: check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (${e.message})`);
    }
    throw new PlatformConfigError(`DingTalk's OpenAPI did not answer at DINGTALK_API_URL (${(e as Error).message})`);
  }
  const lang = deps.config.institution.language;
  const deliverDeps = { api, store: deps.store, now: deps.now, log, cardTemplateId: settings.cardTemplateId };
  const handlers = createHandlers({
    ...deliverDeps, bot: deps.bot, lang, allowed: { chats: settings.allowedChats, users: settings.allowedUsers },
    owner: `dingtalk@${replicaOwner(deps.env)}`, inboxMax: inboxMaxOf(deps.inboxMax, deps.env),
  });
  try {
    stream = await openStream({
      clientId: settings.clientId, clientSecret: settings.clientSecret, apiUrl: settings.apiUrl, debug: settings.logLevel === 'debug', log,
      // Acked (socketCallBackResponse) once the frame is in the inbox; the work runs after. DingTalk re-sends a frame
      // it sees no ack for, which is what a full inbox relies on.
      onMessage: (frame, ack) => handlers.track(handlers.onMessage(frame, ack)),
      onCard: (frame, ack) => handlers.track(handlers.onCard(frame, ack)),
    });
  } catch (e) {
    throw new PlatformConfigError((e as Error).message);
  }
  // Frames acknowledged before the last stop (a crash) and not processed: now, each once, in the order received.
  await handlers.start();
  const reminders = createOpenApi({ ...common, retry: { retries: 0 }, tokenCache: api.tokenCache });
  log(`dingtalk: ready (Stream mode, robot ${settings.robotCode}, ${settings.cardTemplateId ? `card template ${settings.cardTemplateId}` : 'text answers: no DINGTALK_CARD_TEMPLATE_ID'})`);
  return {
    sender: dingtalkSender({ ...deliverDeps, api: reminders, lang }),
    idle: handlers.idle,
    async stop() {
      stream?.stop();
      await handlers.stop();
    },
  };
}

/** DingTalk as a registry entry (adapters/platforms.ts). */
export async function dingtalkPlatform(deps: PlatformDeps): Promise<Platform> {
  const dingtalk = await startDingtalk(deps);
  return { prefix: 'dingtalk:', sender: dingtalk.sender, stop: () => dingtalk.stop(), receives: 'Stream mode' };
}

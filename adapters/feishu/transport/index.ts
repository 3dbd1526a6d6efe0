// Feishu's transport: the Lark SDK's client (open API calls, retried and paced per chat), and how events come in —
// the long connection (WSClient) or the HTTP callbacks on the one HTTP server — with whether they reach the bot now.
// A card callback is answered with what the kit says (a refusal, a duplicate) or with the card update the kit makes on
// it while it is open; past it the card is patched.
import { createHash } from 'node:crypto';
import { Client, DefaultCache, Domain, EventDispatcher, LoggerLevel, WSClient, type Logger } from '@larksuiteoapi/node-sdk';
import type { Reply } from '../../../src/conversation/types.ts';
import { PlatformConfigError } from '../../kit/errors.ts';
import { platformLog } from '../../kit/log.ts';
import type { AckAnswer, Transport, TransportContext } from '../../kit/platform.ts';
import type { FeishuPayload } from '../parse.ts';
import { UI, withDraftFiles, type CardJson, type FeishuMessage, type FeishuUpdate, type Toast, type UploadedFile } from '../render.ts';
import { describe, type FeishuSettings } from '../settings.ts';
import { createMessenger, type Messenger } from './api.ts';
import { callbackListener, CARDS_PATH, EVENTS_PATH } from './callbacks.ts';
import { createPacer, pacedMessenger } from './pace.ts';
import { feishuOut, reminderUuid, type FeishuTarget } from './send.ts';

/** Feishu's answers to a tenant token request with a wrong app id or secret. */
const CREDENTIAL_REFUSALS = new Set([10003, 10014]);

/** Thrown to the SDK when the inbox is full: the event is not acknowledged (HTTP 503, or a 500 frame), so Feishu re-sends it. */
export class InboxBusyError extends Error {
  constructor() {
    super('inbox full: not acknowledged, Feishu will send it again');
    this.name = 'InboxBusyError';
  }
}

/** A card callback waiting for its answer (Feishu shows an error after 3 s). */
interface Callback { answered: boolean; answer(body: CallbackAnswer): void }
interface CallbackAnswer { toast?: Toast; card?: { type: 'raw'; data: CardJson } }

/** The logger handed to the Lark SDK: every line goes through `redact` before it reaches `log`. */
export function sdkLogger(log: (msg: string) => void, redact: (text: string) => string): Logger {
  const out = platformLog({ write: log, redact, describe, prefix: (level) => `[lark ${level}] ` });
  // LoggerProxy passes its arguments as one array.
  const line = (level: string) => (...args: unknown[]) => out.sdk(level, args.flatMap((a) => (Array.isArray(a) ? a : [a])));
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), trace: line('trace') };
}

/** The SDK's client, checked against Feishu (HTTP mode), with the bot's identity read; throws PlatformConfigError when refused. */
export async function feishuTransport(ctx: TransportContext<FeishuSettings>): Promise<Transport<FeishuPayload, FeishuTarget, FeishuMessage, FeishuUpdate>> {
  const { settings, log } = ctx;
  if (!ctx.store) throw new PlatformConfigError('Feishu: started without a store');
  const lang = ctx.lang ?? 'zh-CN';
  const cache = new DefaultCache(); // this app's tenant token only; never the SDK's process-wide cache
  const sdk = { loggerLevel: LoggerLevel[settings.loggerLevel], logger: sdkLogger(log, (x) => x) }; // `log` redacts
  const domain = settings.domain === 'feishu' ? Domain.Feishu : settings.domain === 'lark' ? Domain.Lark : settings.domain;
  const client = new Client({ appId: settings.appId, appSecret: settings.appSecret, domain, cache, ...sdk });
  const pacer = createPacer({ now: () => Date.now(), sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) });
  const messenger: Messenger = pacedMessenger(createMessenger(client, { retry: ctx.retry, log }), pacer);
  // Reminders are not retried here: the ticker's backoff does that (15 s, 30 s, ...) without holding up other incidents.
  const reminders: Messenger = pacedMessenger(createMessenger(client, { retry: { retries: 0 }, log }), pacer); // one pace per chat for both
  const out = feishuOut({ messenger, store: ctx.store, now: ctx.now, log });
  const once = feishuOut({ messenger: reminders, store: ctx.store, now: ctx.now, log });

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
  const http = settings.mode === 'http' ? ctx.http! : null;
  /** Card callbacks still open, by the payload the kit was given. */
  const callbacks = new Map<FeishuPayload, Callback>();

  /** A card callback: answered with the kit's refusal, or the card update it makes while the callback is open. */
  async function cardCallback(data: unknown, onPayload: (p: FeishuPayload, ack: (a?: AckAnswer) => void) => Promise<void>): Promise<CallbackAnswer> {
    const payload: FeishuPayload = { kind: 'card', data, botOpenId };
    let settle!: (a: CallbackAnswer) => void;
    const answer = new Promise<CallbackAnswer>((resolve) => { settle = resolve; });
    const cb: Callback = { answered: false, answer: (a) => { if (cb.answered) return; cb.answered = true; callbacks.delete(payload); settle(a); } };
    callbacks.set(payload, cb);
    let taken = false;
    await onPayload(payload, (a) => {
      if (a === undefined) return;
      if (typeof a === 'string') cb.answer({ toast: { type: 'error', content: a } });
      else if ('again' in a) cb.answer({ toast: { type: 'info', content: UI[lang].duplicate } });
      else taken = true; // the kit's card update (or its "working", within the budget) answers
    });
    if (!taken) cb.answer({});
    return answer;
  }

  /** Cards under the clicked one; each uuid from its content, so a resumed click does not post them twice. */
  async function postUnder(card: string, chatId: string | undefined, cards: readonly CardJson[]): Promise<void> {
    let to: FeishuTarget = { chatId: chatId ?? '', under: card };
    for (const [i, c] of cards.entries()) {
      const uuid = `c${i + 1}-${createHash('sha256').update(`${card}|${JSON.stringify(c)}`).digest('hex').slice(0, 40)}`;
      to = (await out.send(to, { msgType: 'interactive', card: c }, { uuid })).next;
    }
  }

  return {
    async start(onPayload) {
      const dispatcher = new EventDispatcher({ encryptKey: settings.encryptKey ?? undefined, cache, ...sdk }).register<{
        'card.action.trigger': (data: unknown) => Promise<unknown>;
      }>({
        // Answered (HTTP 200, or the long connection's ack frame) once the message is in the inbox; the work runs after.
        // Feishu re-sends events it sees no answer to within 3 s, or a failure (the inbox is full).
        'im.message.receive_v1': async (data: unknown) => {
          let acked = false;
          await onPayload({ kind: 'message', data, botOpenId }, () => { acked = true; });
          if (!acked) throw new InboxBusyError();
        },
        'card.action.trigger': (data: unknown) => cardCallback(data, onPayload),
      });
      if (http) {
        // The one HTTP server hands these two paths to the listener, which verifies, decrypts and answers as before.
        closeRoutes = http.listen([EVENTS_PATH, CARDS_PATH], callbackListener({
          encryptKey: settings.encryptKey, verificationToken: settings.verificationToken,
          dispatch: (body) => dispatcher.invoke(body, { needCheck: false }), // openRequest has checked signature and token
          isBusy: (e) => e instanceof InboxBusyError, log,
        }));
        log(`feishu: HTTP callbacks on ${http.base()}${EVENTS_PATH} and ${CARDS_PATH}`);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        ws = new WSClient({
          appId: settings.appId, appSecret: settings.appSecret, domain, ...sdk,
          onReady: () => { log('feishu: long connection open'); resolve(); },
          onError: (e: Error) => fail(e),
        });
        // Refused: closed here (the SDK would go on trying), and start-up stops naming the settings to check.
        const fail = (e: Error) => {
          ws?.close({ force: true });
          reject(new Error(`feishu long connection failed (check FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_DOMAIN): ${e.message}`));
        };
        ws.start({ eventDispatcher: dispatcher }).catch(fail);
      });
    },
    async send(to, m, o = {}) {
      const { uuid, reminder, incident, about, what, ...message } = m;
      const via = o.once ? once : out;
      const sent = await via.send(to, message, {
        uuid: reminder ? `${await reminderUuid(via, reminder.key)}-${reminder.part}` : uuid, incident, about, what, signal: o.signal,
      });
      // A file message is no place for the rest of the answer: that stays where it was going.
      return m.msgType === 'file' ? { id: sent.id } : sent;
    },
    async prepare(replies, lang) {
      // A long text (a report draft) is also sent as a file; files are uploaded before the card, so that the card can
      // say when one did not go: a failed upload puts an error line after the file's 📎 line.
      const shown: Reply[] = [];
      for (const r of withDraftFiles(replies, lang)) {
        if (r.type !== 'file') {
          shown.push(r);
          continue;
        }
        try {
          const uploaded: UploadedFile = { ...r, fileKey: await messenger.uploadFile({ name: r.filename, data: r.data }) };
          shown.push(uploaded);
        } catch (e) {
          log(`feishu: uploading ${r.filename} for ${r.incidentId} failed (${(e as Error).message})`);
          shown.push(r, { type: 'error', text: UI[lang].fileFailed(r.filename) });
        }
      }
      return shown;
    },
    async updateCard(card, u, live) {
      const cb = live ? callbacks.get(live) : undefined;
      const chatId = live ? (live.data as { context?: { open_chat_id?: string } } | null)?.context?.open_chat_id : undefined;
      if (cb && !cb.answered) {
        // Within Feishu's 3 s: the callback's own answer (a toast, and the card that replaces the clicked one).
        cb.answer({ toast: u.toast, ...(u.card ? { card: { type: 'raw', data: u.card } } : {}) });
      } else if (u.card) {
        // The callback was answered "working" (or the bot restarted meanwhile): the result goes on the card.
        await messenger.patch(card, u.card);
      } else {
        await postUnder(card, chatId, u.instead ?? []);
      }
      if (u.card && u.about) await out.remember(u.about, chatId ?? '', card);
      await postUnder(card, chatId, u.more ?? []);
    },
    get receives() {
      return closeRoutes && http ? `HTTP callbacks on ${http.base()}` : 'long connection';
    },
    // The SDK's state is `reconnecting` from a drop until a new socket opens.
    connected: () => (ws ? ws.getConnectionStatus().state === 'connected' : closeRoutes !== null && http !== null && http.base() !== ''),
    async stop() {
      ws?.close({ force: true });
      await closeRoutes?.(); // answered 503 from now on (Feishu sends those again); the requests in hand first
    },
  };
}

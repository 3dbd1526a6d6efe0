// Slack's transport: Bolt's own receivers through its Receiver port (HTTP on the one HTTP server's `/slack/events`,
// or Socket Mode when SLACK_APP_TOKEN is set), the Web API for replies, modals and files, and a client of its own for
// reminders. Every payload goes to the kit before anything acknowledges it: acknowledged means in the inbox.
import { HTTPModuleFunctions, HTTPReceiver, SocketModeReceiver, webApi, type App, type LogLevel, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Lang } from '../../../src/i18n/index.ts';
import type { Outbound, SendOptions } from '../../../src/reminders/message.ts';
import { PlatformConfigError } from '../../kit/errors.ts';
import type { OnPayload, Transport, TransportContext } from '../../kit/platform.ts';
import { allowNote } from '../../kit/settings.ts';
import type { Destination, OpenModal, SlackPayload } from '../parse.ts';
import type { SlackOut } from '../render/index.ts';
import { answerModal } from '../render/question.ts';
import { redact, secretsOf, type SlackSettings } from '../settings.ts';
import { createDelivery } from './deliver.ts';
import { refuseSkewedRequests } from './freshness.ts';
import { webApiFetch } from './http-client.ts';
import { redactingLogger } from './logger.ts';
import { createReminderClient, createSlackSender } from './reminders.ts';

/** The path Slack posts commands, interactivity and events to (the app manifest's three URLs end in it). */
export const EVENTS_PATH = '/slack/events';

/** Past the inbox's bound an event is not acknowledged (503), so Slack sends it again later. */
class BusyError extends Error {}

/**
 * The knobs a test or bench gives (ChatDeps.transport): `socketPingMs` (Socket Mode ping and reconnect unit, the
 * client's default 5000 ms), `requestNow` (the clock signed request times are checked against: real time, as Slack
 * signs with it), `reminderTimeoutMs` (how long one reminder request may take before its client aborts it, default
 * 90 s: the ticker stops waiting sooner but keeps the reminder claimed until the request ends), `fetch` (response_url posts).
 */
function knobs(o: Readonly<Record<string, unknown>> = {}) {
  const num = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
  return {
    socketPingMs: num('socketPingMs'),
    requestNow: typeof o.requestNow === 'function' ? (o.requestNow as () => number) : Date.now,
    reminderTimeoutMs: num('reminderTimeoutMs') ?? 90_000,
    fetch: typeof o.fetch === 'function' ? (o.fetch as typeof fetch) : undefined,
  };
}

export async function slackTransport(ctx: TransportContext<SlackSettings>): Promise<Transport<SlackPayload, Destination, SlackOut, never>> {
  const s = ctx.settings;
  const k = knobs(ctx.options);
  const secrets = secretsOf(s);
  const logger = redactingLogger(ctx.log, s.logLevel, secrets);
  const level = s.logLevel as LogLevel;
  if (!ctx.store) throw new Error('slack: the transport keeps incident threads in the store');
  const store = ctx.store;
  // The Web API client retries a call Slack refused for now (the kit's retry policy as p-retry options).
  const retryConfig = {
    retries: ctx.retry?.retries ?? 2,
    ...(ctx.retry?.baseMs !== undefined ? { minTimeout: ctx.retry.baseMs } : {}),
    ...(ctx.retry?.maxWaitMs !== undefined ? { maxTimeout: ctx.retry.maxWaitMs } : {}),
  };
  const clientOptions = { ...(s.apiUrl ? { slackApiUrl: s.apiUrl } : {}), retryConfig };
  // Web API calls through undici's request() (http-client.ts), not the global fetch: a seventh of its CPU per call.
  const webFetch = webApiFetch();
  const client = new webApi.WebClient(s.botToken, { ...clientOptions, logger, logLevel: level, fetch: webFetch });
  const counted = ctx.counted ?? (<R>(call: Promise<R>) => call);
  const delivery = createDelivery({ client, store, now: ctx.now, fetch: k.fetch ?? webFetch, command: s.command, log: (m) => logger.warn(m), counted });
  // Reminders get a client of their own: a 429 on one must not pause the client that posts users' cards.
  const reminderClient = createReminderClient(s.botToken, { apiUrl: s.apiUrl, timeoutMs: k.reminderTimeoutMs, logger, logLevel: level, fetch: webFetch });
  const reminders = (lang: Lang) =>
    createSlackSender({ client: reminderClient, store, now: ctx.now, command: s.command, defaultLang: lang, log: (m) => logger.warn(m) });

  // Socket Mode: its WebClient (apps.connections.open) gets SLACK_API_URL, and stop() awaits the close.
  const socket = s.appToken
    ? new SocketModeReceiver({
      appToken: s.appToken, logger, logLevel: level, installerOptions: { clientOptions },
      ...(k.socketPingMs ? { clientPingTimeout: k.socketPingMs } : {}),
    })
    : null;
  // HTTP: Bolt's receiver without a server of its own: the one HTTP server hands it the raw requests to /slack/events,
  // and it checks the signature and answers. Requests stamped too far from now (either way) are refused first.
  const http = socket ? null : new HTTPReceiver({
    signingSecret: s.signingSecret!, endpoints: [EVENTS_PATH], logger, logLevel: level,
    // An event the inbox could not take is answered 503 (busy), never 200: Slack sends it again.
    processEventErrorHandler: async (args) => {
      if (args.error instanceof BusyError && !args.response.headersSent) {
        args.response.writeHead(503, { 'retry-after': '10' }).end();
        return true;
      }
      return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
    },
  });
  if (http) refuseSkewedRequests(http, k.requestNow, ctx.log); // loud and aggregated: a skewed clock refuses every request
  const receiver: Receiver = socket ?? http!;
  let up = false;
  if (socket) {
    // /readyz follows the socket: down while it is closed or reconnecting, up once Slack said hello.
    // 'close': the socket closed (the client then waits before reconnecting); 'disconnected': it will not reconnect.
    socket.client.on('connected', () => { up = true; });
    socket.client.on('close', () => { up = false; });
    socket.client.on('disconnected', () => { up = false; });
  }
  let closeRoute: (() => Promise<void>) | null = null;
  let eventsUrl: string | null = null;

  return {
    async start(onPayload: OnPayload<SlackPayload>) {
      try {
        await client.auth.test();
      } catch (e) {
        const code = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
        throw new PlatformConfigError(redact(`Slack rejected SLACK_BOT_TOKEN or could not be reached (auth.test: ${code})${s.apiUrl ? '; check SLACK_API_URL too' : ''}`, secrets));
      }
      if (!socket && !ctx.http) throw new PlatformConfigError('Slack HTTP mode needs the one HTTP server (or set SLACK_APP_TOKEN for Socket Mode)');
      // Bolt's Receiver port: the receiver calls only processEvent on the app it is given. The kit takes each payload
      // (into the inbox, refused, or ignored) and says when to acknowledge; one it left unacknowledged (the inbox is
      // full) is answered 503, so Slack sends it again.
      receiver.init({
        processEvent: async (ev: ReceiverEvent) => {
          let acked = false;
          await onPayload(ev.body as SlackPayload, (answer) => {
            acked = true;
            // A slash command's refusal is its own answer, seen only by the one who typed it.
            void ev.ack(answer === undefined ? undefined : { response_type: 'ephemeral', text: answer }).catch((e: Error) => logger.warn(`could not acknowledge: ${e.message}`));
          });
          if (!acked) throw new BusyError('busy');
        },
      } as unknown as App);
      if (socket) await socket.start();
      else {
        closeRoute = ctx.http!.listen([EVENTS_PATH], (req, res) => http!.requestListener(req, res));
        eventsUrl = `${ctx.http!.base()}${EVENTS_PATH}`;
      }
    },
    send: async (to, out, o) => {
      if (out.kind === 'notice') return delivery.notice(out.text, to);
      if (out.kind === 'replies') return delivery.deliver(out.replies, to, out.lang);
      return reminders(out.lang).send(out.m, o?.signal ? { signal: o.signal } : undefined);
    },
    posted: (_to, m: Outbound, sinceMs: number, opts?: SendOptions) => reminders('zh-CN').posted!(m, sinceMs, opts),
    // Opening the answer modal: its trigger_id lasts 3 s, so it is done at once, not through the inbox.
    async instant(work) {
      const m = work as OpenModal;
      const lang = /[\u4e00-\u9fff]/.test(m.open.prompt) ? 'zh-CN' : 'en';
      const meta = { team: m.origin.team, channel: m.origin.channel, incidentId: m.incidentId, questionId: m.questionId, responseUrl: m.origin.responseUrl, lang } as const;
      await client.views.open({ trigger_id: m.triggerId, view: answerModal(m.open, meta) });
    },
    connected: () => (socket ? up : closeRoute !== null && ctx.http!.base() !== ''),
    get receives() {
      return socket ? 'Socket Mode' : (eventsUrl ?? EVENTS_PATH);
    },
    describe: () => `command ${s.command}${allowNote({ chats: s.allowedChannels, users: s.allowedUsers }, 'channel')}`,
    async stop() {
      // The route answers 503 from now on (Slack sends those again); the requests in hand are answered first.
      if (socket) await socket.client.disconnect();
      else await closeRoute?.();
      closeRoute = null;
    },
  };
}

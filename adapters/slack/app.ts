import { App, HTTPModuleFunctions, HTTPReceiver, SocketModeReceiver, type LogLevel, type ReceiverEvent } from '@slack/bolt';
import { createInbox, inboxMaxOf, replicaOwner, watchOutcomes, type Accepted } from '../kit/inbox.ts';
import type { InboxItem } from '../../src/store/types.ts';
import type { Platform, PlatformDeps } from '../platform.ts';
import type { Sender } from '../../src/reminders/message.ts';
import { createDelivery, type Destination } from './deliver.ts';
import { readSettings, secretsOf, type SlackSettings } from './settings.ts';
import { PlatformConfigError } from '../kit/errors.ts';
import { refusal as bilingual } from '../kit/refusals.ts';
import { allowNote, refusedBy } from '../kit/settings.ts';
import { InboxReceiver } from './receiver.ts';
import { refuseSkewedRequests } from './freshness.ts';
import { ACTION_PREFIX, ANSWER_VIEW } from './ids.ts';
import { redact, redactingLogger } from './logger.ts';
import { parseBlockAction, parseMention, parseSlashCommand, parseViewSubmission, type OpenModal, type Origin, type Parsed } from './parse.ts';
import { answerModal } from './render-question.ts';
import { createReminderClient, createSlackSender } from './sender.ts';

export interface SlackDeps extends PlatformDeps {
  /** Web API retries per call (p-retry options); the ticker has its own backoff, so keep this small. */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number };
  fetch?: typeof fetch; // for response_url posts
  /** Socket Mode ping interval and reconnect delay unit (the client's default 5000 ms); tests shorten it. */
  socketPingMs?: number;
  /** The clock signed request times are checked against (real time; Slack signs with it). */
  requestNow?: () => number;
  /** Commands accepted and not yet processed, at most (then: "busy", nothing written); default 1000 or INBOX_MAX. */
  inboxMax?: number;
  /**
   * How long one reminder request may take before the reminders' client aborts it (default 90 s). The ticker stops
   * waiting sooner (its send deadline) but keeps the reminder claimed until the request ends, so a slow post that
   * still lands is not posted again by another replica meanwhile.
   */
  reminderTimeoutMs?: number;
}

/** Past the inbox's bound an event is not acknowledged (503), so Slack sends it again later. */
class BusyError extends Error {}


export interface SlackAdapter {
  app: App;
  sender: Sender;
  settings: SlackSettings;
  eventsUrl: string | null; // HTTP mode: where the one HTTP server takes Slack's requests
  /** Resolves when every payload received so far has been handled (work runs after the ack). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const OPEN_TTL_MS = 5_000; // a double click on "answer…" opens one modal

/** The path Slack posts commands, interactivity and events to (the app manifest's three URLs end in it). */
export const EVENTS_PATH = '/slack/events';

/** Starts the Bolt app: HTTP (`/slack/events` on the one HTTP server) or Socket Mode when SLACK_APP_TOKEN is set. */
export async function startSlack(deps: SlackDeps): Promise<SlackAdapter> {
  const s = readSettings(deps.env);
  const { store, now } = deps;
  const secrets = secretsOf(s);
  const logger = redactingLogger(deps.log, s.logLevel, secrets);
  const clientOptions = { ...(s.apiUrl ? { slackApiUrl: s.apiUrl } : {}), retryConfig: deps.retryConfig ?? { retries: 2 } };
  // Socket Mode: our own receiver, so its WebClient (apps.connections.open) gets SLACK_API_URL and stop() can await the close.
  const socket = s.appToken
    ? new SocketModeReceiver({
      appToken: s.appToken, logger, logLevel: s.logLevel as LogLevel, installerOptions: { clientOptions },
      ...(deps.socketPingMs ? { clientPingTimeout: deps.socketPingMs } : {}),
    })
    : null;
  // HTTP: Bolt's receiver without its own server: the one HTTP server hands it the raw requests to /slack/events, and
  // it checks the signature and answers as before. Our own, so that requests stamped too far from now are refused first.
  const http = socket ? null : new HTTPReceiver({
    signingSecret: s.signingSecret!, endpoints: [EVENTS_PATH], logger, logLevel: s.logLevel as LogLevel,
    // An event the inbox could not take is answered 503 (busy) or 500 (store down), never 200: Slack re-sends it.
    processEventErrorHandler: async (args) => {
      if (args.error instanceof BusyError && !args.response.headersSent) {
        args.response.writeHead(503, { 'retry-after': '10' }).end();
        return true;
      }
      return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
    },
  });
  if (http) refuseSkewedRequests(http, deps.requestNow ?? Date.now, deps.log); // loud and aggregated: a skewed clock refuses every request
  // Bolt's Receiver port: the inbox takes each command before Bolt acknowledges it (see the gate below).
  const receiver = new InboxReceiver(socket ?? http!);
  const app = new App({
    token: s.botToken,
    receiver,
    logger,
    logLevel: s.logLevel as LogLevel, // Bolt would reset the logger to INFO otherwise
    clientOptions,
    convoStore: false,
    deferInitialization: true, // init() below: a bad token stops start-up with a message naming the variable
  });
  try {
    await app.init();
  } catch (e) {
    const code = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
    throw new PlatformConfigError(redact(`Slack rejected SLACK_BOT_TOKEN or could not be reached (auth.test: ${code})${s.apiUrl ? '; check SLACK_API_URL too' : ''}`, secrets));
  }

  const defaultLang = deps.config.institution.language;
  const delivery = createDelivery({ client: app.client, store, now, fetch: deps.fetch ?? fetch, command: s.command, defaultLang, log: (m) => logger.warn(m) });
  const inflight = new Set<Promise<void>>();

  /** Runs a handler and tracks it until done; the handler acks first, so Slack hears back within 3 s. */
  function track(work: () => Promise<void>): Promise<void> {
    const p = work().catch((e: Error) => logger.error(`handler failed: ${e.message}`));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return p;
  }

  function refusal(o: Origin): string | null {
    // An entry `T0123:C0123` allows the channel in that workspace only; a bare `C0123` in any workspace.
    const by = refusedBy({ chats: s.allowedChannels, users: s.allowedUsers }, [`${o.team}:${o.channel}`, o.channel], o.user);
    if (by === 'chat') return bilingual('refused.channel', { setting: 'SLACK_ALLOWED_CHANNELS' });
    if (by === 'user') return bilingual('refused.user', { setting: 'SLACK_ALLOWED_USERS' });
    return null;
  }

  /** What the inbox keeps of a payload: its once-key and conversation; null for what is not a command (a modal opening). */
  function entryOf(body: unknown): Parsed | null {
    const b = body as { command?: unknown; type?: unknown };
    if (typeof b.command === 'string') return parseSlashCommand(body);
    if (b.type === 'block_actions') {
      const r = parseBlockAction(body);
      return r && 'answer' in r ? r.answer : null;
    }
    if (b.type === 'view_submission') return parseViewSubmission(body);
    if (b.type === 'event_callback') return parseMention(body);
    return null;
  }

  // Items the bot answered "not recorded" are forgotten, not resumed (adapters/inbox.ts).
  const outcomes = watchOutcomes(deps.bot);

  /** One inbox item: the payload as Slack sent it, parsed again (the same after a restart), run through the bot. */
  async function runItem(item: InboxItem): Promise<{ forget?: boolean }> {
    const p = entryOf(item.payload);
    if (!p) {
      logger.warn(`unreadable inbox item ${item.key} ignored`);
      return {};
    }
    const to: Destination = { ...p.origin, ...(p.fromQuestion ? { fromQuestion: true } : {}), ...(p.answered ? { answered: p.answered } : {}), ...(p.threadTs ? { threadTs: p.threadTs } : {}) };
    const no = refusal(p.origin) ?? (p.tooLong ? bilingual('refused.tooLong') : null);
    if (no) {
      logger.info(`refused ${p.input.kind} from ${p.origin.user} in ${p.origin.channel}`);
      await delivery.notice(no, to);
      return {};
    }
    const replies = await outcomes.bot.handle({ ...p.input, onceKey: item.key, receivedAtMs: item.receivedAtMs });
    await delivery.deliver(replies, to);
    // A failed answer can be tried again from the same question message.
    return p.fromQuestion && replies.some((r) => r.type === 'error') ? { forget: true } : {};
  }

  const inbox = createInbox({
    outcomes,
    store, source: 'slack', now, log: (m) => logger.warn(m), run: runItem, owner: `slack@${replicaOwner(deps.env)}`,
    maxQueued: inboxMaxOf(deps.inboxMax, deps.env), noun: 'commands', alarm: (m) => logger.error(m),
  });

  /**
   * Tells the user their command was not taken, without the store: in the slash command's own answer, else through
   * response_url (answers, modals) or an ephemeral message (mentions). Acknowledged: the user, not Slack, sends it again.
   */
  async function notTaken(ev: ReceiverEvent, p: Parsed, text: string): Promise<void> {
    if (typeof (ev.body as { command?: unknown }).command === 'string') return void (await ev.ack({ response_type: 'ephemeral', text }));
    await ev.ack();
    await delivery.notice(text, p.origin).catch((e: Error) => logger.warn(`could not tell ${p.origin.user} the command was not taken: ${e.message}`));
  }

  // Before Bolt acknowledges anything, the command is written to the inbox: acknowledged means durable.
  receiver.gate = async (ev: ReceiverEvent, dispatch) => {
    const p = entryOf(ev.body);
    if (!p) return dispatch(ev);
    const isEvent = (ev.body as { type?: unknown }).type === 'event_callback';
    let accepted: Accepted;
    let ackDone!: () => void;
    const acked = new Promise<void>((r) => { ackDone = r; });
    try {
      // The legacy verification token is not kept (the signature was checked; nothing reads it later).
      const { token: _token, ...payload } = ev.body as Record<string, unknown>;
      accepted = await inbox.accept(p.onceKey, p.input.conversation, payload, { after: acked });
    } catch {
      // The inbox logs the outage once; every command meanwhile is answered, none is taken.
      return notTaken(ev, p, bilingual('refused.storeDown.command'));
    }
    if (accepted === 'busy') {
      logger.warn(`inbox full (${inbox.queued()} commands waiting): refused ${p.onceKey}`);
      if (isEvent) throw new BusyError('busy');
      return notTaken(ev, p, bilingual('refused.busy.command'));
    }
    if (accepted === 'duplicate') {
      logger.debug(`already received: ${p.onceKey}`);
      return ev.ack();
    }
    try {
      await dispatch(ev); // the listeners below only acknowledge
    } finally {
      ackDone();
    }
  };

  async function openModal(m: OpenModal): Promise<void> {
    if (!(await store.claim(m.onceKey, OPEN_TTL_MS, now()))) return;
    const no = refusal(m.origin);
    if (no) return delivery.notice(no, m.origin);
    const lang = /[\u4e00-\u9fff]/.test(m.open.prompt) ? 'zh-CN' : 'en';
    const meta = { team: m.origin.team, channel: m.origin.channel, incidentId: m.incidentId, questionId: m.questionId, responseUrl: m.origin.responseUrl, lang } as const;
    await app.client.views.open({ trigger_id: m.triggerId, view: answerModal(m.open, meta) });
  }

  // Commands, answers and mentions are in the inbox by now (see the receiver's gate above): the listeners acknowledge,
  // and the inbox runs them. Only opening a modal (whose trigger_id lasts 3 s) is done here.
  app.command(s.command, async ({ ack, body }) => {
    await ack();
    if (!parseSlashCommand(body)) logger.warn('unreadable slash command payload ignored');
  });

  app.action(new RegExp(`^${ACTION_PREFIX}`), ({ ack, body }) => track(async () => {
    await ack();
    const r = parseBlockAction(body);
    if (!r) return logger.warn('unreadable block_actions payload ignored');
    if ('modal' in r) return openModal(r.modal);
  }));

  app.view(ANSWER_VIEW, async ({ ack }) => { await ack(); }); // closes the modal; the reply replaces the question message

  app.event('app_mention', async () => {}); // Bolt acknowledged it; the inbox holds it

  app.error(async (e) => logger.error(`bolt: ${e.message}`));

  // Commands acknowledged before the last stop and not processed: queued now, each once, in the order received,
  // before the receiver opens, so that no new command of the same channel overtakes them.
  await inbox.start();
  let closeRoute: (() => Promise<void>) | null = null;
  if (socket) await app.start();
  else if (!deps.http) throw new PlatformConfigError('Slack HTTP mode needs the one HTTP server (or set SLACK_APP_TOKEN for Socket Mode)');
  else closeRoute = deps.http.listen([EVENTS_PATH], (req, res) => http!.requestListener(req, res));
  const eventsUrl = closeRoute ? `${deps.http!.base()}${EVENTS_PATH}` : null;
  logger.info(`ready: ${s.mode === 'socket' ? 'Socket Mode' : `HTTP at ${eventsUrl}`}, command ${s.command}`
    + allowNote({ chats: s.allowedChannels, users: s.allowedUsers }, 'channel'));

  const idle = async () => {
    await new Promise((r) => setImmediate(r)); // events are acked before their listener starts
    while (inflight.size) await Promise.allSettled([...inflight]);
    await inbox.idle();
  };
  // Reminders get a client of their own: a 429 on one must not pause the client that posts users' cards.
  const reminderClient = createReminderClient(s.botToken, { apiUrl: s.apiUrl, timeoutMs: deps.reminderTimeoutMs ?? 90_000, logger, logLevel: s.logLevel as LogLevel });
  return {
    app,
    sender: createSlackSender({ client: reminderClient, store, now, command: s.command, defaultLang, log: (m) => logger.warn(m) }),
    settings: s,
    eventsUrl,
    idle,
    async stop() {
      // The route answers 503 from now on (Slack sends those again); the requests in hand are answered first.
      if (socket) await socket.client.disconnect();
      else await closeRoute?.();
      await inbox.stop(); // finishes what is running; stops retrying bookkeeping (the next start resumes it)
      await idle();
    },
  };
}

/** Slack as a registry entry (adapters/platforms.ts). */
export async function slackPlatform(deps: PlatformDeps): Promise<Platform> {
  const slack = await startSlack(deps);
  return { prefix: 'slack:', sender: slack.sender, stop: () => slack.stop(), receives: slack.eventsUrl ?? 'Socket Mode' };
}

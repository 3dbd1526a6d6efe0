import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type LogLevel } from '@slack/bolt';
import type { PlatformDeps } from '../platform.ts';
import type { Sender } from '../../src/reminders/message.ts';
import { createDelivery, type Destination } from './deliver.ts';
import { readSlackSettings, SlackConfigError, type SlackSettings } from './env.ts';
import { refuseSkewedRequests } from './freshness.ts';
import { ACTION_PREFIX, ANSWER_VIEW } from './ids.ts';
import { redact, redactingLogger } from './logger.ts';
import { REFUSED_CHANNEL, REFUSED_TOO_LONG, REFUSED_USER } from './messages.ts';
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
  /**
   * How long one reminder request may take before the reminders' client aborts it (default 90 s). The ticker stops
   * waiting sooner (its send deadline) but keeps the reminder claimed until the request ends, so a slow post that
   * still lands is not posted again by another replica meanwhile.
   */
  reminderTimeoutMs?: number;
}

export interface SlackAdapter {
  app: App;
  sender: Sender;
  settings: SlackSettings;
  port: number | null; // HTTP mode: the port listened on (PORT=0 picks a free one)
  /** Resolves when every payload received so far has been handled (work runs after the ack). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const ONCE_TTL_MS = 24 * 3_600_000; // Slack retries events for about an hour; one key per payload
const OPEN_TTL_MS = 5_000; // a double click on "answer…" opens one modal

/** Starts the Bolt app: HTTP (`/slack/events`) or Socket Mode when SLACK_APP_TOKEN is set. */
export async function startSlack(deps: SlackDeps): Promise<SlackAdapter> {
  const s = readSlackSettings(deps.env);
  const { store, now } = deps;
  const secrets = [s.botToken, s.signingSecret, s.appToken].filter((x): x is string => x !== null);
  const logger = redactingLogger(deps.log, s.logLevel, secrets);
  const clientOptions = { ...(s.apiUrl ? { slackApiUrl: s.apiUrl } : {}), retryConfig: deps.retryConfig ?? { retries: 2 } };
  // Socket Mode: our own receiver, so its WebClient (apps.connections.open) gets SLACK_API_URL and stop() can await the close.
  const receiver = s.appToken
    ? new SocketModeReceiver({
      appToken: s.appToken, logger, logLevel: s.logLevel as LogLevel, installerOptions: { clientOptions },
      ...(deps.socketPingMs ? { clientPingTimeout: deps.socketPingMs } : {}),
    })
    : null;
  // HTTP: our own receiver too, so that requests stamped too far from now, either way, are refused first.
  const http = receiver ? null : new HTTPReceiver({ signingSecret: s.signingSecret!, port: s.port, logger, logLevel: s.logLevel as LogLevel });
  if (http) refuseSkewedRequests(http, deps.requestNow ?? Date.now, (m) => logger.warn(m));
  const app = new App({
    token: s.botToken,
    ...(receiver ? { socketMode: true, receiver } : { receiver: http! }),
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
    throw new SlackConfigError(redact(`Slack rejected SLACK_BOT_TOKEN or could not be reached (auth.test: ${code})${s.apiUrl ? '; check SLACK_API_URL too' : ''}`, secrets));
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
    if (s.allowedChannels && !s.allowedChannels.has(`${o.team}:${o.channel}`) && !s.allowedChannels.has(o.channel)) return REFUSED_CHANNEL;
    if (s.allowedUsers && !s.allowedUsers.has(o.user)) return REFUSED_USER;
    return null;
  }

  /** One payload, once: a retry (X-Slack-Retry-Num), a replay or a double click finds the key taken. */
  async function run(p: Parsed): Promise<void> {
    if (!(await store.claim(p.onceKey, ONCE_TTL_MS, now()))) {
      logger.debug(`already handled: ${p.onceKey}`);
      return;
    }
    const to: Destination = { ...p.origin, ...(p.fromQuestion ? { fromQuestion: true } : {}), ...(p.answered ? { answered: p.answered } : {}), ...(p.threadTs ? { threadTs: p.threadTs } : {}) };
    const no = refusal(p.origin) ?? (p.tooLong ? REFUSED_TOO_LONG : null);
    if (no) {
      logger.info(`refused ${p.input.kind} from ${p.origin.user} in ${p.origin.channel}`);
      await delivery.notice(no, to);
      return;
    }
    const replies = await deps.bot.handle(p.input);
    // A failed answer can be tried again from the same question message.
    if (p.fromQuestion && replies.some((r) => r.type === 'error')) await store.release(p.onceKey);
    await delivery.deliver(replies, to);
  }

  async function openModal(m: OpenModal): Promise<void> {
    if (!(await store.claim(m.onceKey, OPEN_TTL_MS, now()))) return;
    const no = refusal(m.origin);
    if (no) return delivery.notice(no, m.origin);
    const lang = /[\u4e00-\u9fff]/.test(m.open.prompt) ? 'zh-CN' : 'en';
    const meta = { team: m.origin.team, channel: m.origin.channel, incidentId: m.incidentId, questionId: m.questionId, responseUrl: m.origin.responseUrl, lang } as const;
    await app.client.views.open({ trigger_id: m.triggerId, view: answerModal(m.open, meta) });
  }

  app.command(s.command, ({ ack, body }) => track(async () => {
    await ack();
    const p = parseSlashCommand(body);
    if (p) await run(p);
    else logger.warn('unreadable slash command payload ignored');
  }));

  app.action(new RegExp(`^${ACTION_PREFIX}`), ({ ack, body }) => track(async () => {
    await ack();
    const r = parseBlockAction(body);
    if (!r) return logger.warn('unreadable block_actions payload ignored');
    if ('modal' in r) return openModal(r.modal);
    return run(r.answer);
  }));

  app.view(ANSWER_VIEW, ({ ack, body }) => track(async () => {
    await ack(); // closes the modal; the reply replaces the question message
    const p = parseViewSubmission(body);
    if (p) await run(p);
    else logger.warn('unreadable view_submission payload ignored');
  }));

  app.event('app_mention', ({ body }) => track(async () => {
    const p = parseMention(body); // Bolt acks events before listeners run
    if (p) await run(p);
  }));

  app.error(async (e) => logger.error(`bolt: ${e.message}`));

  let port: number | null = null;
  if (receiver) {
    await app.start();
  } else {
    const server = await app.start(s.port);
    port = (server.address() as AddressInfo).port;
  }
  logger.info(`ready: ${s.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${port} (/slack/events)`}, command ${s.command}`
    + `${s.allowedChannels ? `, ${s.allowedChannels.size} allowed channel(s)` : ''}${s.allowedUsers ? `, ${s.allowedUsers.size} allowed user(s)` : ''}`);

  const idle = async () => {
    await new Promise((r) => setImmediate(r)); // events are acked before their listener starts
    while (inflight.size) await Promise.allSettled([...inflight]);
  };
  // Reminders get a client of their own: a 429 on one must not pause the client that posts users' cards.
  const reminderClient = createReminderClient(s.botToken, { apiUrl: s.apiUrl, timeoutMs: deps.reminderTimeoutMs ?? 90_000, logger, logLevel: s.logLevel as LogLevel });
  return {
    app,
    sender: createSlackSender({ client: reminderClient, store, now, command: s.command, defaultLang, log: (m) => logger.warn(m) }),
    settings: s,
    port,
    idle,
    async stop() {
      if (receiver) await receiver.client.disconnect();
      else await app.stop();
      await idle();
    },
  };
}

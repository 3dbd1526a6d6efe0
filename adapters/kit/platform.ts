/**
 * A chat platform as the kit runs it: what a platform's folder declares (adapters/<id>/index.ts) and nothing else.
 *
 * A platform folder holds four parts and its declaration:
 *   settings.ts  — a zod schema over `<PREFIX>_*` (built from kit/settings.ts), its secrets and redaction rules;
 *   parse.ts     — the platform's payload → an `Inbound` (message, click, ignore), and conversation ids ↔ targets;
 *   render.ts    — replies → the platform's messages (`Rendered`), within its limits; its card updates;
 *   transport.ts — the SDK or HTTP client: `start(onPayload)`, `send`, `updateCard`, `connected`, `stop`;
 *   meta.ts      — `export const <id>Meta = { id, title, envPrefix, enabledBy, conversation }`: all the registry reads;
 *   index.ts     — `export const <id>: PlatformDeclaration<...> = { ...<id>Meta, settings, parse, render, transport }`.
 * The kit (kit/handler.ts, kit/chat.ts) owns the rest: the durable inbox (accept, then ack, busy and duplicate), the
 * chat and user allow-lists, refusal texts, private replies one-to-one, card clicks checked against the question the
 * card shows, acknowledge buttons counted once per person, the one redactor, API errors counted (ops.apiError),
 * inbound results (ops.inbound), readiness (`connected`) and the start-up line.
 *
 * Moving a platform (Slack) onto the kit, as DingTalk, WeCom and Feishu were moved:
 *   1. settings.ts: keep the zod schema; export `settings: PlatformSettings<S>` (read, allowed, secrets, rules,
 *      describe). Every platform gets `<PREFIX>_ALLOWED_CHATS` and `<PREFIX>_ALLOWED_USERS` (Feishu lacks the latter).
 *   2. parse.ts: return `Inbound` values: a message with its inbox key, the payload as the inbox keeps it (no
 *      temporary credentials), its chat (null one-to-one), user, reply target and `tooLong`; a click with its card id.
 *      `stored(kind, payload)` parses an inbox item again after a restart.
 *   3. render.ts: `replies()` gives `Rendered` messages (a card names its id so the kit remembers its question; a file
 *      names its filename so a failed upload is said); `reminder()`, `clicked()`, `acknowledged()`, `fileFailed()`.
 *   4. transport.ts: fold the SDK client, the sender and the connection into one `Transport`; the payload's ack is
 *      the second argument of onPayload (call it after the kit says so; not calling it makes the platform re-send).
 *      Throw PlatformConfigError from start() when the platform refuses the credentials.
 *   5. meta.ts and index.ts: the declaration; then in adapters/platforms.ts replace the entry by
 *      `fromDeclaration(<id>Meta, () => import(...))`, which loads the declaration when the platform starts.
 *   6. Delete app.ts, handler.ts, deliver.ts, sender.ts, messenger.ts...; point its tests at `startChat(<id>, deps)`.
 * A rule that really differs becomes a flag or a small hook here, not a handler of its own. Already here: no
 * one-to-one send (leave out `parse.direct`: a private reply in a group is refused), one-to-one chats refused when
 * only chats are listed (`directNeedsUserList`). Added when WeCom moved: an answer on the payload's own handle while it
 * is live (`Transport.send`'s `live`), card updates only on the click's handle within a budget (`cardUpdateBudgetMs`,
 * `render.working`), the answer after a click also in the chat (`render.afterClick`), a welcome
 * (`InboundMessage.welcome`, `render.welcome`), no re-delivery (`neverResends`: a full inbox is said), a click's own
 * chat for refusals (`InboundClick.to`), one-to-one chats the allow-list names (`InboundMessage.oneToOne`). Added when
 * Slack moved (its Bolt receivers are its transport, its `posted` is conversations.history): a refusal carried by the
 * acknowledgement (`refuseInAck`, `ack(answer)`), a payload the platform never re-sends (`notResent`), an answer
 * forgotten when refused (`forgetOnError`), work done at once outside the inbox (`instant`), private replies where the
 * message came from (`direct(user, from)`), the platform's own refusal words (`noun`, `notAllowed`), and the store, the
 * HTTP routes and the API-error count in `TransportContext`.
 * Added when Feishu moved: a send that gives back the message's id and where the rest goes (`Sent`), a step before
 * render (`Transport.prepare`: files uploaded first), the callback's answer carried by the acknowledgement
 * (`InboundClick.answerInAck`, `AckAnswer`) with the card patched past the budget (`updatesAfterWorking`), the
 * allow-lists checked on the click's own chat (`InboundClick.chat`), and the institution's language to the transport.
 */
import type { ChatInput, Reply } from '../../src/conversation/types.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Outbound, SendOptions } from '../../src/reminders/message.ts';
import type { Store } from '../../src/store/types.ts';
import type { PlatformHttp } from '../http/platform-routes.ts';
import type { RetryPolicy } from './retry.ts';

/** What the registry knows of a platform without loading its SDK (adapters/platforms.ts). */
export interface PlatformMeta {
  /** Its id, also its conversation prefix (`dingtalk:`) and its inbox source. */
  id: string;
  /** The name in log lines and messages. */
  title: string;
  /** Its settings' variable prefix: `<PREFIX>_ALLOWED_CHATS`, `<PREFIX>_ALLOWED_USERS`, ... */
  envPrefix: string;
  /** The variable that turns it on. */
  enabledBy: string;
  /** Its conversation ids, prefix included (a regular expression's source). */
  conversation: string;
  /** Receives over one long connection per event: closed first at shutdown. */
  closeFirst?: true;
}

/** A platform's settings: read from the environment (throws PlatformConfigError naming the variable), and what the one redactor hides. */
export interface PlatformSettings<S> {
  read(env: Record<string, string | undefined>): S;
  /** The allow-lists, as `<PREFIX>_ALLOWED_CHATS` and `<PREFIX>_ALLOWED_USERS` gave them. */
  allowed(s: S): { chats: ReadonlySet<string> | null; users: ReadonlySet<string> | null };
  /** Configured secrets, never in a log line. */
  secrets(s: S): readonly (string | null | undefined)[];
  /** Secret-bearing shapes: URL parameters, JSON fields, token patterns. */
  rules?: ReadonlyArray<readonly [RegExp, string]>;
  /** An SDK's logged value as one safe line. */
  describe(value: unknown): string;
}

/** A message the platform sent to the bot, normalised. `T`: where an answer goes (the platform's reply target). */
export interface InboundMessage<T> {
  kind: 'message';
  /** Its inbox key: the platform's message id, prefixed (`dingtalk-msg:<msgId>`). */
  key: string;
  /** The message id, for log lines and seeds. */
  id: string;
  input: ChatInput;
  /** The group the allow-list names it by; null: a one-to-one chat. */
  chat: string | null;
  /** The platform's user id, as `<PREFIX>_ALLOWED_USERS` names it. */
  user: string;
  to: T;
  /** Over the incoming cap: refused with a notice, never handled. */
  tooLong?: boolean;
  /**
   * A one-to-one chat that `chat` still names for the allow-list (WeCom lists userids in WECOM_ALLOWED_CHATS): private
   * replies stay here, as in any one-to-one chat.
   */
  oneToOne?: true;
  /**
   * A greeting the platform invites (WeCom's enter_chat): answered with `render.welcome` only while live (on the
   * payload's own handle); never refused aloud, only logged.
   */
  welcome?: true;
  /** The payload as the inbox keeps it: without temporary credentials (a session webhook, a response URL). */
  stored: unknown;
  /** Store down or inbox full: the refusal is the acknowledgement's own answer (a Slack slash command's reply). */
  refuseInAck?: true;
  /** Never sent again when left unacknowledged (a slash command, a click): inbox full is said, and it is acknowledged. */
  notResent?: true;
  /** Answered from a question: an answer the bot refused is forgotten, so the same answer can be given again. */
  forgetOnError?: true;
}

/**
 * Work the platform must do at once, not through the inbox (Slack's answer modal: its trigger lasts 3 s). The kit
 * acknowledges it, checks the allow-lists, takes `key` once for a few seconds (a double click), then runs
 * `transport.instant(work)`.
 */
export interface InboundInstant<T> {
  kind: 'instant';
  key: string;
  chat: string | null;
  user: string;
  to: T;
  work: unknown;
}

/** A click (or a typed answer) on one of the bot's cards, before the kit looks up which question the card shows. */
export interface InboundClick<T = unknown> {
  kind: 'click';
  /** The card's id as the bot sent it (outTrackId, message id). */
  card: string;
  user: string;
  /** The chosen option's value, or the typed text. */
  value: string;
  /** From the card's input rather than a button. */
  typed: boolean;
  stored: unknown;
  /** The chat the click came from, when the payload says (WeCom): a refusal said without the store goes there. */
  to?: T;
  /**
   * The group the click came from, as `<PREFIX>_ALLOWED_CHATS` names it, when the payload says (Feishu): the
   * allow-lists are checked before the card is looked up.
   */
  chat?: string | null;
  /**
   * The acknowledgement carries the answer (Feishu's card callback, answered within 3 s): a refusal, a duplicate or
   * `taken` goes to `ack(answer)`, never to the chat; a full inbox is refused there (a click is never sent again). The
   * card's update then goes on the live payload (see `cardUpdateBudgetMs`).
   */
  answerInAck?: true;
}

export type Inbound<T> = InboundMessage<T> | InboundClick<T> | InboundInstant<T> | { kind: 'ignore' };

export interface PlatformParse<P, T> {
  /** A payload as the transport received it. */
  payload(p: P): Inbound<T>;
  /** An inbox item's payload (what `stored` was), after a restart or on another replica. */
  stored(kind: 'message' | 'click', stored: unknown): Inbound<T>;
  /** The chat a conversation id names (reminders, card clicks), or null when it is not this platform's. */
  target(conversation: string): T | null;
  /** The group a conversation id is, as `<PREFIX>_ALLOWED_CHATS` names it; null: a one-to-one chat. */
  chat(conversation: string): string | null;
  /**
   * One-to-one with a user: where private replies go; absent: a private reply in a group is refused instead. `from`:
   * where the message came from, when there is one (Slack answers privately there, as an ephemeral message).
   */
  direct?(user: string, from?: T): { to: T; conversation: string };
}

/** One message render made; `card`: the kit remembers the question it shows; `file`: a failed send is said in the chat. */
export interface Rendered<M> {
  message: M;
  /** `id` absent: the card's id is the one `send` gives back (Feishu learns a message's id once it is sent). */
  card?: { id?: string; ack?: { label: string; command: string; value: string; incidentId: string } };
  file?: string;
}

export interface PlatformRender<S, M, U, T = unknown> {
  /** The platform's limits, for the contract's long-reply cases and the docs. */
  limits: { textChars: number };
  /** The answer to one input. `seed` makes card ids deterministic (a retried send cannot post twice); `to`: where it goes. */
  replies(s: S, replies: readonly Reply[], o: { lang: Lang; seed: string; to?: T }): Rendered<M>[];
  /** A reminder or escalation from the ticker. */
  reminder(s: S, m: Outbound, o: { lang: Lang; seed: string }): Rendered<M>[];
  /** A refusal said without the store (already in both languages). */
  text(text: string): M;
  /** A question card after a click: what was answered, then what the bot said. */
  clicked(replies: readonly Reply[], lang: Lang, answered: string): U;
  /** A reminder card after its acknowledge button: who acknowledged; `label`: the button's; `lang`: the answer's. */
  acknowledged(said: string, label: string, lang?: Lang): U;
  /** A card update past `cardUpdateBudgetMs` while the bot is still at it: what was chosen, and that the answer follows. */
  working?(answered: string, lang: Lang): U;
  /**
   * A platform whose updated card shows only what was answered (WeCom): the answer to a click also goes to the chat,
   * led by `answered` (absent after an acknowledge button).
   */
  afterClick?(s: S, replies: readonly Reply[], o: { lang: Lang; seed: string; to: T; answered?: string }): Rendered<M>[];
  /** The answer to a `welcome` message (WeCom: plain text on enter_chat's own handle). */
  welcome?(replies: readonly Reply[], lang: Lang): M;
  /** The options a question card's buttons send back, as the kit checks a click against them. */
  options(replies: readonly Reply[], lang: Lang): Array<{ label: string; value: string }>;
  /** Files that did not go, said in one text message. */
  fileFailed(names: readonly string[], lang: Lang): M;
}

/**
 * What the transport gives the kit with each payload: how to acknowledge it (not calling it makes the platform
 * re-send); `answer`: a refusal the acknowledgement carries (`refuseInAck`). Resolves once the kit has taken it (in the
 * inbox, refused or ignored); never rejects.
 */
export type OnPayload<P> = (payload: P, ack: (answer?: AckAnswer) => void) => Promise<void>;

/**
 * What an acknowledgement says, where it carries an answer (`InboundClick.answerInAck`): a refusal's text, a payload
 * taken before (`again`), or taken now (`taken`: the answer follows as a card update on the live payload). None:
 * nothing to say (ignored).
 */
export type AckAnswer = string | { again: true } | { taken: true };

/** What a send made, where the platform says: the message's `id` (a card's, see `Rendered.card`), and where the rest of the same answer goes (`next`: under it). */
export interface Sent<T> { id?: string; next?: T }

export interface TransportContext<S> {
  settings: S;
  /** Redacting log. */
  log: (msg: string) => void;
  now: () => number;
  retry?: Partial<RetryPolicy> | undefined;
  /** The store, for a transport that keeps records of its own (Slack's and Feishu's incident threads, Feishu's uuid seed). */
  store?: Store;
  /** The one HTTP server's routes, for a transport that receives over HTTP (Slack's `/slack/events`, Feishu's callbacks). */
  http?: PlatformHttp | undefined;
  /** A platform call whose failure the transport handles itself, counted as the kit counts every failed call (ops.apiError), once. */
  counted?: <R>(call: Promise<R>) => Promise<R>;
  /** The transport's own knobs, as a test or bench gives them (ChatDeps.transport); the platform reads what it knows. */
  options?: Readonly<Record<string, unknown>> | undefined;
  /** A long connection's timing, where tests need it shorter (the transport's defaults are production's). */
  connection?: ConnectionTiming | undefined;
  /** The institution's language, for what a transport says itself (Feishu's toasts). */
  lang?: Lang;
}

export interface ConnectionTiming {
  /** The heartbeat interval. */
  heartbeatMs?: number;
  /** The first reconnect delay after the connection drops. */
  reconnectMs?: number;
}

/** The platform's SDK or HTTP client, and nothing else: no policy, no store. */
export interface Transport<P, T, M, U> {
  /** Opens the connection (or listener); payloads arrive at onPayload. Rejects with PlatformConfigError when refused. */
  start(onPayload: OnPayload<P>): Promise<void>;
  /**
   * Sends one message. `once`: no retry here (reminders: the ticker's backoff retries); `signal`: the ticker's
   * deadline. `live`: the payload this answers, while it is live (taken over this process's connection, not resumed
   * after a restart): a platform that answers on the payload's own handle (WeCom's req_id) uses it; every message of
   * the answer carries it.
   */
  send(to: T, message: M, o?: { once?: boolean; live?: P; signal?: AbortSignal | undefined }): Promise<void | Sent<T>>;
  /**
   * Before an answer is rendered: what its messages will point at, done first (Feishu uploads its files, so that the
   * card can say which did not go); gives the replies as the messages will show them.
   */
  prepare?(replies: readonly Reply[], lang: Lang): Promise<Reply[]>;
  /**
   * Whether a reminder went out since sinceMs (asked before sending again after a send that failed uncertainly);
   * null: the platform cannot tell. Absent: the ticker re-sends (DingTalk's card ids refuse a second card anyway).
   */
  posted?(to: T, m: Outbound, sinceMs: number, opts?: SendOptions): Promise<boolean | null>;
  /** An `InboundInstant`'s work (opens Slack's answer modal). */
  instant?(work: unknown): Promise<void>;
  /** Updates a card the bot sent; `live`: the click's payload while it is live (see `cardUpdateBudgetMs`). */
  updateCard?(card: string, update: U, live?: P): Promise<void>;
  /** Whether the connection is up now (long connections, from the SDK's connect and disconnect); /readyz reads it. */
  connected(): boolean;
  /** Secrets met while running (access tokens, connection tickets), for the redactor. */
  seen?(): Iterable<string>;
  /** How it receives, for the start-up line: `Stream mode`. */
  receives: string;
  /** The start-up line's details: `robot …, card template …`. */
  describe?(): string;
  stop(): Promise<void>;
}

/** Everything a platform's folder exports: index.ts. */
export interface PlatformDeclaration<S = unknown, P = unknown, T = unknown, M = unknown, U = unknown> extends PlatformMeta {
  settings: PlatformSettings<S>;
  parse: PlatformParse<P, T>;
  render: PlatformRender<S, M, U, T>;
  /** Made once settings are read; import the SDK inside it, so a run loads only the platforms it starts. */
  transport(ctx: TransportContext<S>): Promise<Transport<P, T, M, U>>;
  /** With only `<PREFIX>_ALLOWED_CHATS` set, a one-to-one chat is refused (it has no chat id of its own to list). */
  directNeedsUserList?: true;
  /**
   * The platform never sends a payload again (WeCom's long connection has no acknowledgement): a full inbox is said to
   * the sender (refused.busy.message) instead of left unacknowledged.
   */
  neverResends?: true;
  /**
   * A card updates only on the click's own handle and only for a while after the click (WeCom: 5 s): past this budget
   * the card says `render.working`, the answer follows in the chat; a click resumed after a restart leaves its card.
   */
  cardUpdateBudgetMs?: number;
  /** What its refusals call what people send: `command` (Slack: slash commands, clicks and mentions); default `message`. */
  noun?: 'message' | 'command';
  /**
   * Past `cardUpdateBudgetMs` ("working" said), or resumed after a restart, the card is still updated, without the live
   * payload (Feishu patches it); without this it is left (WeCom).
   */
  updatesAfterWorking?: true;
  /** Its own allow-list refusal, by what was not allowed (Slack and Feishu name the chat's or the user's own variable). */
  notAllowed?(by: 'chat' | 'user'): string;
}

import type { Bot } from '../../src/bot.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';
import { createInbox, watchOutcomes, type Inbox, type InboxDeps } from './inbox.ts';
import type { AllowLists } from './settings.ts';
import { createChatWork } from './work.ts';

export interface ChatInboxDeps extends Omit<InboxDeps, 'outcomes'> {
  /** The bot as the platform was given it; `ChatInbox.bot` is the one to run items through. */
  bot: Bot;
}

/** What every platform's handlers are given besides their transport. */
export interface HandlerBase {
  bot: Bot;
  store: Store;
  now: () => number;
  log: (msg: string) => void;
  /** The institution's language, for the adapter's own words. */
  lang: Lang;
  /** Who may use the bot here: `<PREFIX>_ALLOWED_CHATS` and `<PREFIX>_ALLOWED_USERS`. */
  allowed: AllowLists;
  /** This replica's inbox lease owner, the same after a restart (see replicaOwner). */
  owner: string;
  /** Payloads accepted and not yet processed, at most; default 1000 (INBOX_MAX). */
  inboxMax?: number | undefined;
}

/** The handlers' own lifecycle, the same on every platform. */
export interface ChatLifecycle {
  /** Resumes what this replica accepted before its last stop and had not processed, each once. */
  start(): Promise<number>;
  /** Runs work after the platform has been answered; idle() waits for it. */
  track(work: Promise<unknown>): void;
  /** Resolves once everything accepted so far has been processed. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** What a platform's event handlers share: the durable inbox, the bot watched for "not recorded", the work after the ack. */
export interface ChatInbox {
  /** The bot to run inbox items through: an item it answered "not recorded" is forgotten, never resumed. */
  bot: Bot;
  inbox: Inbox;
  track(work: Promise<unknown>): void;
  lifecycle: ChatLifecycle;
}

export function createChatInbox(d: ChatInboxDeps): ChatInbox {
  const outcomes = watchOutcomes(d.bot);
  const work = createChatWork(d.source, d.log);
  const { bot: _bot, ...rest } = d;
  const inbox = createInbox({ ...rest, outcomes });
  return {
    bot: outcomes.bot,
    inbox,
    track: work.track,
    lifecycle: {
      start: () => inbox.start(),
      track: work.track,
      async idle() {
        await work.idle();
        await inbox.idle();
        await work.idle(); // what the items' work tracked
      },
      async stop() {
        await inbox.stop();
        await work.idle();
      },
    },
  };
}

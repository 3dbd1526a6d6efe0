import type { Bot } from '../../src/bot.ts';
import type { InboxItem, Store } from '../../src/store/types.ts';
import { createInbox, watchOutcomes, type Inbox } from './inbox.ts';
import { createChatWork } from './work.ts';

export interface ChatInboxDeps {
  bot: Bot;
  store: Store;
  /** The platform's id: its items are resumed only by it. */
  source: string;
  now: () => number;
  log: (msg: string) => void;
  /** Processes one item (parse its payload, run it through `bot` below, answer). */
  run: (item: InboxItem) => Promise<{ forget?: boolean } | void>;
  /** This replica's lease owner, the same after a restart (see replicaOwner). */
  owner?: string | undefined;
  maxQueued?: number | undefined;
  noun?: string;
  alarm?: (msg: string) => void;
}

/** What a platform's event handlers share: the durable inbox, the bot watched for "not recorded", the work after the ack. */
export interface ChatInbox {
  /** The bot to run inbox items through: an item it answered "not recorded" is forgotten, never resumed. */
  bot: Bot;
  inbox: Inbox;
  /** Runs work after the platform has been answered; idle() waits for it. */
  track(work: Promise<unknown>): void;
  /** The handlers' own lifecycle: resume the inbox, wait for everything taken, stop. */
  lifecycle: {
    start(): Promise<number>;
    track(work: Promise<unknown>): void;
    idle(): Promise<void>;
    stop(): Promise<void>;
  };
}

export function createChatInbox(d: ChatInboxDeps): ChatInbox {
  const outcomes = watchOutcomes(d.bot);
  const work = createChatWork(d.source, d.log);
  const inbox = createInbox({
    outcomes, store: d.store, source: d.source, now: d.now, log: d.log, run: d.run,
    ...(d.owner !== undefined ? { owner: d.owner } : {}), maxQueued: d.maxQueued,
    ...(d.noun ? { noun: d.noun } : {}), ...(d.alarm ? { alarm: d.alarm } : {}),
  });
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

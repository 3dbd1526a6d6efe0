// A chat on a fake clock with the reminders' ticker beside it, as the reminder tests drive them.
import type { BotConfig } from '../../src/conversation/types.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createTicker, type TickerDeps } from '../../src/reminders/ticker.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig, FakeChat } from './chat.ts';
import { RecordingSender } from './sender.ts';

/**
 * A chat starting at `nowIso`, the ticker on its store and clock, and a RecordingSender for what it posts.
 * runUntil(iso) moves the clock to `iso` in steps of `stepMinutes` (default `defaultStep`), ticking after each, as
 * the real ticker (every 15 s) would on that clock.
 */
export interface TickedChatOptions {
  store?: Store;
  /** The sender the ticker posts to (default: a RecordingSender on the chat's clock). */
  sender?: (now: () => number) => RecordingSender;
  ticker?: Partial<TickerDeps>;
}

export async function tickedChat(nowIso: string, config: BotConfig = botConfig(), defaultStep = 1, opts: TickedChatOptions = {}) {
  const chat = await FakeChat.start(nowIso, { config, ...(opts.store ? { store: opts.store } : {}) });
  const sender = opts.sender?.(chat.clock.now) ?? new RecordingSender(chat.clock.now);
  const ticker = createTicker({ store: chat.store, config, sender, now: chat.clock.now, ...opts.ticker });
  const runUntil = async (iso: string, stepMinutes = defaultStep): Promise<void> => {
    const end = parseIso(iso);
    while (chat.clock.ms < end) {
      chat.clock.ms = Math.min(end, chat.clock.ms + stepMinutes * 60_000);
      await ticker.tick();
    }
  };
  return { chat, sender, ticker, config, runUntil };
}

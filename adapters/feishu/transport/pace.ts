import type { Messenger } from './api.ts';

/** Feishu takes at most 5 messages a second into one chat (a group's bots share it); more are refused (230020). */
export const CHAT_MESSAGES_PER_SECOND = 5;

export interface Pacer {
  /** Resolves when a message to `key` may go: at most `perWindow` in any `windowMs`, in the order asked. */
  wait(key: string): Promise<void>;
}

/**
 * Slots are reserved when asked, so callers at once each get their own slot and none is refused; a burst of
 * reminders into one chat goes out spread over seconds instead of being refused by Feishu.
 */
export function createPacer(o: { perWindow?: number; windowMs?: number; now: () => number; sleep: (ms: number) => Promise<void> }): Pacer {
  const perWindow = o.perWindow ?? CHAT_MESSAGES_PER_SECOND;
  const windowMs = o.windowMs ?? 1000;
  const slots = new Map<string, number[]>();
  return {
    async wait(key) {
      const now = o.now();
      const taken = (slots.get(key) ?? []).filter((t) => t > now - windowMs);
      const slot = taken.length >= perWindow ? Math.max(now, taken[taken.length - perWindow]! + windowMs) : now;
      taken.push(slot);
      slots.set(key, taken);
      if (slot > now) await o.sleep(slot - now);
    },
  };
}

/** The messenger with each create and reply paced per chat (a reply's chat is `opts.chatId`, else its message). */
export function pacedMessenger(inner: Messenger, pacer: Pacer): Messenger {
  return {
    ...inner,
    async create(chatId, message, opts) {
      await pacer.wait(chatId);
      return inner.create(chatId, message, opts);
    },
    async reply(messageId, message, opts = {}) {
      await pacer.wait(opts.chatId ?? messageId);
      return inner.reply(messageId, message, opts);
    },
  };
}

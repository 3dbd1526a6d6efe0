// What every chat-platform adapter is started with and gives back to the composition root.
import type { Bot } from '../src/bot.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import type { Outbound, Sender } from '../src/reminders/message.ts';
import type { Store } from '../src/store/types.ts';

export interface PlatformDeps {
  env: Record<string, string | undefined>;
  bot: Bot;
  store: Store;
  config: BotConfig;
  now: () => number;
  log: (msg: string) => void;
}

export interface Platform {
  prefix: string; // conversations of this platform: slack:T1:C1, feishu:oc_x
  sender: Sender;
  stop(): Promise<void>;
}

/** Reminders go out through the adapter that owns the incident's conversation. */
export function routeByConversation(platforms: readonly Platform[]): Sender {
  return {
    async send(m: Outbound) {
      const p = platforms.find((x) => m.conversation.startsWith(x.prefix));
      if (!p) throw new Error(`no running adapter for ${m.conversation}`);
      await p.sender.send(m);
    },
  };
}

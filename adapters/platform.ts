// What every chat-platform adapter is started with and gives back to the composition root.
import type { Bot } from '../src/bot.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import { SendError, type Outbound, type Sender, type SendOptions } from '../src/reminders/message.ts';
import type { Store } from '../src/store/types.ts';
import type { PlatformHttp } from './http/platform-routes.ts';

export interface PlatformDeps {
  env: Record<string, string | undefined>;
  bot: Bot;
  store: Store;
  config: BotConfig;
  now: () => number;
  log: (msg: string) => void;
  /** The one HTTP server's routes, for a platform that receives over HTTP (adapters/http/platform-routes.ts). */
  http?: PlatformHttp;
}

export interface Platform {
  prefix: string; // conversations of this platform: slack:T1:C1, feishu:oc_x
  sender: Sender;
  stop(): Promise<void>;
  /** Whether its connection to the platform is up now (long connections); absent: up once started. /readyz reads it. */
  connected?(): boolean;
  /** Connected or listening; rejects when the platform refuses the credentials (adapters/kit/start.ts waits for it). */
  ready?: Promise<void>;
  /** How it receives, for the start-up line: `http://127.0.0.1:3000/slack/events`, `long connection`. */
  receives?: string;
}

/** What a platform's start function gives back to its registry entry (adapters/<id>/app.ts). */
export interface ChatApp {
  /** For the reminder ticker. */
  sender: Sender;
  /** Resolves when work accepted so far (acknowledged, then processed from the inbox) is done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Reminders go out through the adapter that owns the incident's conversation. */
export function routeByConversation(platforms: readonly Platform[]): Sender {
  const owner = (m: Outbound) => {
    const p = platforms.find((x) => m.conversation.startsWith(x.prefix));
    if (!p) throw new SendError(`no running adapter for ${m.conversation}`, { uncertain: false });
    return p.sender;
  };
  return {
    async send(m: Outbound, opts?: SendOptions) {
      await owner(m).send(m, opts);
    },
    // null for a platform that cannot tell: its send de-duplicates by key, or a re-send is the lesser harm.
    async posted(m: Outbound, sinceMs: number, opts?: SendOptions) {
      const s = owner(m);
      return s.posted ? s.posted(m, sinceMs, opts) : null;
    },
  };
}

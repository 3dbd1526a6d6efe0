// The registry of chat platforms: what the composition root starts, which variable turns each on, and the
// conversation ids each owns. A new platform is one entry here and its folder; nothing else lists platforms.
import type { Platform, PlatformDeps } from './platform.ts';
import { dingtalkMeta } from './dingtalk/meta.ts';
import { feishuMeta } from './feishu/meta.ts';
import { slackMeta } from './slack/meta.ts';
import { wecomMeta } from './wecom/meta.ts';
import type { PlatformDeclaration, PlatformMeta } from './kit/platform.ts';

export interface PlatformEntry {
  /** Its id, also its conversation prefix (`slack:`) and its inbox source. */
  id: string;
  /** The name in log lines and messages. */
  title: string;
  /** Its settings' variable prefix: `<PREFIX>_ALLOWED_CHATS`, `<PREFIX>_ALLOWED_USERS`, ... */
  envPrefix: string;
  /** The variable that turns it on; null: the console, on when no other platform is. */
  enabledBy: string | null;
  /** Its conversation ids, prefix included (a regular expression's source), for settings such as DIGEST_CONVERSATION. */
  conversation: string;
  /** The paths it receives on over the one HTTP server in this environment; null: it does not (a long connection). */
  httpPaths?: (env: Record<string, string | undefined>) => readonly string[] | null;
  /** Delivers each event to one long connection (Feishu, DingTalk): closed first at shutdown, so the platform
   * sends what follows to another replica instead of to a closing one. */
  closeFirst?: true;
  /** Starts it; its SDK is imported only here, so a run loads only the platforms it starts. */
  start?: (deps: PlatformDeps) => Promise<Platform>;
  /** Declared to the kit (adapters/kit/platform.ts): the kit counts its API errors and runs its inbound. */
  declared?: true;
}

/**
 * A registry entry from a platform's meta (adapters/<id>/meta.ts) and its declaration (adapters/<id>/index.ts), loaded
 * only when the platform starts: a run loads the code of the platforms it runs and no other.
 */
export function fromDeclaration<S, P, T, M, U>(meta: PlatformMeta, load: () => Promise<PlatformDeclaration<S, P, T, M, U>>): PlatformEntry {
  return {
    ...meta,
    declared: true,
    start: async (deps) => (await import('./kit/chat.ts')).startChat(await load(), deps),
  };
}

export const PLATFORMS: readonly PlatformEntry[] = [
  { ...fromDeclaration(slackMeta, async () => (await import('./slack/index.ts')).slack), httpPaths: (env) => (env.SLACK_APP_TOKEN ? null : ['/slack/events']) },
  {
    ...fromDeclaration(feishuMeta, async () => (await import('./feishu/index.ts')).feishu),
    httpPaths: (env) => (['', 'http', 'webhook'].includes((env.FEISHU_MODE ?? '').trim().toLowerCase()) ? ['/feishu/events', '/feishu/cards'] : null),
  },
  fromDeclaration(wecomMeta, async () => (await import('./wecom/index.ts')).wecom),
  fromDeclaration(dingtalkMeta, async () => (await import('./dingtalk/index.ts')).dingtalk),
  // The terminal: hubot's and errbot's default. On when no chat platform is; composition root runs it (it owns stdin).
  { id: 'console', title: 'console', envPrefix: 'CONSOLE', enabledBy: null, conversation: 'console:[A-Za-z0-9_.:@-]+' },
];

/** The chat platforms this environment turns on, in registry order (empty: the console). */
export function configuredPlatforms(env: Record<string, string | undefined>): PlatformEntry[] {
  return PLATFORMS.filter((p) => p.enabledBy !== null && Boolean(env[p.enabledBy]));
}

/** Every platform's conversation id, whole: `slack:T1:C1`, `feishu:oc_x`, `console:local`. */
export const CONVERSATION_ID = new RegExp(`^(?:${PLATFORMS.map((p) => p.conversation).join('|')})$`);

/** A user or conversation id of any platform but `id`, by its prefix. */
export function otherPlatformId(id: string): RegExp {
  return new RegExp(`^(?:${PLATFORMS.filter((p) => p.id !== id).map((p) => p.id).join('|')}):`);
}

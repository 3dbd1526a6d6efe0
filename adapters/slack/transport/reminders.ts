import { webApi, type LogLevel, type Logger } from '@slack/bolt';
import type { Lang } from '../../../src/i18n/index.ts';
import { SendError, type Outbound, type Sender, type SendOptions } from '../../../src/reminders/message.ts';
import type { Store } from '../../../src/store/types.ts';
import { ACK_ACTION, ACK_BLOCK, parseConversationId } from '../parse.ts';
import { mention, mrkdwn } from '../render/mrkdwn.ts';
import { renderMessages, repliesLang } from '../render/index.ts';
import { getThread, setThread } from './deliver.ts';

export interface SlackSenderDeps {
  /**
   * The reminders' own WebClient (app.ts: no automatic retries, rate-limited calls rejected, a timeout), so that a
   * slow or rate-limited reminder never pauses the client that posts users' cards, and never posts twice by itself.
   */
  client: webApi.WebClient;
  store: Store;
  now: () => number;
  command: string;
  defaultLang: Lang;
  log?: (msg: string) => void;
}

/**
 * The reminders' WebClient: same token and API URL as the app's, but no automatic retries (a retry after a 5xx that
 * took effect posts twice; the ticker checks first), a 429 rejected at once instead of pausing the client's queue,
 * and a timeout, so one slow or rate-limited reminder never holds up users' cards or other reminders.
 */
export function createReminderClient(token: string, o: { apiUrl?: string | null; timeoutMs: number; logger?: Logger; logLevel?: LogLevel; fetch?: typeof fetch }): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}), ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.logger ? { logger: o.logger } : {}), ...(o.logLevel ? { logLevel: o.logLevel } : {}),
    retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: o.timeoutMs,
  });
}

/** The metadata every reminder post carries: the "did it post?" check finds a post by its key. */
export const REMINDER_EVENT = 'pboc_reminder';
const CLOCK_MARGIN_MS = 5 * 60_000; // the bot's clock against Slack's, when looking for a post made since a time
const MAX_PAGES = 5;

interface SlackErrorLike { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } }

/**
 * What a Web API failure says about the post: a refusal (ok: false) or a 429 took nothing; a 5xx, a timeout or a
 * lost connection may have taken it. `partial`: an earlier part of the reminder already went out.
 */
function sendError(e: unknown, partial: boolean): SendError {
  const x = e as SlackErrorLike;
  const msg = (e as Error).message ?? String(e);
  if (x.code === 'slack_webapi_rate_limited_error') return new SendError(msg, { uncertain: partial, retryAfterMs: (x.retryAfter ?? 0) * 1000, cause: e });
  if (x.code === 'slack_webapi_platform_error') return new SendError(msg, { uncertain: partial, cause: e });
  if (x.code === 'slack_webapi_http_error' && x.statusCode !== undefined && x.statusCode < 500) return new SendError(msg, { uncertain: partial, cause: e });
  return new SendError(msg, { uncertain: true, cause: e }); // 5xx, timeout, network: it may have landed
}

interface Found { ts: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } }

/**
 * The reminder ticker's Sender: chat.postMessage to the incident's channel, threaded under the
 * incident's first message, mentioning the responsible people. Each post carries message metadata
 * (event_type pboc_reminder, the reminder's key), which `posted` looks for with conversations.history
 * and conversations.replies (include_all_metadata, only since the first attempt), so a retry after an
 * uncertain failure (5xx, timeout) does not post twice. Throws SendError when Slack did not take the
 * message, or may not have (the ticker then releases its claim and retries with backoff).
 * Needs the channels:history / groups:history scopes for the check; without them `posted` says it cannot tell.
 */
export function createSlackSender(d: SlackSenderDeps): Sender {
  /** Pages through one listing (history or a thread) since oldest, looking for the key's metadata. */
  async function find(list: (cursor?: string) => Promise<webApi.ConversationsHistoryResponse | webApi.ConversationsRepliesResponse>, key: string): Promise<Found | null> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await list(cursor);
      const hit = ((res.messages ?? []) as Found[]).find((m) => m.metadata?.event_type === REMINDER_EVENT && m.metadata.event_payload?.key === key);
      if (hit) return hit;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return null;
    }
    return null;
  }

  return {
    async send(m: Outbound, opts?: SendOptions) {
      const where = parseConversationId(m.conversation);
      if (!where) throw new SendError(`not a Slack conversation: ${m.conversation}`, { uncertain: false });
      const lang = repliesLang(m.replies, d.defaultLang);
      const who = m.mentions.map(mention).join(' ');
      const lead = who ? [{ type: 'section' as const, text: mrkdwn(who) }] : [];
      const messages = renderMessages(m.replies, { command: d.command, lang }, lead, who);
      // The reminder's acknowledge button, under its last part: a click runs `/incident ack …` as the clicker.
      if (m.ack && messages.length > 0) {
        const last = messages[messages.length - 1]!;
        last.blocks = [...last.blocks, { type: 'actions', block_id: ACK_BLOCK, elements: [{ type: 'button', action_id: ACK_ACTION, text: { type: 'plain_text', text: m.ack.label.slice(0, 75) }, value: m.ack.command.slice(0, 2000) }] }];
      }
      const thread = await getThread(d.store, m.incidentId, d.now());
      let threadTs = thread && thread.channel === where.channel ? thread.ts : undefined;
      let first: string | undefined;
      for (const [part, { blocks, text }] of messages.entries()) {
        // Past the ticker's deadline no further part starts (the client's timeout ends the one in flight).
        if (opts?.signal?.aborted) throw new SendError(`reminder ${m.key ?? ''} abandoned after ${part} of ${messages.length} parts`, { uncertain: part > 0 });
        let res: webApi.ChatPostMessageResponse;
        try {
          res = await d.client.chat.postMessage({
            channel: where.channel, text, blocks, unfurl_links: false, unfurl_media: false,
            ...(threadTs ? { thread_ts: threadTs } : {}),
            ...(m.key ? { metadata: { event_type: REMINDER_EVENT, event_payload: { key: m.key, part: part + 1, of: messages.length } } } : {}),
          });
        } catch (e) {
          throw sendError(e, part > 0);
        }
        first ??= res.ts;
        threadTs ??= res.ts; // the rest of a long reminder follows in the thread its first part started
      }
      // No thread yet (the incident began elsewhere): this reminder starts it.
      if (!thread && first) await setThread(d.store, m.incidentId, { channel: where.channel, ts: first }, d.now());
    },

    async posted(m: Outbound, sinceMs: number) {
      const where = parseConversationId(m.conversation);
      if (!where || !m.key) return null;
      const key = m.key;
      const oldest = (Math.max(0, sinceMs - CLOCK_MARGIN_MS) / 1000).toFixed(6);
      const thread = await getThread(d.store, m.incidentId, d.now());
      try {
        let hit: Found | null = null;
        if (thread && thread.channel === where.channel) {
          hit = await find((cursor) => d.client.conversations.replies({ channel: where.channel, ts: thread.ts, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }), key);
        }
        // Not in the thread: it may have been posted at the top (before the incident had a thread).
        hit ??= await find((cursor) => d.client.conversations.history({ channel: where.channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }), key);
        // A reminder that started the thread, though its answer was lost: later ones follow under it.
        if (hit && !thread) await setThread(d.store, m.incidentId, { channel: where.channel, ts: hit.ts }, d.now());
        return hit !== null;
      } catch (e) {
        const x = e as SlackErrorLike;
        if (x.code === 'slack_webapi_platform_error') {
          // missing_scope, not_in_channel...: this workspace will not tell; the ticker posts again.
          d.log?.(`slack: cannot check whether reminder ${key} was posted (${x.data?.error ?? (e as Error).message}); it may appear twice`);
          return null;
        }
        throw sendError(e, false); // try the check again later
      }
    },
  };
}

import type { webApi } from '@slack/bolt';
import type { Lang } from '../../src/i18n/index.ts';
import type { Outbound, Sender } from '../../src/reminders/message.ts';
import type { Store } from '../../src/store/types.ts';
import { parseConversationId } from './ids.ts';
import { mention, mrkdwn } from './mrkdwn.ts';
import { renderMessages, repliesLang } from './render.ts';
import { getThread, setThread } from './threads.ts';

export interface SlackSenderDeps {
  client: webApi.WebClient;
  store: Store;
  now: () => number;
  command: string;
  defaultLang: Lang;
}

/**
 * The reminder ticker's Sender: chat.postMessage to the incident's channel, threaded under the
 * incident's first message, mentioning the responsible people. Throws when Slack did not take the
 * message (the ticker then releases its claim and retries with backoff).
 */
export function createSlackSender(d: SlackSenderDeps): Sender {
  return {
    async send(m: Outbound) {
      const where = parseConversationId(m.conversation);
      if (!where) throw new Error(`not a Slack conversation: ${m.conversation}`);
      const lang = repliesLang(m.replies, d.defaultLang);
      const who = m.mentions.map(mention).join(' ');
      const lead = who ? [{ type: 'section' as const, text: mrkdwn(who) }] : [];
      const messages = renderMessages(m.replies, { command: d.command, lang }, lead, who);
      const thread = await getThread(d.store, m.incidentId, d.now());
      let threadTs = thread && thread.channel === where.channel ? thread.ts : undefined;
      let first: string | undefined;
      for (const { blocks, text } of messages) {
        const res = await d.client.chat.postMessage({
          channel: where.channel, text, blocks, unfurl_links: false, unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        first ??= res.ts;
        threadTs ??= res.ts; // the rest of a long reminder follows in the thread its first part started
      }
      const res = { ts: first };
      // No thread yet (the incident began elsewhere): this reminder starts it.
      if (!thread && res.ts) await setThread(d.store, m.incidentId, { channel: where.channel, ts: res.ts }, d.now());
    },
  };
}

import type { webApi } from '@slack/bolt';
import type { Lang } from '../../src/i18n/index.ts';
import type { Outbound, Sender } from '../../src/reminders/message.ts';
import type { Store } from '../../src/store/types.ts';
import { parseConversationId } from './ids.ts';
import { mention, mrkdwn } from './mrkdwn.ts';
import { renderMessage, repliesLang } from './render.ts';
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
      const { blocks, text } = renderMessage(m.replies, { command: d.command, lang });
      const who = m.mentions.map(mention).join(' ');
      const thread = await getThread(d.store, m.incidentId, d.now());
      const threadTs = thread && thread.channel === where.channel ? thread.ts : undefined;
      const res = await d.client.chat.postMessage({
        channel: where.channel,
        text: who ? `${who} ${text}` : text,
        blocks: who ? [{ type: 'section', text: mrkdwn(who) }, ...blocks] : blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      // No thread yet (the incident began elsewhere): this reminder starts it.
      if (!thread && res.ts) await setThread(d.store, m.incidentId, { channel: where.channel, ts: res.ts }, d.now());
    },
  };
}

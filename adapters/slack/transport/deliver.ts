import type { webApi } from '@slack/bolt';
import type { Lang } from '../../../src/i18n/index.ts';
import type { Reply } from '../../../src/conversation/types.ts';
import type { Store } from '../../../src/store/types.ts';
import { SLACK_TEXT } from '../render/messages.ts';
import { escapeMrkdwn, mrkdwn, type Block } from '../render/mrkdwn.ts';
import { cut } from '../../text.ts';
import type { Destination } from '../parse.ts';
import { renderMessages, repliesLang } from '../render/index.ts';

export interface DeliveryDeps {
  client: webApi.WebClient;
  store: Store;
  now: () => number;
  fetch: typeof fetch;
  command: string;
  log: (msg: string) => void;
  /** Each Web API call and response_url post, counted by the kit when it fails (ops.apiError), failures handled here too. */
  counted: <R>(call: Promise<R>) => Promise<R>;
}

export interface Delivery {
  /**
   * Posts grade and deadline cards (and their texts) in the channel, uploads files into the incident's
   * thread, and shows errors, help and questions privately.
   */
  deliver(replies: readonly Reply[], to: Destination, lang: Lang): Promise<void>;
  /** One private notice (a refusal, a failure). */
  notice(text: string, to: Destination): Promise<void>;
}

/**
 * Which replies the channel sees: full cards and the texts that go with them. Compact cards,
 * questions, errors and ephemeral texts (help, language) are for the user who typed or clicked.
 * A text goes where the next card goes (or the last one, or the channel when there is none).
 */
export function splitReplies(replies: readonly Reply[]): { channel: Reply[]; user: Reply[] } {
  const channel: Reply[] = [];
  const user: Reply[] = [];
  let held: Reply[] = [];
  let last: Reply[] | null = null;
  for (const r of replies) {
    if (r.type === 'file') continue; // uploaded, not posted: see deliver()
    if (r.type === 'text' && !r.ephemeral) {
      held.push(r);
    } else if (r.type === 'card') {
      last = r.compact ? user : channel;
      last.push(...held, r);
      held = [];
    } else {
      (last ?? channel).push(...held);
      held = [];
      user.push(r);
    }
  }
  (last ?? channel).push(...held);
  return { channel, user };
}

function slackError(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

type FileReply = Extract<Reply, { type: 'file' }>;

/** A file's language: the card's when one came with it, else its title's (the core writes it in the document's language). */
function fileLang(f: FileReply, replies: readonly Reply[], fallback: Lang): Lang {
  const card = replies.find((r) => r.type === 'card');
  return card?.type === 'card' ? card.card.lang : repliesLang([{ type: 'text', text: f.title }], fallback);
}

export function createDelivery(d: DeliveryDeps): Delivery {
  async function respond(url: string, body: Record<string, unknown>): Promise<void> {
    await d.counted((async () => {
      const res = await d.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
      const answer = await res.text();
      if (!res.ok) throw Object.assign(new Error(`response_url answered ${res.status} ${answer.slice(0, 100)}`), { statusCode: res.status });
    })());
  }

  async function toChannel(replies: readonly Reply[], to: Destination, lang: Lang): Promise<void> {
    const card = replies.find((r) => r.type === 'card');
    const incidentId = card?.type === 'card' ? card.card.incidentId : null;
    const messages = renderMessages(replies, { command: d.command, lang });
    const thread = incidentId ? await getThread(d.store, incidentId, d.now()) : null;
    let threadTs = thread && thread.channel === to.channel ? thread.ts : to.threadTs;
    for (const [i, { blocks, text }] of messages.entries()) {
      try {
        const base = { channel: to.channel, text, blocks, unfurl_links: false, unfurl_media: false };
        // A card in the incident's thread is broadcast too: the channel sees every grade and deadline change.
        const res = await d.counted(d.client.chat.postMessage(threadTs ? { ...base, thread_ts: threadTs, reply_broadcast: incidentId !== null && i === 0 } : base));
        const root = threadTs ?? res.ts;
        if (incidentId && !thread && root && i === 0) await setThread(d.store, incidentId, { channel: to.channel, ts: root }, d.now());
        // The rest of a reply too long for one message follows in the same thread.
        if (!threadTs && incidentId && root) threadTs = root;
      } catch (e) {
        const code = slackError(e);
        if ((code === 'not_in_channel' || code === 'channel_not_found') && to.responseUrl) {
          // Slack still lets the command's response_url post in the channel; reminders will need the bot invited.
          for (const m of messages.slice(i)) await respond(to.responseUrl, { response_type: 'in_channel', text: m.text, blocks: m.blocks });
          await toUser([{ type: 'text', text: SLACK_TEXT[lang].notInChannel }], to, lang, false);
          return;
        }
        throw e;
      }
    }
  }

  async function toUser(replies: readonly Reply[], to: Destination, lang: Lang, replace: boolean): Promise<void> {
    const answered = replace && to.answered ? SLACK_TEXT[lang].answered(escapeMrkdwn(to.answered)) : '';
    const note: Block[] = answered ? [{ type: 'context', elements: [mrkdwn(cut(answered, 2000))] }] : [];
    const messages = renderMessages(replies, { command: d.command, lang }, note);
    for (const [i, { blocks, text }] of messages.entries()) {
      const fallback = cut(text || answered, 3900);
      if (to.responseUrl) {
        // Only the first message replaces the question; the rest of a long reply follows it.
        await respond(to.responseUrl, { response_type: 'ephemeral', replace_original: replace && i === 0, text: fallback, blocks });
      } else {
        await d.counted(d.client.chat.postEphemeral({ channel: to.channel, user: to.user, text: fallback, blocks, ...(to.threadTs ? { thread_ts: to.threadTs } : {}) }));
      }
    }
  }

  /**
   * files.getUploadURLExternal, the bytes to its upload_url, files.completeUploadExternal: shared in
   * the incident's thread (when it is in this channel) with the title as the message.
   */
  async function upload(f: FileReply, to: Destination): Promise<void> {
    const thread = await getThread(d.store, f.incidentId, d.now());
    const threadTs = thread && thread.channel === to.channel ? thread.ts : to.threadTs;
    // The WebClient takes only a Buffer as binary data (a bare Uint8Array is not one).
    const file = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    const base = { channel_id: to.channel, file, filename: f.filename, initial_comment: escapeMrkdwn(f.title) };
    await d.counted(d.client.filesUploadV2(threadTs ? { ...base, thread_ts: threadTs } : base));
  }

  return {
    async deliver(replies, to, given) {
      const lang = repliesLang(replies, given);
      const { channel, user } = splitReplies(replies);
      const failed = user.some((r) => r.type === 'error');
      if (channel.length) {
        try {
          await toChannel(channel, to, lang);
        } catch (e) {
          d.log(`chat.postMessage to ${to.channel} failed: ${slackError(e) ?? (e as Error).message}`);
          user.push({ type: 'error', text: SLACK_TEXT[lang].failed });
        }
      }
      for (const f of replies.filter((r): r is FileReply => r.type === 'file')) {
        try {
          await upload(f, to);
        } catch (e) {
          const code = slackError(e);
          d.log(`file upload ${f.filename} to ${to.channel} failed: ${code ?? (e as Error).message}`);
          const text = SLACK_TEXT[fileLang(f, replies, lang)];
          user.push({ type: 'error', text: code === 'not_in_channel' ? text.uploadNotInChannel(f.filename) : text.uploadFailed(f.filename) });
        }
      }
      // The question message the user answered is replaced (by the next question, or by what they answered);
      // an answer that failed leaves the question in place and explains below it.
      const replace = to.fromQuestion === true && !failed;
      if (user.length || replace) await toUser(user, to, lang, replace);
    },
    async notice(text, to) {
      await toUser([{ type: 'text', text }], to, 'zh-CN', false);
    },
  };
}


/** Where an incident's first message is: later cards and reminders are threaded under it. */
export interface IncidentThread {
  channel: string;
  ts: string;
}

const THREAD_TTL_MS = 400 * 86_400_000; // longer than any reporting clock of an incident
const key = (incidentId: string) => `slack-thread:${incidentId}`;

export async function getThread(store: Store, incidentId: string, nowMs: number): Promise<IncidentThread | null> {
  const v = (await store.getSession(key(incidentId), nowMs)) as Partial<IncidentThread> | null;
  return v && typeof v.channel === 'string' && typeof v.ts === 'string' ? { channel: v.channel, ts: v.ts } : null;
}

export async function setThread(store: Store, incidentId: string, thread: IncidentThread, nowMs: number): Promise<void> {
  await store.setSession(key(incidentId), thread, THREAD_TTL_MS, nowMs);
}

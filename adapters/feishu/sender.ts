import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../src/conversation/types.ts';
import { SendError, type Outbound, type Sender } from '../../src/reminders/message.ts';
import type { Store } from '../../src/store/types.ts';
import { isTransient, type Messenger, type OutMessage } from './transport/api.ts';
import { REMINDER_TEXT_MAX, renderCards, renderReminderCards, renderReminderText } from './render.ts';
import { isAckCommand } from '../ack.ts';
import type { Lang } from '../../src/i18n/index.ts';

const THREAD_TTL_MS = 400 * 86_400_000; // longer than any reporting obligation of an incident lasts
const Thread = z.object({ chatId: z.string(), messageId: z.string() });
export type Thread = z.infer<typeof Thread>;

const threadKey = (incidentId: string) => `feishu-thread:${incidentId}`;

/** The message an incident's posts are threaded under, or null before the bot has posted about it. */
export async function getThread(store: Store, incidentId: string, nowMs: number): Promise<Thread | null> {
  const r = Thread.safeParse(await store.getSession(threadKey(incidentId), nowMs));
  return r.success ? r.data : null;
}

/** Remembers `messageId` as the incident's root unless it already has one. */
export async function rememberThread(store: Store, incidentId: string, thread: Thread, nowMs: number): Promise<void> {
  if (await getThread(store, incidentId, nowMs)) return;
  await store.setSession(threadKey(incidentId), thread, THREAD_TTL_MS, nowMs);
}

/** Incidents the replies are about (cards, questions and files carry their incident's id). */
export function incidentsOf(replies: readonly Reply[]): string[] {
  const ids = replies.flatMap((r) => (r.type === 'card' ? [r.card.incidentId] : r.type === 'question' ? [r.question.incidentId] : r.type === 'file' ? [r.incidentId] : []));
  return [...new Set(ids)];
}

/**
 * Reminders as text messages mentioning the responsible people; a reminder with an acknowledge button, anything with
 * a card, or anything too long for text, as cards.
 */
export function outboundMessages(m: Outbound, lang: Lang): OutMessage[] {
  const plain = m.replies.every((r) => r.type === 'text' || r.type === 'error');
  if (plain && m.ack && isAckCommand(m.ack.command)) return renderReminderCards(m.replies, m.mentions, m.ack, lang).map((card) => ({ msgType: 'interactive', card }));
  const text = plain ? renderReminderText(m.replies, m.mentions) : '';
  if (plain && text.length <= REMINDER_TEXT_MAX) return [{ msgType: 'text', text }];
  const mentions: Reply[] = m.mentions.length ? [{ type: 'text', text: m.mentions.map((x) => `@${x.replace(/^feishu:/, '')}`).join(' ') }] : [];
  return renderCards([...m.replies, ...mentions], { lang }).map((card) => ({ msgType: 'interactive', card }));
}

const IDENTITY_KEY = 'feishu-store-identity';
const IDENTITY_TTL_MS = 100 * 365 * 86_400_000;

/**
 * A random id kept in the store, made on first use: reminder uuids include it, so that another store (after a
 * wipe, or a second deployment on the same app) reusing an incident id does not have its reminders taken for ours.
 */
export async function storeIdentity(store: Store, nowMs: number): Promise<string> {
  const found = z.string().safeParse(await store.getSession(IDENTITY_KEY, nowMs));
  if (found.success) return found.data;
  await store.setSession(IDENTITY_KEY, randomUUID(), IDENTITY_TTL_MS, nowMs);
  return z.string().parse(await store.getSession(IDENTITY_KEY, nowMs));
}

/**
 * The reminder ticker's Sender: replies under the incident's root message (im.message.reply), or posts to
 * the chat (im.message.create) when there is none or it is gone. Throws when Feishu took neither, or refused
 * for now (rate limit, server error): the ticker tries again later with its own backoff, still in the thread.
 * `messenger` should not retry much itself (app.ts gives it none): each wait here holds up the whole tick.
 * A reminder's deterministic key becomes Feishu's uuid, so a retry after an answer lost on the way back does not
 * post it twice; each repeated ping (every 15 minutes) has a key of its own.
 */
export function feishuSender(deps: { messenger: Messenger; store: Store; now: () => number; lang: Lang; log: (msg: string) => void }): Sender {
  const { messenger, store } = deps;
  return {
    // Past the ticker's deadline this gives up at once: a request still in flight may land, but the retry carries the
    // same uuids, which Feishu answers with that message instead of posting again (within its hour).
    async send(m, opts) {
      const signal = opts?.signal;
      if (!signal) return post(m);
      if (signal.aborted) throw new SendError('feishu: reminder abandoned at the deadline', { uncertain: true });
      let onAbort!: () => void;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new SendError(`feishu: no answer before the deadline for ${m.key ?? m.incidentId}`, { uncertain: true }));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([post(m), aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };

  async function post(m: Outbound): Promise<void> {
    if (!m.conversation.startsWith('feishu:')) throw new Error(`feishu sender: ${m.conversation} is not a Feishu chat`);
    const chatId = m.conversation.slice('feishu:'.length);
    const [message, ...rest] = outboundMessages(m, deps.lang);
    const thread = await getThread(store, m.incidentId, deps.now());
    const identity = m.key ? await storeIdentity(store, deps.now()) : '';
    const uuid = (suffix: string) => (m.key ? { uuid: `${createHash('sha256').update(`${identity}|${m.key}`).digest('hex').slice(0, 40)}-${suffix}` } : {});
    let root: string | null = null;
    if (thread) {
      try {
        root = await messenger.reply(thread.messageId, message!, { ...uuid('r'), chatId });
      } catch (e) {
        if (isTransient(e)) throw e;
        deps.log(`feishu: reply under ${thread.messageId} for ${m.incidentId} failed (${(e as Error).message}); posting to the chat instead`);
      }
    }
    if (root === null) {
      root = await messenger.create(chatId, message!, uuid('c'));
      if (!thread && root) await rememberThread(store, m.incidentId, { chatId, messageId: root }, deps.now());
    }
    // The rest of a reminder too long for one message follows under its first part.
    for (const [i, more] of rest.entries()) await messenger.reply(thread?.messageId ?? root, more, { ...uuid(`m${i + 1}`), chatId });
  }
}

// Feishu's way out, as one send: a message goes under another (im.message.reply: the user's message, an incident's
// root message, the first card of a long answer) and, when that one is gone, to the chat (im.message.create). Each
// incident's root message is kept (`feishu-thread:<incident>`), so that reminders and files follow under it. A send
// gives back where what follows it goes (under the message it made), and gives up at the ticker's deadline.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SendError } from '../../../src/reminders/message.ts';
import type { Store } from '../../../src/store/types.ts';
import { isTransient, type Messenger, type OutMessage } from './api.ts';

const THREAD_TTL_MS = 400 * 86_400_000; // longer than any reporting obligation of an incident lasts
const Thread = z.object({ chatId: z.string(), messageId: z.string() });
type Thread = z.infer<typeof Thread>;
const threadKey = (incidentId: string) => `feishu-thread:${incidentId}`;

const IDENTITY_KEY = 'feishu-store-identity';
const IDENTITY_TTL_MS = 100 * 365 * 86_400_000;

/** Where a message goes: a chat (or one person, `openId`), under a message there when `under` (in its thread: `inThread`). */
export interface FeishuTarget {
  chatId: string;
  under?: string | undefined;
  inThread?: boolean | undefined;
  /** One-to-one with this person (im.message.create to an open_id). */
  openId?: string | undefined;
}

export interface FeishuSendOptions {
  /**
   * Feishu's de-duplication: the same uuid on every retry and after a restart, so that an attempt Feishu took but did
   * not confirm is not posted twice. The post to the chat after a refused reply carries its own (`-c` after it).
   */
  uuid?: string | undefined;
  /** Under this incident's root message when it is in this chat (reminders, files), else as `to` says. */
  incident?: string | undefined;
  /** The incidents the message is about: the first message about one becomes its root. */
  about?: readonly string[] | undefined;
  /** The ticker's deadline: given up at once past it (a request in flight may land; its retry has the same uuid). */
  signal?: AbortSignal | undefined;
  /** What the log calls it: `sending <name>`; default `a reply`. */
  what?: string | undefined;
}

export interface FeishuSent {
  /** The message Feishu made. */
  id: string;
  /** Where the rest of the same answer goes: under the message just sent. */
  next: FeishuTarget;
}

export interface FeishuOut {
  send(to: FeishuTarget, message: OutMessage, o?: FeishuSendOptions): Promise<FeishuSent>;
  /** Keeps `messageId` as each incident's root unless it already has one. */
  remember(incidents: readonly string[], chatId: string, messageId: string): Promise<void>;
  /**
   * A random id kept in the store, made on first use: reminder uuids include it, so that another store (after a wipe,
   * or a second deployment on the same app) reusing an incident id does not have its reminders taken for ours.
   */
  identity(): Promise<string>;
}

/** A reminder key's uuid: the store's identity and the key, hashed (each repeated ping has a key of its own). */
export async function reminderUuid(out: FeishuOut, key: string): Promise<string> {
  return createHash('sha256').update(`${await out.identity()}|${key}`).digest('hex').slice(0, 40);
}

export function feishuOut(d: { messenger: Messenger; store: Store; now: () => number; log: (msg: string) => void }): FeishuOut {
  const { messenger, store, log } = d;

  async function getThread(incidentId: string): Promise<Thread | null> {
    const r = Thread.safeParse(await store.getSession(threadKey(incidentId), d.now()));
    return r.success ? r.data : null;
  }

  async function remember(incidents: readonly string[], chatId: string, messageId: string): Promise<void> {
    for (const id of incidents) {
      if (await getThread(id)) continue;
      await store.setSession(threadKey(id), { chatId, messageId } satisfies Thread, THREAD_TTL_MS, d.now());
    }
  }

  async function post(to: FeishuTarget, message: OutMessage, o: FeishuSendOptions): Promise<FeishuSent> {
    const uuid = o.uuid ?? randomUUID();
    if (to.openId) {
      const id = await messenger.create(to.openId, message, { uuid, receiveIdType: 'open_id' });
      return { id, next: to };
    }
    const thread = o.incident ? await getThread(o.incident) : null;
    // About an incident: under its root message when that is in this chat, else a new message to the chat.
    const under = o.incident ? (thread && thread.chatId === to.chatId ? thread.messageId : undefined) : to.under;
    let id: string | null = null;
    if (under) {
      try {
        id = await messenger.reply(under, message, { uuid, ...(to.chatId ? { chatId: to.chatId } : {}), ...(to.inThread && under === to.under ? { inThread: true } : {}) });
      } catch (e) {
        // Refused for now even after retries (rate limit, server error): the chat would refuse it too, or show it
        // twice if an attempt did go through. Refused for good (the message recalled): the chat still gets it.
        if (isTransient(e)) {
          if (!o.what) log(`feishu: the reply to ${under} was not delivered (${(e as Error).message}); giving up`);
          throw e;
        }
        log(`feishu: ${o.what ?? 'a reply'} under ${under} failed (${(e as Error).message}); posting to the chat instead`);
      }
    }
    if (id === null) id = await messenger.create(to.chatId, message, { uuid: `${uuid.slice(0, 47)}-c` });
    await remember(o.about ?? (o.incident && !thread ? [o.incident] : []), to.chatId, id);
    return { id, next: { chatId: to.chatId, under: id } };
  }

  return {
    remember,
    async identity() {
      const found = z.string().safeParse(await store.getSession(IDENTITY_KEY, d.now()));
      if (found.success) return found.data;
      await store.setSession(IDENTITY_KEY, randomUUID(), IDENTITY_TTL_MS, d.now());
      return z.string().parse(await store.getSession(IDENTITY_KEY, d.now()));
    },
    async send(to, message, o = {}) {
      const signal = o.signal;
      if (!signal) return post(to, message, o);
      if (signal.aborted) throw new SendError('feishu: reminder abandoned at the deadline', { uncertain: true });
      let onAbort!: () => void;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new SendError(`feishu: no answer before the deadline for ${o.incident ?? 'a reminder'}`, { uncertain: true }));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([post(to, message, o), aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

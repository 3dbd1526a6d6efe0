// What the bot remembers about a card it sent, so that a click on it answers the question it showed (and a
// reminder's acknowledge button runs the command the ticker wrote, never one from the click).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../src/conversation/types.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';

const CARD_TTL_MS = 30 * 86_400_000; // a question card stays answerable this long

export const CardRecord = z.object({
  conversation: z.string(),
  lang: z.enum(['zh-CN', 'en']),
  incidentId: z.string().nullable(),
  questionId: z.string().nullable(),
  options: z.array(z.object({ label: z.string(), value: z.string() })),
  /** A reminder's card: the `ack` command its acknowledge button runs as the clicker. */
  ack: z.string().optional(),
});
export type CardRecord = z.infer<typeof CardRecord>;

/** One platform's card records in the store (sessions `<id>-card:<card>`). */
export function cardRecords(platform: string, store: Store) {
  const key = (card: string) => `${platform}-card:${card}`;
  return {
    async get(card: string, nowMs: number): Promise<CardRecord | null> {
      const r = CardRecord.safeParse(await store.getSession(key(card), nowMs));
      return r.success ? r.data : null;
    },
    /** Which question a card now shows (after it was sent, or updated by a click). */
    async question(card: string, conversation: string, replies: readonly Reply[], lang: Lang, options: CardRecord['options'], nowMs: number): Promise<void> {
      const q = replies.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question')?.question;
      const record: CardRecord = { conversation, lang, incidentId: q?.incidentId ?? null, questionId: q?.id ?? null, options: q ? options : [] };
      await store.setSession(key(card), record, CARD_TTL_MS, nowMs);
    },
    /** A reminder card and the `ack` command its button runs. */
    async ack(card: string, r: { conversation: string; lang: Lang; incidentId: string; label: string; value: string; command: string }, nowMs: number): Promise<void> {
      const record: CardRecord = { conversation: r.conversation, lang: r.lang, incidentId: r.incidentId, questionId: null, options: [{ label: r.label, value: r.value }], ack: r.command };
      await store.setSession(key(card), record, CARD_TTL_MS, nowMs);
    },
  };
}

/** A deterministic card id (a platform refuses a second card with one it has, so a retried send cannot post twice). */
export function cardIdOf(seed: string): string {
  return `pboc-${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;
}

/** A short digest for inbox keys made of several ids. */
export function digestOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 40);
}

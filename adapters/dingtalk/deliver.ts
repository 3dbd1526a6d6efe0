import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../src/conversation/types.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';
import type { OpenApi, Target } from './openapi.ts';
import { cardOptions, cardParams, chunks, UI } from './render.ts';
import { renderText } from '../../src/conversation/render-text.ts';

const CARD_TTL_MS = 30 * 86_400_000; // a question card stays answerable this long

/** What the bot remembers about a card it sent, so that a click on it answers the question it asked. */
export const CardRecord = z.object({
  conversation: z.string(),
  lang: z.enum(['zh-CN', 'en']),
  incidentId: z.string().nullable(),
  questionId: z.string().nullable(),
  options: z.array(z.object({ label: z.string(), value: z.string() })),
  /** A reminder's card: the `ack` command its acknowledge button runs as the clicker (the button sends back only ACK_VALUE). */
  ack: z.string().optional(),
});
export type CardRecord = z.infer<typeof CardRecord>;

const cardKey = (outTrackId: string) => `dingtalk-card:${outTrackId}`;

export async function getCard(store: Store, outTrackId: string, nowMs: number): Promise<CardRecord | null> {
  const r = CardRecord.safeParse(await store.getSession(cardKey(outTrackId), nowMs));
  return r.success ? r.data : null;
}

/** What a reminder card's acknowledge button sends back: a fixed word; the command itself stays in the card record. */
export const ACK_VALUE = 'ack';

/** Remembers a reminder card and the `ack` command its button runs. */
export async function rememberAckCard(store: Store, outTrackId: string, r: { conversation: string; lang: Lang; incidentId: string; label: string; command: string }, nowMs: number): Promise<void> {
  const record: CardRecord = { conversation: r.conversation, lang: r.lang, incidentId: r.incidentId, questionId: null, options: [{ label: r.label, value: ACK_VALUE }], ack: r.command };
  await store.setSession(cardKey(outTrackId), record, CARD_TTL_MS, nowMs);
}

/** Remembers which question a card now shows (after it was sent, or updated by a click). */
export async function rememberCard(store: Store, outTrackId: string, conversation: string, replies: readonly Reply[], lang: Lang, nowMs: number): Promise<void> {
  const q = replies.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question')?.question;
  const record: CardRecord = { conversation, lang, incidentId: q?.incidentId ?? null, questionId: q?.id ?? null, options: q ? cardOptions(q, lang) : [] };
  await store.setSession(cardKey(outTrackId), record, CARD_TTL_MS, nowMs);
}

/** A deterministic outTrackId (DingTalk refuses a second card with one it has, so a retried send cannot post twice). */
export function outTrackIdOf(seed: string): string {
  return `pboc-${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;
}

export interface DeliverDeps {
  api: OpenApi;
  store: Store;
  now: () => number;
  log: (msg: string) => void;
  cardTemplateId: string | null;
}

const FILE_TYPES: Record<string, string> = { docx: 'docx', doc: 'doc', pdf: 'pdf', xlsx: 'xlsx', xls: 'xls', pptx: 'pptx', zip: 'zip', rar: 'rar' };
/** sampleFile's fileType: the extension DingTalk lists for it, else the file cannot go as a file message. */
export function fileTypeOf(filename: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return FILE_TYPES[ext] ?? null;
}

/**
 * Sends the answer to one input: as an interactive card of the configured template when it has a card or a question
 * (else, and without a template, as text), then each file as a file message. `seed` makes the card's outTrackId.
 * Throws when DingTalk took neither the card nor the text; a file that did not go is said in a text message.
 */
export async function deliver(d: DeliverDeps, to: Target, conversation: string, replies: readonly Reply[], lang: Lang, seed: string): Promise<void> {
  const files = replies.filter((r): r is Extract<Reply, { type: 'file' }> => r.type === 'file');
  const shown = replies.filter((r) => r.type !== 'file' || !fileTypeOf(r.filename)); // a file DingTalk cannot take stays a 📎 line
  const rich = shown.some((r) => r.type === 'card' || r.type === 'question');
  if (d.cardTemplateId && rich) {
    const outTrackId = outTrackIdOf(seed);
    await d.api.createCard(to, { templateId: d.cardTemplateId, outTrackId, params: cardParams(shown, lang) });
    await rememberCard(d.store, outTrackId, conversation, shown, lang, d.now());
  } else if (shown.length) {
    for (const text of chunks(renderText(shown))) await d.api.send(to, { msgKey: 'sampleText', msgParam: { content: text } });
  }
  const failed: string[] = [];
  for (const f of files) {
    const fileType = fileTypeOf(f.filename);
    if (!fileType) continue;
    try {
      const mediaId = await d.api.uploadFile(f.filename, f.data);
      await d.api.send(to, { msgKey: 'sampleFile', msgParam: { mediaId, fileName: f.filename, fileType } });
    } catch (e) {
      d.log(`dingtalk: sending ${f.filename} for ${f.incidentId} failed (${(e as Error).message})`);
      failed.push(f.filename);
    }
  }
  if (failed.length) {
    await d.api.send(to, { msgKey: 'sampleText', msgParam: { content: failed.map((n) => `✗ ${UI[lang].fileFailed(n)}`).join('\n') } })
      .catch((e: Error) => d.log(`dingtalk: could not say that a file was not sent (${e.message})`));
  }
}

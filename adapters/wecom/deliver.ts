import type { Reply } from '../../src/conversation/types.ts';
import type { Lang } from '../../src/i18n/index.ts';
import { questionCard, taskIdOf } from './cards.ts';
import { renderMarkdown, UI } from './markdown.ts';
import type { Messenger } from './messenger.ts';
import type { TemplateCard } from '@wecom/aibot-node-sdk';

export interface DeliverDeps {
  messenger: Messenger;
  log: (msg: string) => void;
}

export interface DeliverOptions {
  lang: Lang;
  group: boolean;
  /** Makes the question card's task_id: the same seed, the same id (a click on it names it). */
  seed: string;
  answered?: string;
  mentions?: readonly string[];
}

/** One input's replies as WeCom shows them: a markdown text, the question's buttons on a card, the files after. */
export function compose(replies: readonly Reply[], o: DeliverOptions): { markdown: string; card: TemplateCard | null; files: Array<Extract<Reply, { type: 'file' }>> } {
  const question = replies.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question');
  return {
    markdown: renderMarkdown(replies, { lang: o.lang, group: o.group, ...(o.answered !== undefined ? { answered: o.answered } : {}), ...(o.mentions ? { mentions: o.mentions } : {}) }),
    card: question ? questionCard(question.question, o.lang, taskIdOf(`${o.seed}:q:${question.question.id}`)) : null,
    files: replies.filter((r): r is Extract<Reply, { type: 'file' }> => r.type === 'file'),
  };
}

/**
 * Sends each file as a file message to the chat; a file WeCom did not take is said in the chat instead.
 * Never throws.
 */
export async function sendFiles(d: DeliverDeps, chatId: string, files: ReadonlyArray<Extract<Reply, { type: 'file' }>>, lang: Lang): Promise<void> {
  for (const f of files) {
    try {
      await d.messenger.sendFile(chatId, f.filename, f.data);
    } catch (e) {
      d.log(`wecom: sending ${f.filename} for ${f.incidentId} to ${chatId} failed (${(e as Error).message})`);
      await d.messenger.sendMarkdown(chatId, renderMarkdown([{ type: 'error', text: UI[lang].fileFailed(f.filename) }], { lang, group: false }))
        .catch((err: Error) => d.log(`wecom: could not say that a file was not sent (${err.message})`));
    }
  }
}

/**
 * Pushes replies to a chat (aibot_send_msg): the markdown, then the question card, then the files.
 * Throws when WeCom did not take the markdown; a card or a file it refused is logged (and said, for a file).
 */
export async function pushReplies(d: DeliverDeps, chatId: string, replies: readonly Reply[], o: DeliverOptions): Promise<void> {
  const { markdown, card, files } = compose(replies, o);
  await d.messenger.sendMarkdown(chatId, markdown);
  if (card) await d.messenger.sendCard(chatId, card).catch((e: Error) => d.log(`wecom: the question card for ${chatId} was not taken (${e.message}); the question can still be answered by typing`));
  await sendFiles(d, chatId, files, o.lang);
}

// WeCom's messages: markdown answers (in parts of at most 20,480 bytes), question and acknowledge cards, files, the
// enter_chat welcome, and the card a click turns the question card into. Pure.
import type { TemplateCard } from '@wecom/aibot-node-sdk';
import { renderText } from '../../../src/conversation/render-text.ts';
import type { Reply } from '../../../src/conversation/types.ts';
import type { Lang } from '../../../src/i18n/index.ts';
import type { Outbound } from '../../../src/reminders/message.ts';
import { isAckCommand } from '../../ack.ts';
import type { PlatformRender, Rendered } from '../../kit/platform.ts';
import type { WecomTarget } from '../parse.ts';
import type { WecomSettings } from '../settings.ts';
import { ackCard, cardChoices, questionCard, taskIdOf } from './cards.ts';
import { escapeMd, langOf, renderMarkdown, truncateBytes, UI } from './markdown.ts';

/**
 * One message to WeCom. markdown: on the callback's req_id while it is live (with its question's card), else pushed
 * (then the card after it); card: pushed, `optional` naming it when a refusal is only logged; welcome: plain text on
 * enter_chat's req_id.
 */
export type WecomMessage =
  | { kind: 'markdown'; content: string; card?: TemplateCard }
  | { kind: 'card'; card: TemplateCard; optional?: string }
  | { kind: 'file'; filename: string; data: Uint8Array }
  | { kind: 'welcome'; text: string };

/** What a clicked card becomes (its task_id is the card's own). */
export interface WecomCardUpdate { title: string; detail: string | null }

/** A welcome text's cap, as for WeCom's other text messages (UTF-8 bytes). */
export const WELCOME_MAX_BYTES = 2048;

interface ComposeOptions { lang: Lang; group: boolean; seed: string; answered?: string; mentions?: readonly string[] }

/** One input's replies as WeCom shows them: markdown in parts, the question's buttons on a card with the last, then the files. */
function compose(replies: readonly Reply[], o: ComposeOptions): Rendered<WecomMessage>[] {
  const parts = renderMarkdown(replies, { lang: o.lang, group: o.group, ...(o.answered !== undefined ? { answered: o.answered } : {}), ...(o.mentions ? { mentions: o.mentions } : {}) });
  const out: Rendered<WecomMessage>[] = parts.map((content) => ({ message: { kind: 'markdown', content } }));
  const question = replies.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question')?.question;
  const last = out[out.length - 1];
  if (question && last?.message.kind === 'markdown') {
    const taskId = taskIdOf(`${o.seed}:q:${question.id}`);
    last.message.card = questionCard(question, o.lang, taskId);
    last.card = { id: taskId };
  }
  for (const f of replies) if (f.type === 'file') out.push({ message: { kind: 'file', filename: f.filename, data: f.data }, file: f.filename });
  return out;
}

/**
 * A reminder pushed to the incident's chat (WeCom has no threads) as markdown that mentions the responsible people
 * (<@userid>), then its acknowledge button on a card of its own. The reminder itself went: a card WeCom refused is
 * logged, not thrown (a retry would post the reminder twice); the printed `/incident ack` line still works.
 */
function reminder(_s: WecomSettings, m: Outbound, o: { lang: Lang; seed: string }): Rendered<WecomMessage>[] {
  const out = compose(m.replies, { lang: langOf(m.replies, o.lang), group: true, seed: o.seed, mentions: m.mentions });
  if (m.ack && isAckCommand(m.ack.command)) {
    const taskId = taskIdOf(`${o.seed}:ack`);
    const card = ackCard(renderText(m.replies).split('\n')[0] ?? '', m.incidentId, m.ack, taskId);
    const label = card.button_list?.[0]?.text ?? m.ack.label;
    out.push({
      message: { kind: 'card', card, optional: `the acknowledge button for ${m.key ?? m.incidentId}` },
      card: { id: taskId, ack: { label, command: m.ack.command, value: m.ack.command, incidentId: m.incidentId } },
    });
  }
  return out;
}

export const render: PlatformRender<WecomSettings, WecomMessage, WecomCardUpdate, WecomTarget> = {
  // MARKDOWN_MAX_BYTES (20,480 UTF-8 bytes) holds at least this many characters, three bytes each for CJK. A literal:
  // markdown.ts reaches the registry, which imports this declaration.
  limits: { textChars: 6_826 },
  replies: (_s, replies, o) => compose(replies, { lang: o.lang, group: o.to?.group ?? true, seed: o.seed }),
  reminder,
  // A refusal in both languages: markdown joins single lines, so a blank line between them.
  text: (content) => ({ kind: 'markdown', content: content.split('\n').join('\n\n') }),
  clicked: (_replies, lang, answered) => ({ title: `✓ ${UI[lang].recorded}`, detail: UI[lang].answered(answered) }),
  acknowledged: (said, label) => ({ title: `✓ ${label}`, detail: said || null }),
  working: (answered, lang) => ({ title: `… ${answered}`, detail: UI[lang].working }),
  afterClick: (_s, replies, o) => compose(replies, { lang: o.lang, group: o.to.group, seed: o.seed, ...(o.answered !== undefined ? { answered: o.answered } : {}) }),
  welcome: (replies) => ({ kind: 'welcome', text: truncateBytes(renderText(replies), WELCOME_MAX_BYTES) }),
  options(replies, lang) {
    const q = replies.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question')?.question;
    return q ? cardChoices(q, lang) : [];
  },
  fileFailed: (names, lang) => ({ kind: 'markdown', content: names.map((n) => `✗ ${escapeMd(UI[lang].fileFailed(n))}`).join('\n\n') }),
};

import { t, type Lang } from '../../../src/i18n/index.ts';
import { renderText } from '../../../src/conversation/render-text.ts';
import type { DeadlineView, IncidentCard, Reply } from '../../../src/conversation/types.ts';
import { SLACK_TEXT } from './messages.ts';
import { bold, escapeMrkdwn, mrkdwn, plain, renameCommand, safe, SECTION_MAX, sections, slackDate, type Block, type RenderOptions } from './mrkdwn.ts';
import { renderQuestionBlocks } from './question.ts';
import type { PlatformRender } from '../../kit/platform.ts';
import type { Outbound } from '../../../src/reminders/message.ts';
import type { SlackSettings } from '../settings.ts';

// Block Kit limits (docs.slack.dev/reference/block-kit): header 150 characters, 50 blocks a message.
const HEADER_MAX = 150;
export const BLOCKS_MAX = 50;
/** Slack recommends a message's `text` under 4,000 characters; each message's texts stay under this, whole. */
export const MESSAGE_TEXT_MAX = 3900;

const MARK = { met: '✓', overdue: '✗', pending: '○' } as const;

/** One chat.postMessage worth: blocks plus the plain fallback `text` (notifications, screen readers). */
export interface SlackMessage { blocks: Block[]; text: string }

function deadlineLine(d: DeadlineView, c: IncidentCard, o: RenderOptions): string {
  const provisional = d.provisional ? t(c.lang, 'card.provisional') : '';
  const local = d.status === 'met' ? '' : `  ·  ${SLACK_TEXT[o.lang].localTime} ${slackDate(d.dueAt, d.dueText)}`;
  return `${MARK[d.status]} ${bold(safe(d.label, o))}  ${safe(d.dueText, o)}${safe(provisional, o)}${local}  ${safe(d.leftText, o)}`;
}

function list(head: string, items: readonly string[], bullet: string, c: IncidentCard, o: RenderOptions): string[] {
  if (!items.length) return [];
  return [bold(safe(t(c.lang, head as 'card.basis'), o)), ...items.map((x) => `${bullet} ${safe(x, o)}`)];
}

/** The full incident card: grade and its articles, every deadline (Beijing and the reader's time), route, next steps. */
export function renderCardBlocks(c: IncidentCard, o: RenderOptions): Block[] {
  const sep = c.lang === 'en' ? ': ' : '：';
  const head = `${c.drill ? `${t(c.lang, 'card.drill')} ` : ''}${c.incidentId} ${c.title}`;
  const blocks: Block[] = [
    { type: 'header', text: plain(head, HEADER_MAX) }, // plain_text: never parsed for mentions or links
    ...sections([`${bold(safe(c.gradeText, o))} · ${safe(c.status, o)}`]),
  ];
  if (head.length > HEADER_MAX) blocks.push(...sections([safe(c.title, o)])); // the whole title, when the header had to cut it
  if (c.exampleConfig) blocks.push({ type: 'context', elements: [mrkdwn(`⚠ ${safe(t(c.lang, 'card.example'), o)}`)] });
  const lines: string[] = [...list('card.basis', c.basis, '•', c, o), ...(c.record ?? []).map((r) => `· ${safe(r, o)}`)];
  if (c.unsettled.length) lines.push(`${bold(safe(t(c.lang, 'card.unsettled'), o))}${sep}${safe(c.unsettled.join(c.lang === 'en' ? ', ' : '、'), o)}`);
  if (c.escalation) lines.push(`⏱ ${safe(c.escalation, o)}`);
  if (c.reminders) lines.push(safe(c.reminders, o));
  lines.push(...list('card.sources', c.sources ?? [], '•', c, o)); // monitoring alerts (src/alerts)
  blocks.push(...sections(lines));
  if (c.deadlines.length) blocks.push(...sections([bold(safe(t(c.lang, 'card.deadlines'), o)), ...c.deadlines.map((d) => deadlineLine(d, c, o))]));
  const more: string[] = [
    ...list('card.awaitingHead', c.awaiting, '!', c, o),
    `${bold(safe(t(c.lang, 'card.route'), o))}${sep}${safe(c.route.join(c.lang === 'en' ? '; ' : '；'), o)}`,
    ...c.warnings.map((w) => `⚠ ${safe(w, o)}`),
    ...list('card.parallel', c.parallel, '•', c, o),
    ...list('card.next', c.next, '→', c, o),
  ];
  blocks.push({ type: 'divider' }, ...sections(more));
  return blocks;
}

/** Grade and open deadlines only: the reply to an answer that changed nothing else. */
export function renderCompactBlocks(c: IncidentCard, o: RenderOptions): Block[] {
  const open = c.deadlines.filter((d) => d.status !== 'met').map((d) => deadlineLine(d, c, o));
  return sections([`${bold(safe(c.incidentId, o))} · ${bold(safe(c.gradeText, o))}`, ...(c.escalation ? [`⏱ ${safe(c.escalation, o)}`] : []), ...open]);
}

/** The text a block carries (section text and fields, context elements, a header). */
export function blockText(b: Block): string {
  const x = b as { text?: { text?: string }; elements?: Array<{ text?: string }>; fields?: Array<{ text?: string }> };
  const parts = [x.text?.text, ...(x.fields ?? []).map((f) => f.text), ...(b.type === 'context' ? (x.elements ?? []).map((e) => e.text) : [])];
  return parts.filter((p): p is string => typeof p === 'string').join('\n');
}

/** Groups of blocks that must stay in one message (a question's prompt, buttons and hint). */
function replyGroups(replies: readonly Reply[], o: RenderOptions): Block[][] {
  const groups: Block[][] = [];
  for (const r of replies) {
    switch (r.type) {
      case 'text': groups.push(...sections(r.text.split('\n').map((l) => safe(l, o))).map((b) => [b])); break; // long drafts: many sections
      case 'error': groups.push(...sections(`✗ ${r.text}`.split('\n').map((l) => safe(l, o))).map((b) => [b])); break;
      case 'card': groups.push(...(r.compact ? renderCompactBlocks(r.card, o) : renderCardBlocks(r.card, o)).map((b) => [b])); break;
      case 'question': groups.push(renderQuestionBlocks(r.question, o)); break;
      case 'file': break; // uploaded, not posted
    }
  }
  return groups;
}

const textOf = (blocks: readonly Block[]) => blocks.map(blockText).filter(Boolean).join('\n');

/**
 * Blocks into as many messages as the limits need, in order: at most 50 blocks and MESSAGE_TEXT_MAX characters
 * of text each, counting `lead` (a mention, an "answered" note), which goes first in the first message.
 */
export function packMessages(groups: readonly Block[][], lead: readonly Block[] = []): Block[][] {
  const out: Block[][] = [];
  let cur: Block[] = [...lead];
  let size = textOf(cur).length;
  for (const g of groups) {
    const gSize = textOf(g).length;
    if (cur.length > 0 && (cur.length + g.length > BLOCKS_MAX || size + 1 + gSize > MESSAGE_TEXT_MAX)) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(...g);
    size += (size ? 1 : 0) + gSize;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Any replies as one or more messages, each within Slack's limits, together carrying every line whole. */
export function renderMessages(replies: readonly Reply[], o: RenderOptions, lead: readonly Block[] = [], leadText = ''): SlackMessage[] {
  const packed = packMessages(replyGroups(replies, o), lead);
  if (packed.length === 1) {
    const whole = `${leadText ? `${leadText} ` : ''}${fallbackText(replies, o)}`;
    if (whole.length <= MESSAGE_TEXT_MAX) return [{ blocks: packed[0]!, text: whole }];
  }
  return packed.map((blocks) => ({ blocks, text: textOf(blocks) }));
}

/** The plain-text rendering, escaped: Slack parses a message's `text` as mrkdwn too. */
export function fallbackText(replies: readonly Reply[], o: RenderOptions): string {
  return escapeMrkdwn(renameCommand(renderText(replies), o.command));
}

/** The language of a batch of replies: the card's, else Chinese when the texts are, else the default. */
export function repliesLang(replies: readonly Reply[], fallback: Lang): Lang {
  for (const r of replies) if (r.type === 'card') return r.card.lang;
  const text = renderText(replies);
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh-CN';
  return text.trim() ? 'en' : fallback;
}

/**
 * What the kit hands the transport: the answer to one input (split between the channel and the user who asked,
 * threaded under the incident, files uploaded: transport/deliver.ts), a notice only that user sees, or a reminder.
 * Each becomes Block Kit messages within Slack's limits (renderMessages) where it is posted.
 */
export type SlackOut =
  | { kind: 'replies'; replies: readonly Reply[]; lang: Lang }
  | { kind: 'notice'; text: string }
  | { kind: 'reminder'; m: Outbound; lang: Lang };

export const render: PlatformRender<SlackSettings, SlackOut, null> = {
  limits: { textChars: SECTION_MAX },
  replies: (_s, replies, o) => [{ message: { kind: 'replies', replies, lang: repliesLang(replies, o.lang) } }],
  reminder: (_s, m, o) => [{ message: { kind: 'reminder', m, lang: repliesLang(m.replies, o.lang) } }],
  text: (text) => ({ kind: 'notice', text }),
  // Slack's questions carry their incident and question in the block id, and its acknowledge button the command:
  // no card records, no card updates (an answer replaces the question message through its response_url).
  clicked: () => null,
  acknowledged: () => null,
  options: () => [],
  fileFailed: (names, lang) => ({ kind: 'notice', text: names.map((n) => SLACK_TEXT[lang].uploadFailed(n)).join('\n') }),
};

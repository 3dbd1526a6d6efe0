import { t, type Lang } from '../../src/i18n/index.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import type { DeadlineView, IncidentCard, Reply } from '../../src/conversation/types.ts';
import { SLACK_TEXT } from './messages.ts';
import { escapeMrkdwn, mrkdwn, plain, renameCommand, safe, sections, slackDate, truncate, type Block, type RenderOptions } from './mrkdwn.ts';
import { renderQuestionBlocks } from './render-question.ts';

// Block Kit limits (docs.slack.dev/reference/block-kit): header 150 characters, 50 blocks a message.
const HEADER_MAX = 150;
const BLOCKS_MAX = 50;
const FALLBACK_MAX = 3900; // chat.postMessage truncates `text` past 40,000; notifications show far less

const MARK = { met: '✓', overdue: '✗', pending: '○' } as const;

function deadlineLine(d: DeadlineView, c: IncidentCard, o: RenderOptions): string {
  const provisional = d.provisional ? t(c.lang, 'card.provisional') : '';
  const local = d.status === 'met' ? '' : `  ·  ${SLACK_TEXT[o.lang].localTime} ${slackDate(d.dueAt, d.dueText)}`;
  return `${MARK[d.status]} *${safe(d.label, o, 200)}*  ${safe(d.dueText, o, 100)}${safe(provisional, o, 50)}${local}  ${safe(d.leftText, o, 200)}`;
}

function list(head: string, items: readonly string[], bullet: string, c: IncidentCard, o: RenderOptions): string[] {
  if (!items.length) return [];
  return [`*${safe(t(c.lang, head as 'card.basis'), o)}*`, ...items.map((x) => `${bullet} ${safe(x, o)}`)];
}

/** The full incident card: grade and its articles, every deadline (Beijing and the reader's time), route, next steps. */
export function renderCardBlocks(c: IncidentCard, o: RenderOptions): Block[] {
  const sep = c.lang === 'en' ? ': ' : '：';
  const head = `${c.drill ? `${t(c.lang, 'card.drill')} ` : ''}${c.incidentId} ${c.title}`;
  const blocks: Block[] = [
    { type: 'header', text: plain(head, HEADER_MAX) }, // plain_text: never parsed for mentions or links
    { type: 'section', text: mrkdwn(`*${safe(c.gradeText, o, 200)}* · ${safe(c.status, o, 200)}`) },
  ];
  if (c.exampleConfig) blocks.push({ type: 'context', elements: [mrkdwn(`⚠ ${safe(t(c.lang, 'card.example'), o)}`)] });
  const lines: string[] = [...list('card.basis', c.basis, '•', c, o)];
  if (c.unsettled.length) lines.push(`${safe(t(c.lang, 'card.unsettled'), o)}${sep}${safe(c.unsettled.join(c.lang === 'en' ? ', ' : '、'), o)}`);
  if (c.escalation) lines.push(`⏱ ${safe(c.escalation, o)}`);
  lines.push(...list('card.sources', c.sources ?? [], '•', c, o)); // monitoring alerts (src/alerts)
  blocks.push(...sections(lines));
  if (c.deadlines.length) blocks.push(...sections([`*${safe(t(c.lang, 'card.deadlines'), o)}*`, ...c.deadlines.map((d) => deadlineLine(d, c, o))]));
  const more: string[] = [
    ...list('card.awaitingHead', c.awaiting, '!', c, o),
    `*${safe(t(c.lang, 'card.route'), o)}*${sep}${safe(c.route.join(c.lang === 'en' ? '; ' : '；'), o)}`,
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
  return sections([`*${safe(c.incidentId, o)}* · *${safe(c.gradeText, o)}*`, ...(c.escalation ? [`⏱ ${safe(c.escalation, o)}`] : []), ...open]);
}

/** Any replies as one message: blocks plus the plain fallback `text` (notifications, screen readers). */
export function renderMessage(replies: readonly Reply[], o: RenderOptions): { blocks: Block[]; text: string } {
  const blocks: Block[] = [];
  for (const r of replies) {
    switch (r.type) {
      case 'text': blocks.push(...sections(r.text.split('\n').map((l) => safe(l, o)))); break; // long drafts: many sections
      case 'error': blocks.push(...sections(`✗ ${r.text}`.split('\n').map((l) => safe(l, o)))); break;
      case 'card': blocks.push(...(r.compact ? renderCompactBlocks(r.card, o) : renderCardBlocks(r.card, o))); break;
      case 'question': blocks.push(...renderQuestionBlocks(r.question, o)); break;
    }
  }
  return { blocks: capBlocks(blocks), text: fallbackText(replies, o) };
}

/** The plain-text rendering, escaped: Slack parses a message's `text` as mrkdwn too. */
export function fallbackText(replies: readonly Reply[], o: RenderOptions): string {
  return truncate(escapeMrkdwn(renameCommand(renderText(replies), o.command)), FALLBACK_MAX);
}

/** Slack refuses messages of more than 50 blocks; keep the first 49 and say the rest is in the text. */
function capBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= BLOCKS_MAX) return blocks;
  return [...blocks.slice(0, BLOCKS_MAX - 1), { type: 'context', elements: [mrkdwn('…')] }];
}

/** The language of a batch of replies: the card's, else Chinese when the texts are, else the default. */
export function repliesLang(replies: readonly Reply[], fallback: Lang): Lang {
  for (const r of replies) if (r.type === 'card') return r.card.lang;
  const text = renderText(replies);
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh-CN';
  return text.trim() ? 'en' : fallback;
}

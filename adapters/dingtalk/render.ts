import { t, type Lang } from '../../src/i18n/index.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import type { QuestionView, Reply } from '../../src/conversation/types.ts';
import { langOf } from '../../src/conversation/reply-lang.ts';
import type { Outbound } from '../../src/reminders/message.ts';
import { isAckCommand } from '../ack.ts';
import { cardIdOf } from '../kit/cards.ts';
import type { PlatformRender, Rendered } from '../kit/platform.ts';
import type { DingtalkSettings } from './settings.ts';

/** A Stream frame's payload as the transport hands it on: its topic and its data (a JSON string). */
export interface DingtalkPayload { topic: 'robot' | 'card'; data: string }

/** One message to DingTalk: sampleText, sampleFile (uploaded first), or an interactive card of the configured template. */
export type DingtalkMessage =
  | { kind: 'text'; content: string }
  | { kind: 'file'; fileName: string; fileType: string; data: Uint8Array }
  | { kind: 'card'; outTrackId: string; params: Record<string, string>; atUserIds?: readonly string[] };

/** What a reminder card's acknowledge button sends back: a fixed word; the command itself stays in the card record. */
export const ACK_VALUE = 'ack';

/** DingTalk takes about 5,000 characters in a text message; longer answers go as several, split at line ends. */
export const MAX_TEXT_CHARS = 3_800;

/** The adapter's own words (the core's catalog holds everything else). */
export const UI: Record<Lang, {
  unknown: string; skip: string; answered: (a: string) => string;
  fileFailed: (name: string) => string; stale: string;
}> = {
  'zh-CN': {
    unknown: '不确定', skip: '跳过',
    answered: (a) => `已回答：${a}`,
    fileFailed: (name) => `文件 ${name} 未能发送到钉钉，请稍后重新发送该命令`,
    stale: '这张卡片已过期，请在群里重新发送命令',
  },
  en: {
    unknown: 'Not sure', skip: 'Skip',
    answered: (a) => `Answered: ${a}`,
    fileFailed: (name) => `The file ${name} could not be sent to DingTalk; send the command again later`,
    stale: 'This card has expired; send the command again',
  },
};

/**
 * Text for a sampleText message. Plain text has no markup and DingTalk pings only the atUserIds a send names (this
 * adapter names none in text), so nothing typed can become a mention, a link or emphasis; it is shown as typed.
 */
export function chunks(text: string, max = MAX_TEXT_CHARS): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    for (let rest = line; ; ) {
      const piece = rest.slice(0, max);
      rest = rest.slice(max);
      if (cur && cur.length + 1 + piece.length > max) {
        out.push(cur);
        cur = piece;
      } else {
        cur = cur ? `${cur}\n${piece}` : piece;
      }
      if (rest === '') break;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** A mention as plain text: `dingtalk:<userId>` entries and names alike become `@name` (no ping without a card). */
export function mentionText(who: string): string {
  return `@${who.replace(/^dingtalk:/, '')}`;
}

/** The configured people who can be pinged for real (in a card's atUserIds): `dingtalk:<userId>` entries only. */
export function mentionIds(mentions: readonly string[]): string[] {
  return mentions.filter((m) => /^dingtalk:[A-Za-z0-9_$-]+$/.test(m)).map((m) => m.slice('dingtalk:'.length));
}

/** A reminder as plain text: the text, then the responsible people. */
export function reminderText(replies: readonly Reply[], mentions: readonly string[]): string {
  const who = mentions.map(mentionText).join(' ');
  return `${renderText(replies)}${who ? `\n${who}` : ''}`;
}


/** An option a card button sends back in its callback params (`value`), with the label it shows. */
export interface CardOption { label: string; value: string }

/** The question's choices as card buttons: its options, then "not sure" (when it takes one) and "skip". */
export function cardOptions(q: QuestionView, lang: Lang): CardOption[] {
  const out = q.options.map((o) => ({ label: o.label, value: o.value }));
  if (q.allowUnknown && !out.some((o) => o.value === 'unknown')) out.push({ label: UI[lang].unknown, value: 'unknown' });
  out.push({ label: UI[lang].skip, value: 'skip' });
  return out;
}

/**
 * The card template's variables for one answer (every value a string, as cardParamMap takes them; the template binds
 * them to plain-text components, so user text stays text):
 * title, subtitle (grade · status), level (1-4, 0 without a card; for the header colour), body (everything but the
 * question, as text), question, hint, options (JSON [{label, value}]; each button sends back {value}),
 * input ("true" when the question takes typed text: an input whose value comes back as `answer`), answered.
 */
export function cardParams(replies: readonly Reply[], lang: Lang, answered?: string): Record<string, string> {
  const card = replies.find((r): r is Extract<Reply, { type: 'card' }> => r.type === 'card')?.card;
  const q = replies.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question')?.question;
  const rest = replies.filter((r) => r.type !== 'question');
  return {
    title: card ? `${card.drill ? t(card.lang, 'card.drill') : ''}${card.incidentId} ${card.title}` : '',
    subtitle: card ? `${card.gradeText} · ${card.status}` : '',
    level: String(card?.level ?? 0),
    body: renderText(rest),
    question: q?.prompt ?? '',
    hint: q?.hint ?? '',
    options: JSON.stringify(q ? cardOptions(q, lang) : []),
    input: String(q !== undefined && q.answerType !== 'choice' && q.answerType !== 'yesno'),
    answered: answered !== undefined ? UI[lang].answered(answered) : '',
  };
}

export { langOf }; // one definition for every adapter: src/conversation/reply-lang.ts

const FILE_TYPES: Record<string, string> = { docx: 'docx', doc: 'doc', pdf: 'pdf', xlsx: 'xlsx', xls: 'xls', pptx: 'pptx', zip: 'zip', rar: 'rar' };
/** sampleFile's fileType: the extension DingTalk lists for it, else the file cannot go as a file message. */
export function fileTypeOf(filename: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return FILE_TYPES[ext] ?? null;
}

const text = (content: string): Rendered<DingtalkMessage> => ({ message: { kind: 'text', content } });

/**
 * The answer to one input: an interactive card of the configured template when it has a card or a question (else,
 * and without a template, text split below the limit), then each file as a file message (one DingTalk cannot take
 * stays a 📎 line). `seed` makes the card's outTrackId.
 */
function replies(s: DingtalkSettings, all: readonly Reply[], o: { lang: Lang; seed: string }): Rendered<DingtalkMessage>[] {
  const shown = all.filter((r) => r.type !== 'file' || !fileTypeOf(r.filename));
  const out: Rendered<DingtalkMessage>[] = [];
  if (s.cardTemplateId && shown.some((r) => r.type === 'card' || r.type === 'question')) {
    const outTrackId = cardIdOf(o.seed);
    out.push({ message: { kind: 'card', outTrackId, params: cardParams(shown, o.lang) }, card: { id: outTrackId } });
  } else if (shown.length) {
    out.push(...chunks(renderText(shown)).map(text));
  }
  for (const f of all) {
    const fileType = f.type === 'file' ? fileTypeOf(f.filename) : null;
    if (f.type === 'file' && fileType) out.push({ message: { kind: 'file', fileName: f.filename, fileType, data: f.data }, file: f.filename });
  }
  return out;
}

/**
 * A reminder or escalation (the sessionWebhook of a message expires after about 90 minutes, so reminders go through
 * the robot OpenAPI): text ending in the responsible people as `@name`; with a card template, a card carrying the
 * acknowledge button (its one option) and, in a group, pinging the `dingtalk:<userId>` entries among them through
 * atUserIds (the robot's text send API has no mention field). Anything with a card goes as a card.
 */
function reminder(s: DingtalkSettings, m: Outbound, o: { lang: Lang; seed: string }): Rendered<DingtalkMessage>[] {
  if (!m.replies.every((r) => r.type === 'text' || r.type === 'error')) return replies(s, m.replies, { lang: o.lang, seed: `out:${o.seed}` });
  const ids = m.conversation.startsWith('dingtalk:group:') ? mentionIds(m.mentions) : [];
  const ack = m.ack && isAckCommand(m.ack.command) ? m.ack : null;
  if (!s.cardTemplateId || (!ids.length && !ack)) return chunks(reminderText(m.replies, m.mentions)).map(text);
  const outTrackId = cardIdOf(`remind:${o.seed}`);
  const params = { ...cardParams([], o.lang), body: reminderText(m.replies, m.mentions), ...(ack ? { options: JSON.stringify([{ label: ack.label, value: ACK_VALUE }]) } : {}) };
  return [{
    message: { kind: 'card', outTrackId, params, ...(ids.length ? { atUserIds: ids } : {}) },
    ...(ack ? { card: { id: outTrackId, ack: { label: ack.label, command: ack.command, value: ACK_VALUE, incidentId: m.incidentId } } } : {}),
  }];
}

export const render: PlatformRender<DingtalkSettings, DingtalkMessage, Record<string, string>> = {
  limits: { textChars: MAX_TEXT_CHARS },
  replies,
  reminder,
  text: (content) => ({ kind: 'text', content }),
  clicked: (all, lang, answered) => cardParams(all, lang, answered),
  acknowledged: (said) => ({ answered: `✓ ${said}` }),
  options(all, lang) {
    const q = all.find((r): r is Extract<Reply, { type: 'question' }> => r.type === 'question')?.question;
    return q ? cardOptions(q, lang) : [];
  },
  fileFailed: (names, lang) => ({ kind: 'text', content: names.map((n) => `✗ ${UI[lang].fileFailed(n)}`).join('\n') }),
};

import { t, type Lang } from '../../src/i18n/index.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import type { QuestionView, Reply } from '../../src/conversation/types.ts';
import { langOf } from '../../src/conversation/reply-lang.ts';

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

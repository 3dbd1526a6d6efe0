import { createHash } from 'node:crypto';
import type { TemplateCard } from '@wecom/aibot-node-sdk';
import { z } from 'zod';
import type { Lang } from '../../../src/i18n/index.ts';
import type { QuestionView } from '../../../src/conversation/types.ts';
import { UI } from './markdown.ts';
import { isAckCommand } from '../../ack.ts';

// Template cards (button_interaction, vote_interaction) for questions, and the card a click replaces them with. Pure.
// Card fields are plain text: nothing a user typed can become markup or a mention on a card.

/** WeCom's limits on template cards (the documented maxima; "suggested" lengths are kept as maxima here). */
export const CARD_LIMITS = {
  titleChars: 26, descChars: 30, subTitleChars: 112, buttons: 6, buttonTextChars: 10, keyBytes: 1024,
  taskIdBytes: 128, voteOptions: 20, voteOptionChars: 11, optionIdBytes: 128,
} as const;

/** What a button's key (or a vote card's submit key) carries back in template_card_event. */
export const AnswerKey = z.object({
  i: z.string().min(1), // incident id
  q: z.string().min(1), // question id
  v: z.string().optional(), // the answer (a button); absent on a vote card, whose choice arrives in selected_items
  l: z.string().optional(), // the label to show as answered
  o: z.array(z.tuple([z.string(), z.string()])).optional(), // a vote card's options: [value, label] by option id o0, o1, ...
});
export type AnswerKey = z.infer<typeof AnswerKey>;

/** What a reminder's acknowledge button carries back: the ticker's `ack` command, and the button's own label. */
export const AckKey = z.object({ a: z.string().refine(isAckCommand), l: z.string().max(20) });
export type AckKey = z.infer<typeof AckKey>;

/** The key of the button on an answered card: a click on it is acknowledged and changes nothing. */
export const DONE_KEY = 'done';

const cut = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);

/** A task_id WeCom accepts (digits, letters, _-@; at most 128 bytes), the same for the same seed. */
export function taskIdOf(seed: string): string {
  return `pboc_${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const keyOf = (k: AnswerKey) => JSON.stringify(k);

/** A question's choices: its options, then "not sure" (when it takes one) and "skip". */
function allChoices(q: QuestionView, lang: Lang): Array<{ value: string; label: string }> {
  const choices = q.options.map((o) => ({ value: o.value, label: o.label }));
  if (q.allowUnknown && !choices.some((o) => o.value === 'unknown')) choices.push({ value: 'unknown', label: UI[lang].unknown });
  choices.push({ value: 'skip', label: UI[lang].skip });
  return choices;
}

/** The choices a question's card offers (a vote card shows at most CARD_LIMITS.voteOptions), as a click gives them back. */
export function cardChoices(q: QuestionView, lang: Lang): Array<{ value: string; label: string }> {
  const choices = allChoices(q, lang);
  return choices.length <= CARD_LIMITS.buttons ? choices : choices.slice(0, CARD_LIMITS.voteOptions);
}

/**
 * A question as a card: buttons for its options (and "not sure"/"skip") when they fit in six; else a vote card
 * (one choice, then submit). Typed answers (numbers, times, text) are typed in the chat; the card offers "not
 * sure" and "skip". `taskId` must be new for the bot (WeCom refuses a repeated one).
 */
export function questionCard(q: QuestionView, lang: Lang, taskId: string): TemplateCard {
  const choices = allChoices(q, lang);
  const base = { i: q.incidentId, q: q.id };
  const head = {
    main_title: { title: cut(q.prompt, CARD_LIMITS.titleChars), desc: cut(q.incidentId, CARD_LIMITS.descChars) },
    sub_title_text: cut(q.hint, CARD_LIMITS.subTitleChars),
    task_id: taskId,
  };
  const buttonKeys = choices.map((c) => keyOf({ ...base, v: c.value, l: c.label }));
  if (choices.length <= CARD_LIMITS.buttons && buttonKeys.every((k) => bytes(k) <= CARD_LIMITS.keyBytes)) {
    return {
      card_type: 'button_interaction',
      ...head,
      button_list: choices.map((c, n) => ({ text: cut(c.label, CARD_LIMITS.buttonTextChars), style: n === 0 ? 1 : 2, key: buttonKeys[n]! })),
    };
  }
  const options = choices.slice(0, CARD_LIMITS.voteOptions);
  let submitKey = keyOf({ ...base, o: options.map((c) => [c.value, c.label]) });
  if (bytes(submitKey) > CARD_LIMITS.keyBytes) submitKey = keyOf({ ...base, o: options.map((c) => [c.value, c.value]) });
  return {
    card_type: 'vote_interaction',
    ...head,
    checkbox: {
      question_key: 'answer',
      mode: 0,
      option_list: options.map((c, n) => ({ id: `o${n}`, text: cut(c.label, CARD_LIMITS.voteOptionChars) })),
    },
    submit_button: { text: UI[lang].submit, key: submitKey },
  };
}

/** The card a click replaces the question card with: what was answered, or that the answer is on its way. */
export function answeredCard(title: string, detail: string | null, taskId: string): TemplateCard {
  return {
    card_type: 'button_interaction',
    main_title: { title: cut(title, CARD_LIMITS.titleChars) },
    ...(detail ? { sub_title_text: cut(detail, CARD_LIMITS.subTitleChars) } : {}),
    button_list: [{ text: '✓', style: 2, key: DONE_KEY }],
    task_id: taskId,
  };
}

/**
 * A reminder's acknowledge button, on a card pushed after the reminder's markdown (markdown carries no buttons): its
 * first line as the title, the incident as the description, one button whose key is only the ticker's `ack` command.
 */
export function ackCard(title: string, incidentId: string, ack: { command: string; label: string }, taskId: string): TemplateCard {
  // The core's label in the reminder's language; where it is too long for a button ("Acknowledge"), the adapter's own word.
  const short = [...ack.label].length <= CARD_LIMITS.buttonTextChars;
  const label = short ? ack.label : /^[\x20-\x7e]+$/.test(ack.label) ? UI.en.ack : cut(ack.label, CARD_LIMITS.buttonTextChars);
  return {
    card_type: 'button_interaction',
    main_title: { title: cut(title, CARD_LIMITS.titleChars), desc: cut(incidentId, CARD_LIMITS.descChars) },
    button_list: [{ text: label, style: 1, key: JSON.stringify({ a: ack.command, l: label } satisfies AckKey) }],
    task_id: taskId,
  };
}

import type { types } from '@slack/bolt';
import type { QuestionView } from '../../../src/conversation/types.ts';
import { ANSWER_ACTION, ANSWER_VIEW, INPUT_ACTION, INPUT_BLOCK, OPEN_ACTION, SELECT_ACTION, questionBlockId, type ModalMeta, type OpenValue } from '../parse.ts';
import { SLACK_TEXT } from './messages.ts';
import { bold, mrkdwn, plain, safe, SECTION_MAX, truncate, type RenderOptions } from './mrkdwn.ts';

// Block Kit limits: button/option text 75, option value 150, button value 2000, 25 elements an
// actions block, 100 options a select; modal title/submit/close 24, private_metadata 3000.
const BUTTONS_MAX = 5; // more choices than this go into a static_select
const BUTTON_VALUE_MAX = 2000;
const OPTION_VALUE_MAX = 150;
const SELECT_OPTIONS_MAX = 100; // per list; longer lists go into option groups of 100

/**
 * The value a widget sends back: the core's value when it fits, else the option's number as shown, which the
 * core reads as that option (a value cut to fit would match no option).
 */
function valueFor(value: string, index: number, max: number): string {
  return value.length <= max ? value : String(index + 1);
}

/** The modal-opening button's value, within the button's 2,000 characters (the prompt is cut first). */
export function openValue(q: QuestionView): string {
  for (let promptMax = 1500; ; promptMax = Math.floor(promptMax / 2)) {
    const open: OpenValue = { prompt: truncate(q.prompt, promptMax), hint: truncate(q.hint, Math.min(300, promptMax)), answerType: q.answerType };
    const json = JSON.stringify(open);
    if (json.length <= BUTTON_VALUE_MAX || promptMax < 2) return json;
  }
}
const TYPED: ReadonlySet<QuestionView['answerType']> = new Set(['number', 'duration', 'time', 'text', 'percent']);

function button(i: number, label: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return { type: 'button', action_id: `${ANSWER_ACTION}:${i}`, text: plain(label), value, ...(style ? { style } : {}) };
}

/**
 * A question as Block Kit: the prompt, then buttons for up to five choices, a static_select for
 * longer lists (the GB/T 20986 categories), or a button opening a modal for typed answers
 * (numbers, durations, times, percentages, text); plus "unknown" (Art. 12) and "skip".
 */
export function renderQuestionBlocks(q: QuestionView, o: RenderOptions): types.KnownBlock[] {
  const tx = SLACK_TEXT[o.lang];
  const elements: types.ActionsBlockElement[] = [];
  let n = 0;
  if (TYPED.has(q.answerType)) {
    elements.push({ type: 'button', action_id: OPEN_ACTION, text: plain(tx.answer), value: openValue(q), style: 'primary' });
  }
  if (q.options.length > BUTTONS_MAX) {
    const options = q.options.map((x, i) => ({ text: plain(x.label), value: valueFor(x.value, i, OPTION_VALUE_MAX) }));
    const groups = Array.from({ length: Math.ceil(options.length / SELECT_OPTIONS_MAX) }, (_, g) => options.slice(g * SELECT_OPTIONS_MAX, (g + 1) * SELECT_OPTIONS_MAX));
    elements.push({
      type: 'static_select',
      action_id: SELECT_ACTION,
      placeholder: plain(tx.choose),
      ...(groups.length <= 1 ? { options } : { option_groups: groups.slice(0, 100).map((o, g) => ({ label: plain(`${g * SELECT_OPTIONS_MAX + 1}-${g * SELECT_OPTIONS_MAX + o.length}`), options: o })) }),
    });
  } else {
    q.options.forEach((x, i) => elements.push(button(n++, x.label, valueFor(x.value, i, BUTTON_VALUE_MAX))));
  }
  if (q.allowUnknown) elements.push(button(n++, tx.unknown, 'unknown'));
  elements.push(button(n++, tx.skip, 'skip'));
  return [
    { type: 'section', text: mrkdwn(truncate(`❓ ${bold(safe(q.prompt, o))}`, SECTION_MAX)) },
    { type: 'actions', block_id: questionBlockId(q.incidentId, q.id), elements },
    { type: 'context', elements: [mrkdwn(truncate(safe(q.hint, o), 2000))] },
  ];
}

/** The modal for a typed answer; `meta` comes back signed with the submission. */
export function answerModal(open: OpenValue, meta: ModalMeta): types.ModalView {
  const tx = SLACK_TEXT[meta.lang];
  return {
    type: 'modal',
    callback_id: ANSWER_VIEW,
    title: plain(tx.modalTitle, 24),
    submit: plain(tx.submit, 24),
    close: plain(tx.cancel, 24),
    private_metadata: JSON.stringify(meta),
    blocks: [{
      type: 'input',
      block_id: INPUT_BLOCK,
      label: plain(open.prompt, 2000),
      hint: plain(open.hint, 2000),
      element: { type: 'plain_text_input', action_id: INPUT_ACTION, multiline: open.answerType === 'text', max_length: open.answerType === 'text' ? 3000 : 100 },
    }],
  };
}

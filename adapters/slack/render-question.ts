import type { types } from '@slack/bolt';
import type { QuestionView } from '../../src/conversation/types.ts';
import { ANSWER_ACTION, ANSWER_VIEW, INPUT_ACTION, INPUT_BLOCK, OPEN_ACTION, SELECT_ACTION, questionBlockId, type ModalMeta, type OpenValue } from './ids.ts';
import { SLACK_TEXT } from './messages.ts';
import { mrkdwn, plain, safe, truncate, type RenderOptions } from './mrkdwn.ts';

// Block Kit limits: button/option text 75, option value 150, button value 2000, 25 elements an
// actions block, 100 options a select; modal title/submit/close 24, private_metadata 3000.
const BUTTONS_MAX = 5; // more choices than this go into a static_select
const TYPED: ReadonlySet<QuestionView['answerType']> = new Set(['number', 'duration', 'time', 'text', 'percent']);

function button(i: number, label: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return { type: 'button', action_id: `${ANSWER_ACTION}:${i}`, text: plain(label), value: truncate(value, 2000), ...(style ? { style } : {}) };
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
    const open: OpenValue = { prompt: truncate(q.prompt, 1500), hint: truncate(q.hint, 300), answerType: q.answerType };
    elements.push({ type: 'button', action_id: OPEN_ACTION, text: plain(tx.answer), value: JSON.stringify(open), style: 'primary' });
  }
  if (q.options.length > BUTTONS_MAX) {
    elements.push({
      type: 'static_select',
      action_id: SELECT_ACTION,
      placeholder: plain(tx.choose),
      options: q.options.slice(0, 100).map((x) => ({ text: plain(x.label), value: truncate(x.value, 150) })),
    });
  } else {
    for (const x of q.options) elements.push(button(n++, x.label, x.value));
  }
  if (q.allowUnknown) elements.push(button(n++, tx.unknown, 'unknown'));
  elements.push(button(n++, tx.skip, 'skip'));
  return [
    { type: 'section', text: mrkdwn(`❓ *${safe(q.prompt, o, 2900)}*`) },
    { type: 'actions', block_id: questionBlockId(q.incidentId, q.id), elements },
    { type: 'context', elements: [mrkdwn(safe(q.hint, o, 2000))] },
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

// Identifiers the Slack adapter puts into Block Kit and reads back from interaction payloads.

export const ACTION_PREFIX = 'pboc:';
export const ANSWER_ACTION = 'pboc:answer'; // buttons: `pboc:answer:0`, `pboc:answer:1`... (unique per block)
export const SELECT_ACTION = 'pboc:select';
export const OPEN_ACTION = 'pboc:open'; // opens the answer modal
export const ACK_ACTION = 'pboc:ack'; // a reminder's acknowledge button: its value is the `ack` command
export const ACK_BLOCK = 'pboc-ack';
export const ANSWER_VIEW = 'pboc_answer'; // the modal's callback_id
export const INPUT_BLOCK = 'answer';
export const INPUT_ACTION = 'value';

/** `slack:T1:C1` for a channel of a workspace (or of an Enterprise Grid org when the team is absent). */
export function conversationId(team: string, channel: string): string {
  return `slack:${team}:${channel}`;
}

/** The channel of a Slack conversation id; null for another platform's. */
export function parseConversationId(id: string): { team: string; channel: string } | null {
  const m = /^slack:([^:]+):([^:]+)$/.exec(id);
  return m ? { team: m[1]!, channel: m[2]! } : null;
}

export const userId = (user: string): string => `slack:${user}`;

/** A question's actions block: `pboc-q|INC-20261130-01|occurredAt`. */
export function questionBlockId(incidentId: string, questionId: string): string {
  return `pboc-q|${incidentId}|${questionId}`;
}

export function parseQuestionBlockId(blockId: string): { incidentId: string; questionId: string } | null {
  const m = /^pboc-q\|([^|]+)\|([^|]+)$/.exec(blockId);
  return m ? { incidentId: m[1]!, questionId: m[2]! } : null;
}

/** What the answer modal must remember between opening and submission (Slack echoes it back, signed). */
export interface ModalMeta {
  team: string;
  channel: string;
  incidentId: string;
  questionId: string;
  responseUrl: string | null; // of the question message, to replace it with the next question
  lang: 'zh-CN' | 'en';
}

/** What the modal-opening button carries: the question as the core phrased it. */
export interface OpenValue {
  prompt: string;
  hint: string;
  answerType: string;
}

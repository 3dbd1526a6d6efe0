import type { Lang } from '../i18n/index.ts';
export type { BotConfig } from '../config/bot-config.ts';

/** What an adapter hands the core: plain data, no SDK types. */
export interface ChatInput {
  kind: 'command' | 'message' | 'action';
  text: string; // command text after /incident, a plain message, or a chosen value
  user: string; // platform-qualified: slack:U1, feishu:ou_x, console:local
  userName?: string;
  conversation: string; // slack:T1:C1, feishu:oc_x, console:local
  questionId?: string; // actions: the question answered
  incidentId?: string; // actions: the incident the question belongs to
  /** The adapter's inbox key: what this input records is marked done with it in one step, so it is recorded once. */
  onceKey?: string;
  /**
   * When the platform delivered it (the inbox's receipt time). A command resumed after a restart is recorded as of
   * then, not of when it finally ran: the ledger says when the user said it.
   */
  receivedAtMs?: number;
}

export interface Option {
  value: string;
  label: string;
}

export interface QuestionView {
  id: string;
  incidentId: string;
  path: string;
  prompt: string;
  answerType: 'choice' | 'number' | 'duration' | 'time' | 'text' | 'yesno' | 'percent';
  options: Option[];
  allowUnknown: boolean;
  hint: string;
}

export interface DeadlineView {
  kind: string;
  label: string;
  article: number;
  dueAt: string; // ISO with +08:00
  dueText: string; // "2026-11-29 11:05 (北京时间)"
  leftText: string; // "还剩 35分钟" / "已逾期 5分钟" / "已完成"
  status: 'pending' | 'met' | 'overdue';
  provisional: boolean;
}

export interface IncidentCard {
  lang: Lang; // the language its texts are in
  incidentId: string;
  title: string;
  drill: boolean;
  grade: string; // 较大
  level: number;
  gradeText: string; // 较大（三级）
  basis: string[]; // one line per article
  record?: string[]; // occurrence, clock start and why, corrections, a grade kept above the facts
  unsettled: string[]; // which answers would settle the grade
  escalation: string | null; // "if not restored, becomes 重大 at 13:05"
  reminders?: string; // "下次提醒 14:00，升级至分管领导 10:45": the reminder policy as it applies now
  sources?: string[]; // outage times from monitoring alerts, corrections, each linked alert (src/alerts)
  deadlines: DeadlineView[];
  awaiting: string[]; // email/fax submissions awaiting receipt confirmation
  route: string[];
  next: string[];
  parallel: string[]; // Art. 4 parallel duties
  warnings: string[];
  status: string; // 处置中 / 已结束
  exampleConfig: boolean;
}

export type Reply =
  // private: for the asking user's eyes only (a sign-in link): ephemeral on Slack, a direct message on Feishu;
  // an adapter that can do neither must not show it to the conversation.
  | { type: 'text'; text: string; ephemeral?: boolean; private?: boolean }
  /** notRecorded: the input changed nothing and may simply be sent again (storage down, a conflict that persisted). */
  | { type: 'error'; text: string; notRecorded?: true }
  | { type: 'card'; card: IncidentCard; compact?: boolean } // compact: nothing but grade and deadlines changed
  | { type: 'question'; question: QuestionView }
  | { type: 'file'; filename: string; mimeType: string; data: Uint8Array; title: string; incidentId: string };

export interface Session {
  lang: Lang;
  active: string | null; // the incident this user is working on
  // command: for the which-incident question, the command text waiting for the user's choice
  pending: { incidentId: string; questionId: string; path: string; command?: string } | null;
  skipped: string[]; // `${incidentId}:${questionId}`
  /** The incident this user chose themselves (`new`, `use`, or naming it): where an unnamed recording command goes. */
  chosen?: string | null;
}

export function newSession(lang: Lang): Session {
  return { lang, active: null, pending: null, skipped: [] };
}

import type { Lang } from '../i18n/index.ts';
import type { IncidentEvent } from '../incident/events.ts';
import type { IncidentState } from '../incident/state.ts';
import type { Command } from './commands.ts';
import type { BotConfig, ChatInput, Reply, Session } from './types.ts';

export interface StepContext {
  input: ChatInput;
  session: Session;
  incident: IncidentState | null; // the incident the input targets, as loaded
  open: IncidentState[]; // open incidents of this conversation, for `list`, `new` and targeting
  recent?: IncidentState[]; // incidents of this conversation closed in the last 30 days, for `list`
  nowMs: number;
  config: BotConfig;
  newId?: string; // allocated by the caller for `new`
  /** The command as the caller already read it (an answer to "which incident?" reads from the session it clears). */
  parsed?: { command: Command; target?: string };
}

export interface StepResult {
  session: Session;
  incidentId: string | null;
  events: IncidentEvent[]; // to append at incident.version (optimistic concurrency)
  replies: Reply[];
  /** Documents the caller renders (asynchronously) and attaches as file replies. */
  attachments?: Array<{ kind: 'final-docx' | 'revision-docx'; lang: Lang }>;
}

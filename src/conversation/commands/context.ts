import { t, type Lang } from '../../i18n/index.ts';
import type { Assessment } from '../../incident/assess.ts';
import type { EventInput, IncidentEvent } from '../../incident/events.ts';
import type { IncidentState } from '../../incident/state.ts';
import type { Command } from '../commands.ts';
import type { StepContext, StepResult } from '../step-types.ts';
import type { Reply, Session } from '../types.ts';

/** What every handler gets: the step's input, a way to stamp events, and the two ways to answer. */
export interface BaseContext {
  ctx: StepContext;
  lang: Lang;
  session: Session;
  nowMs: number;
  /** Stamps an event with now and the user. */
  ev(e: EventInput): IncidentEvent;
  /** An error reply; nothing recorded, the session unchanged. */
  fail(text: string): StepResult;
}

/** A handler of a command that acts on one incident of this conversation. */
export interface IncidentContext extends BaseContext {
  s: IncidentState;
  /** The incident as loaded, assessed once for this step. */
  a: Assessment;
  /** Records events and answers with the card (and the next question when `ask`), in `session`. */
  done(events: IncidentEvent[], replies?: Reply[], ask?: boolean, session?: Session): StepResult;
}

type Of<N extends Command['name']> = Extract<Command, { name: N }>;

export type Handler<N extends Command['name']> =
  | { needsIncident: false; run: (c: BaseContext, cmd: Of<N>) => StepResult }
  /**
   * records: the command records something on an incident. With several incidents open here and none named, it goes
   * to the one this user chose themselves, else the bot asks which; it never guesses.
   */
  | { needsIncident: true; records?: boolean; run: (c: IncidentContext, cmd: Of<N>) => StepResult };

export type CommandTable = { [N in Command['name']]: Handler<N> };

/** The time a user typed was not one we accept. */
export function timeError(c: BaseContext, input: string, field = ''): StepResult {
  return c.fail(t(c.lang, 'err.value.time', { input, field }));
}

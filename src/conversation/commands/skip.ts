import { t } from '../../i18n/index.ts';
import type { StepResult } from '../step-types.ts';
import type { Handler, IncidentContext } from './context.ts';

/** Skips the clicked question, else the pending one. */
export function skipQuestion(c: IncidentContext, questionId = c.session.pending?.questionId): StepResult {
  if (!questionId) return c.fail(t(c.lang, 'err.noQuestion'));
  const pending = c.session.pending?.questionId === questionId ? null : c.session.pending;
  return c.done([], [], true, { ...c.session, skipped: [...c.session.skipped, `${c.s.id}:${questionId}`], pending });
}

export const skip: Handler<'skip'> = { needsIncident: true, run: (c) => skipQuestion(c) };

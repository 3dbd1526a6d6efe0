import { t } from '../../i18n/index.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import type { StepResult } from '../step-types.ts';
import type { Handler, IncidentContext } from './context.ts';

/** Moves the clock start earlier (`t0 <time>`, `set t0 <time>`). */
export function backdate(c: IncidentContext, text: string): StepResult {
  const { lang, s } = c;
  const at = readTime(lang, text, c.nowMs, t(lang, 'field.t0'), occurrenceBound(lang, s.values));
  if (!at.ok) return c.fail(at.message);
  if (s.t0 === null) return c.fail(t(lang, 'err.t0NotStarted'));
  // rules.md: users may backdate T0; the product never moves it later.
  if (at.value >= s.t0) return c.fail(t(lang, 'err.t0Later', { t0: formatShanghai(s.t0) }));
  return c.done([c.ev({ type: 't0-set', t0: at.value, reason: 'backdated' })], [{ type: 'text', text: t(lang, 'ok.t0', { at: formatShanghai(at.value) }) }]);
}

export const t0: Handler<'t0'> = { needsIncident: true, records: true, run: (c, cmd) => backdate(c, cmd.at) };

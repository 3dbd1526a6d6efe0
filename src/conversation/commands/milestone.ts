import { t } from '../../i18n/index.ts';
import { atLeast } from '../../rules/grades.ts';
import type { Handler } from './context.ts';

/** `milestone <text>`: stage progress or a new problem; at 重大 and above, an immediate report (Art. 16). */
export const milestone: Handler<'milestone'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => c.done([c.ev({ type: 'milestone', text: cmd.text })], [{ type: 'text', text: t(c.lang, atLeast(c.a.grade, '重大') && c.s.resolvedAt === null ? 'ok.milestoneMajor' : 'ok.note') }]),
};

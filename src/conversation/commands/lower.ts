import { t } from '../../i18n/index.ts';
import { GRADE_EN, LEVEL } from '../../regimes/pboc-2025-4/grades.ts';
import type { Handler } from './context.ts';

/** `lower <grade> reason <text>`: an explicit, attributed lowering (Art. 12). */
export const lower: Handler<'lower'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, a } = c;
    if (!(LEVEL[cmd.grade] > LEVEL[a.grade])) return c.fail(t(lang, 'err.lowerNotLower', { grade: a.grade }));
    // Art. 12: facts that still meet a higher grade keep it; correct the facts first.
    if (LEVEL[a.result.grade] < LEVEL[cmd.grade]) return c.fail(t(lang, 'err.lowerFacts', { grade: a.result.grade }));
    const tell = c.s.reports.length > 0 ? [{ type: 'text' as const, text: t(lang, 'ok.loweredTellPboc', { from: lang === 'en' ? GRADE_EN[a.grade] : a.grade }) }] : [];
    return c.done([c.ev({ type: 'grade-lowered', from: a.grade, to: cmd.grade, reason: cmd.reason })], [{ type: 'text', text: t(lang, 'ok.lowered', { grade: cmd.grade }) }, ...tell]);
  },
};

import { t } from '../../i18n/index.ts';
import { atLeast } from '../../regimes/pboc-2025-4/grades.ts';
import { clip, TEXT_MAX } from './clip.ts';
import type { Handler } from './context.ts';

/** `milestone <text>`: stage progress or a new problem; at 重大 and above, an immediate report (Art. 16). */
export const milestone: Handler<'milestone'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const text = clip(c.lang, t(c.lang, 'field.milestone'), cmd.text, TEXT_MAX);
    const ok = t(c.lang, atLeast(c.a.grade, '重大') && c.s.resolvedAt === null ? 'ok.milestoneMajor' : 'ok.note');
    return c.done([c.ev({ type: 'milestone', text: text.text })], [{ type: 'text', text: ok }, ...(text.notice ? [{ type: 'text' as const, text: text.notice }] : [])]);
  },
};

import { t } from '../../i18n/index.ts';
import { clip, TEXT_MAX } from './clip.ts';
import type { Handler } from './context.ts';

export const note: Handler<'note'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const text = clip(c.lang, t(c.lang, 'field.note'), cmd.text, TEXT_MAX);
    return c.done([c.ev({ type: 'note', text: text.text })], [{ type: 'text', text: t(c.lang, 'ok.note') }, ...(text.notice ? [{ type: 'text' as const, text: text.notice }] : [])]);
  },
};

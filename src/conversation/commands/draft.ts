import { parseLang, t } from '../../i18n/index.ts';
import { draftReport, isDraftKind } from '../../reports/draft.ts';
import type { Handler } from './context.ts';

/** `draft <kind> [en] [docx]`: the report as the facts now give it; nothing recorded. */
export const draft: Handler<'draft'> = {
  needsIncident: true,
  run: (c, cmd) => {
    const { lang, s } = c;
    const l = cmd.lang ? parseLang(cmd.lang) : lang;
    if (!isDraftKind(cmd.kind) || !l) return c.fail(t(lang, 'err.usage', { usage: t(lang, 'usage.draft') }));
    const d = draftReport(cmd.kind, s, c.nowMs, c.ctx.config.institution, l);
    // Art. 18 ¶2: the post-incident report goes in writing with the seal; the DOCX is that document.
    if (cmd.docx && cmd.kind !== 'final' && cmd.kind !== 'revision') return c.fail(t(lang, 'err.docxFinalOnly'));
    const attachments = cmd.docx ? [{ kind: cmd.kind === 'revision' ? 'revision-docx' as const : 'final-docx' as const, lang: l }] : undefined;
    return { session: c.session, incidentId: s.id, events: [], replies: [{ type: 'text', text: d.text }], ...(attachments ? { attachments } : {}) };
  },
};

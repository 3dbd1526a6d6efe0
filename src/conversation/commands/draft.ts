import { parseLang, t } from '../../i18n/index.ts';
import { draftReport, isDraftKind } from '../../reports/draft.ts';
import { cacInitialDraft } from '../../reports/cac-draft.ts';
import type { Handler } from './context.ts';

/** `draft <kind> [en] [docx]`: the report as the facts now give it; nothing recorded. */
export const draft: Handler<'draft'> = {
  needsIncident: true,
  run: (c, cmd) => {
    const { lang, s } = c;
    const l = cmd.lang ? parseLang(cmd.lang) : lang;
    // CAC's initial report (《国家网络安全事件报告管理办法》第七条 items), beside PBoC's drafts.
    if (cmd.kind.toLowerCase() === 'cac' && l) {
      if (cmd.docx) return c.fail(t(lang, 'err.docxFinalOnly'));
      return { session: c.session, incidentId: s.id, events: [], replies: [{ type: 'text', text: cacInitialDraft(s, c.nowMs, c.ctx.config, l).text }] };
    }
    if (!isDraftKind(cmd.kind) || !l) return c.fail(t(lang, 'err.usage', { usage: t(lang, 'usage.draft') }));
    const d = draftReport(cmd.kind, s, c.nowMs, c.ctx.config.institution, l);
    // Art. 18 ¶2: the post-incident report goes in writing with the seal; the DOCX is that document.
    if (cmd.docx && cmd.kind !== 'final' && cmd.kind !== 'revision') return c.fail(t(lang, 'err.docxFinalOnly'));
    const attachments = cmd.docx ? [{ kind: cmd.kind === 'revision' ? 'revision-docx' as const : 'final-docx' as const, lang: l }] : undefined;
    return { session: c.session, incidentId: s.id, events: [], replies: [{ type: 'text', text: d.text }], ...(attachments ? { attachments } : {}) };
  },
};

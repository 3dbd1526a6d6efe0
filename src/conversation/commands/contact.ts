import { t } from '../../i18n/index.ts';
import { clip, CONTACT_MAX } from './clip.ts';
import { onNamedReport } from './void.ts';

/** `contact <report> <name>`: who at PBoC received a report, when it was not given with it (Art. 25). */
export const contact = onNamedReport<'contact'>((c, cmd, report) => {
  const { lang } = c;
  if (report.contact) return c.fail(t(lang, 'err.contactSet', { id: report.reportId, contact: report.contact }));
  const who = clip(lang, t(lang, 'field.contact'), cmd.contact, CONTACT_MAX);
  return c.done([c.ev({ type: 'report-contact', reportId: report.reportId, contact: who.text })], [
    { type: 'text', text: t(lang, 'ok.contact', { id: report.reportId, contact: who.text }) }, ...(who.notice ? [{ type: 'text' as const, text: who.notice }] : []),
  ]);
});

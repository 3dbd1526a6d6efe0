import { t } from '../../i18n/index.ts';
import { needsReceiptConfirmation } from '../../regimes/pboc-2025-4/channels.ts';
import { formatShanghai, parseTime } from '../parse.ts';
import { timeError, type Handler } from './context.ts';

/** `confirm <report> by <phone|im> contact <name>`: PBoC confirmed receipt of an email or fax (Art. 18). */
export const confirm: Handler<'confirm'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    const ref = cmd.report.toUpperCase();
    const report = s.reports.find((r) => r.reportId === ref)
      ?? [...s.reports].reverse().find((r) => r.kind === ref.toLowerCase() && needsReceiptConfirmation(r.channel) && !r.confirmation);
    if (!report) return c.fail(t(lang, 'err.noSuchReport', { id: cmd.report, ids: s.reports.map((r) => r.reportId).join(', ') || '-' }));
    if (!needsReceiptConfirmation(report.channel)) return c.fail(t(lang, 'err.noConfirmNeeded', { id: report.reportId }));
    if (report.confirmation) return c.fail(t(lang, 'err.alreadyConfirmed', { id: report.reportId }));
    const at = cmd.at ? parseTime(cmd.at, nowMs) : { ok: true as const, value: nowMs };
    if (!at.ok) return timeError(c, cmd.at ?? '');
    if (at.value < report.at) return c.fail(t(lang, 'err.confirmBeforeSend'));
    const e = c.ev({ type: 'receipt-confirmed', reportId: report.reportId, channel: cmd.channel, contact: cmd.contact, confirmedAt: at.value });
    const echo = cmd.at ? [{ type: 'text' as const, text: t(lang, 'ok.timeSet', { field: t(lang, 'field.confirmedAt'), at: formatShanghai(at.value) }) }] : [];
    return c.done([e], [{ type: 'text', text: t(lang, 'ok.confirmed', { id: report.reportId, contact: cmd.contact, channel: t(lang, `channel.${cmd.channel}` as 'channel.phone') }) }, ...echo]);
  },
};

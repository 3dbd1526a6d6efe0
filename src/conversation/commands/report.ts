import { t } from '../../i18n/index.ts';
import { checkChannel, needsReceiptConfirmation } from '../../regimes/pboc-2025-4/channels.ts';
import { shanghaiDate } from '../../calendar/time.ts';
import { isValidDate } from '../../calendar/working-days.ts';
import { contentAsSent } from '../../reports/as-sent.ts';
import { isDraftKind, type DraftKind } from '../../reports/draft.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import type { IncidentState } from '../../incident/state.ts';
import type { Reply } from '../types.ts';
import { clip, CONTACT_MAX, TEXT_MAX } from './clip.ts';
import type { Handler } from './context.ts';
import { nextReportId } from './regime-report.ts';

/** `report <kind> via <channel>`: one submission to PBoC, recorded for the deadlines and the Art. 25 ledger. */
export const report: Handler<'report'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    const { config } = c.ctx;
    if ((cmd.kind === 'final' || cmd.kind === 'preliminary') && s.resolvedAt === null) return c.fail(t(lang, 'err.notResolved'));
    if (cmd.kind === 'revision' && s.feedbackReceivedAt === null) return c.fail(t(lang, 'err.noFeedback'));
    if (cmd.kind === 'risk-feedback' && s.riskNotice === null) return c.fail(t(lang, 'err.noRiskNotice'));
    const check = checkChannel(cmd.kind, cmd.channel, { workSecrets: s.values.workSecrets === true, internetChannels: config.institution.internetChannels });
    if (!check.ok) return c.fail(t(lang, `err.channel.${check.reason}` as 'err.channel.work-secrets', { channel: t(lang, `channel.${cmd.channel}` as 'channel.email') }));
    if (cmd.kind === 'preliminary' && (!cmd.committedDate || !isValidDate(cmd.committedDate))) return c.fail(t(lang, 'err.committedDate'));
    if (cmd.committedDate && cmd.committedDate <= shanghaiDate(nowMs)) return c.fail(t(lang, 'err.committedDate'));
    // Art. 25 报告时间: when it was sent, which may be before it is recorded here.
    const sentAt = cmd.at ? readTime(lang, cmd.at, nowMs, t(lang, 'field.reportAt'), occurrenceBound(lang, s.values)) : { ok: true as const, value: nowMs };
    if (!sentAt.ok) return c.fail(sentAt.message);
    const reportId = nextReportId(s); // one sequence with the other regimes' reports
    const recipient = cmd.recipient ?? config.institution.recipients[0]?.name ?? '';
    const text = cmd.text !== undefined ? clip(lang, t(lang, 'field.text'), cmd.text, TEXT_MAX) : null;
    const contact = cmd.contact !== undefined ? clip(lang, t(lang, 'field.contact'), cmd.contact, CONTACT_MAX) : null;
    // The report's own fields are its own: its content is drafted from the record with this report (and its committed
    // date) in it, not the previous one's.
    const withThis: IncidentState = {
      ...s,
      reports: [...s.reports, { reportId, kind: cmd.kind, channel: cmd.channel, recipient, at: sentAt.value, recordedAt: nowMs, actor: '', ...(cmd.committedDate ? { committedDate: cmd.committedDate } : {}) }],
    };
    // Art. 25 对应的报告内容: the user's own text, else the report's items as the record stood when it was sent.
    const sent = !text && isDraftKind(cmd.kind) ? contentAsSent(cmd.kind, withThis, sentAt.value, config.institution, 'zh-CN') : null;
    const summary = text?.text ?? sent?.text;
    const summaryCut = text?.cut ?? sent?.cut ?? 0;
    const e = c.ev({
      type: 'report-submitted', reportId, kind: cmd.kind, channel: cmd.channel, recipient,
      ...(cmd.committedDate ? { committedDate: cmd.committedDate } : {}), ...(summary ? { summary, contentSource: text ? 'user' as const : 'draft' as const } : {}),
      ...(summaryCut ? { summaryCut } : {}), ...(cmd.at ? { reportedAt: sentAt.value } : {}), ...(contact ? { contact: contact.text } : {}),
    });
    const head = t(lang, 'ok.report', { id: reportId, kind: t(lang, `report.${cmd.kind}` as 'report.brief'), channel: t(lang, `channel.${cmd.channel}` as 'channel.email'), to: recipient });
    // Art. 18: an email or fax is followed until PBoC's receipt is confirmed; said after what was recorded.
    const confirm = needsReceiptConfirmation(cmd.channel) ? `${lang === 'en' ? ' ' : ''}${t(lang, 'ok.reportAwaiting', { id: reportId })}` : '';
    const facts = [
      t(lang, 'report.at', { at: formatShanghai(sentAt.value) }), ...(contact ? [t(lang, 'report.contact', { contact: contact.text })] : []),
      ...(cmd.committedDate ? [t(lang, 'report.committed', { date: cmd.committedDate })] : []),
    ].join(lang === 'en' ? '; ' : '，').replace(/^[a-z]/, (c) => (lang === 'en' ? c.toUpperCase() : c)); // a sentence of its own
    const replies: Reply[] = [{ type: 'text', text: `${head}${lang === 'en' ? ' ' : ''}${facts}${lang === 'en' ? '.' : '。'}${confirm}` }];
    for (const x of [text, contact]) if (x?.notice) replies.push({ type: 'text', text: x.notice });
    if (sent && sent.cut > 0) replies.push({ type: 'text', text: t(lang, 'note.clipped', { field: t(lang, 'field.text'), kept: TEXT_MAX, cut: sent.cut }) });
    const missing = sent && sent.missing.length > 0 ? contentAsSent(cmd.kind as DraftKind, withThis, sentAt.value, config.institution, lang).missing : [];
    if (missing.length > 0) replies.push({ type: 'text', text: t(lang, 'report.missingAtSend', { n: missing.length, labels: missing.join(lang === 'en' ? ', ' : '、') }) });
    replies.push({ type: 'text', text: t(lang, text ? 'report.contentUser' : 'report.contentDraft') });
    // Art. 25 asks for the PBoC contact of every report: ask, without holding the record back.
    if (!contact && !needsReceiptConfirmation(cmd.channel)) replies.push({ type: 'text', text: t(lang, 'report.askContact', { id: reportId }) });
    return c.done([e], replies);
  },
};

import { t } from '../../i18n/index.ts';
import { checkChannel, needsReceiptConfirmation } from '../../rules/channels.ts';
import { shanghaiDate } from '../../rules/time.ts';
import { isValidDate } from '../../rules/working-days.ts';
import { draftReport, isDraftKind } from '../../reports/draft.ts';
import type { Handler } from './context.ts';

/** `report <kind> via <channel>`: one submission to PBoC, recorded for the deadlines and the Art. 25 ledger. */
export const report: Handler<'report'> = {
  needsIncident: true,
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
    const reportId = `R${s.reports.length + 1}`;
    const recipient = cmd.recipient ?? config.institution.recipients[0]?.name ?? '';
    // Art. 25: the ledger keeps the content reported; the draft at the moment of sending is that record.
    const summary = isDraftKind(cmd.kind) ? draftReport(cmd.kind, s, nowMs, config.institution, 'zh-CN').text.slice(0, 4000) : undefined;
    const e = c.ev({ type: 'report-submitted', reportId, kind: cmd.kind, channel: cmd.channel, recipient, ...(cmd.committedDate ? { committedDate: cmd.committedDate } : {}), ...(summary ? { summary } : {}) });
    const key = needsReceiptConfirmation(cmd.channel) ? 'ok.reportAwaiting' : 'ok.report';
    return c.done([e], [{ type: 'text', text: t(lang, key, { id: reportId, kind: t(lang, `report.${cmd.kind}` as 'report.brief'), channel: t(lang, `channel.${cmd.channel}` as 'channel.email'), to: recipient }) }]);
  },
};

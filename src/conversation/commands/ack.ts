import { t } from '../../i18n/index.ts';
import { DEFAULT_POLICY, obligationPlans, type Obligation } from '../../reminders/planner.ts';
import { roleName } from '../../reminders/message.ts';
import { ackKind } from '../commands.ts';
import { formatShanghai } from '../parse.ts';
import type { Handler } from './context.ts';

/**
 * `ack <obligation>`: someone has seen an obligation's reminder. Recorded in the incident's log with who and when,
 * it quiets that obligation until the next rung of its escalation ladder. It never marks the obligation met.
 */
export const ack: Handler<'ack'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs } = c;
    const raw = cmd.obligation;
    const kind: Obligation | undefined = cmd.obligation === 'confirm' ? 'confirm' : ackKind(raw);
    if (!kind) return c.fail(t(lang, 'err.ack.unknown', { input: raw }));
    const what = kind === 'confirm' ? `${t(lang, 'ack.confirmOf')} ${cmd.reportId ?? ''}`.trim() : t(lang, `report.${kind}` as 'report.brief');
    const policy = c.ctx.config.reminders ?? DEFAULT_POLICY;
    const plans = obligationPlans(s, nowMs, policy, c.ctx.config.assess).filter((o) => o.obligation === kind && (kind !== 'confirm' || o.reportId === cmd.reportId));
    if (plans.length === 0) return c.fail(t(lang, 'err.ack.notOpen', { what }));
    // The reminder acknowledged: the last one sent for this obligation, when there was one.
    const prefixes = plans.map((o) => `${s.id}:${o.key}:`);
    const lastSent = [...s.remindersSent].reverse().find((k) => prefixes.some((p) => k.startsWith(p)));
    const step = lastSent?.slice(lastSent.lastIndexOf(':') + 1);
    const e = c.ev({ type: 'reminder-acked', obligation: kind, ...(cmd.reportId ? { reportId: cmd.reportId } : {}), ...(step ? { step } : {}) });
    const rung = plans.flatMap((o) => o.overdue.ladder).filter((st) => st.atMs > nowMs).sort((x, y) => x.atMs - y.atMs)[0];
    const until = rung?.escalation ? t(lang, 'ack.untilRung', { at: formatShanghai(rung.atMs), role: roleName(rung.escalation, lang) }) : t(lang, 'ack.untilDay');
    const by = c.ctx.input.userName ?? c.ctx.input.user;
    return c.done([e], [{ type: 'text', text: t(lang, 'ack.ok', { by, at: formatShanghai(nowMs), what, until }) }]);
  },
};

import { t } from '../../i18n/index.ts';
import { DEFAULT_POLICY, obligationPlans, type Obligation } from '../../reminders/planner.ts';
import { roleName } from '../../reminders/message.ts';
import { ackKind } from '../commands.ts';
import { formatShanghai } from '../parse.ts';
import type { Handler } from './context.ts';
import { otherObligations } from '../../incident/obligations.ts';
import { regimeName } from '../card-obligations.ts';
import { regimeKind, regimeKindTitle } from './regime-report.ts';

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
    const other = /^(cac|nfra|csrc|police|pipl)\.(.+)$/.exec(raw);
    // Another regime's obligation: its kind by id or by the words `report <regime>` takes (cac.初次报告 → cac.initial).
    const owed = other ? otherObligations(s, nowMs, c.ctx.config.assess, c.a) : [];
    const otherKind = other ? regimeKind(other[1] as 'cac', other[2]!, owed) ?? other[2]! : undefined;
    const kind: Obligation | undefined = cmd.obligation === 'confirm' ? 'confirm' : other ? (`${other[1]}.${otherKind}` as Obligation) : ackKind(raw);
    if (!kind) return c.fail(t(lang, 'err.ack.unknown', { input: raw }));
    const what = kind === 'confirm' ? `${t(lang, 'ack.confirmOf')} ${cmd.reportId ?? ''}`.trim()
      : other ? `${regimeName(other[1] as 'cac', lang)}${lang === 'en' ? ' ' : ''}${regimeKindTitle(other[1] as 'cac', otherKind!, lang, owed)}`
        : t(lang, `report.${kind}` as 'report.brief');
    const policy = c.ctx.config.reminders ?? DEFAULT_POLICY;
    const plans = obligationPlans(s, nowMs, policy, c.ctx.config.assess)
      .filter((o) => (o.obligation === kind || o.obligation.startsWith(`${kind}#`)) && (kind !== 'confirm' || o.reportId === cmd.reportId));
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

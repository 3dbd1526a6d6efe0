import { t } from '../../i18n/index.ts';
import { DEFAULT_POLICY, obligationPlans, type Obligation } from '../../reminders/planner.ts';
import { roleName } from '../../reminders/message.ts';
import { ackKind, type AckItem } from '../commands.ts';
import { formatShanghai } from '../parse.ts';
import type { Handler, IncidentContext } from './context.ts';
import type { IncidentEvent } from '../../incident/events.ts';
import { otherObligations } from '../../incident/obligations.ts';
import { regimeName } from '../card-obligations.ts';
import { regimeKind, regimeKindTitle } from './regime-report.ts';

/** One obligation an ack names, resolved: its event and what the reply says; or why it cannot be acknowledged. */
type Resolved = { ok: true; what: string; event: IncidentEvent; until: string } | { ok: false; unknown: boolean; text: string };

function resolve(c: IncidentContext, item: AckItem): Resolved {
  const { lang, s, nowMs } = c;
  const raw = item.obligation;
  const other = /^(cac|nfra|csrc|police|pipl)\.(.+)$/.exec(raw);
  // Another regime's obligation: its kind by id or by the words `report <regime>` takes (cac.初次报告 → cac.initial).
  const owed = other ? otherObligations(s, nowMs, c.ctx.config.assess, c.a) : [];
  const otherKind = other ? regimeKind(other[1] as 'cac', other[2]!, owed) ?? other[2]! : undefined;
  const kind: Obligation | undefined = item.obligation === 'confirm' ? 'confirm' : other ? (`${other[1]}.${otherKind}` as Obligation) : ackKind(raw);
  if (!kind) return { ok: false, unknown: true, text: t(lang, 'err.ack.unknown', { input: raw }) };
  const what = kind === 'confirm' ? `${t(lang, 'ack.confirmOf')} ${item.reportId ?? ''}`.trim()
    : other ? `${regimeName(other[1] as 'cac', lang)}${lang === 'en' ? ' ' : ''}${regimeKindTitle(other[1] as 'cac', otherKind!, lang, owed)}`
      : t(lang, `report.${kind}` as 'report.brief');
  const policy = c.ctx.config.reminders ?? DEFAULT_POLICY;
  const plans = obligationPlans(s, nowMs, policy, c.ctx.config.assess)
    .filter((o) => (o.obligation === kind || o.obligation.startsWith(`${kind}#`)) && (kind !== 'confirm' || o.reportId === item.reportId));
  if (plans.length === 0) return { ok: false, unknown: false, text: t(lang, 'err.ack.notOpen', { what }) };
  // The reminder acknowledged: the last one sent for this obligation, when there was one.
  const prefixes = plans.map((o) => `${s.id}:${o.key}:`);
  const lastSent = [...s.remindersSent].reverse().find((k) => prefixes.some((p) => k.startsWith(p)));
  const step = lastSent?.slice(lastSent.lastIndexOf(':') + 1);
  const event = c.ev({ type: 'reminder-acked', obligation: kind, ...(item.reportId ? { reportId: item.reportId } : {}), ...(step ? { step } : {}) });
  const rung = plans.flatMap((o) => o.overdue.ladder).filter((st) => st.atMs > nowMs).sort((x, y) => x.atMs - y.atMs)[0];
  const until = rung?.escalation ? t(lang, 'ack.untilRung', { at: formatShanghai(rung.atMs), role: roleName(rung.escalation, lang) }) : t(lang, 'ack.untilDay');
  return { ok: true, what, event, until };
}

/**
 * `ack <obligation>`: someone has seen an obligation's reminder. Recorded in the incident's log with who and when,
 * it quiets that obligation until the next rung of its escalation ladder. It never marks the obligation met.
 * `ack brief,cac.initial`: each of a post's obligations; a name the bot does not know acknowledges none of them, one
 * reported meanwhile is left out and said so.
 */
export const ack: Handler<'ack'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, nowMs } = c;
    const by = c.ctx.input.userName ?? c.ctx.input.user;
    if (!cmd.list) {
      const r = resolve(c, cmd);
      if (!r.ok) return c.fail(r.text);
      return c.done([r.event], [{ type: 'text', text: t(lang, 'ack.ok', { by, at: formatShanghai(nowMs), what: r.what, until: r.until }) }]);
    }
    const all = cmd.list.map((item) => resolve(c, item));
    const unknown = all.find((r) => !r.ok && r.unknown);
    if (unknown && !unknown.ok) return c.fail(`${unknown.text}\n${t(lang, 'err.ack.listUnchanged')}`);
    // Two names of one obligation (brief, 简要报告) acknowledge it once.
    const seen = new Set<string>();
    const open = all.filter((r): r is Extract<Resolved, { ok: true }> => r.ok).filter((r) => {
      const e = r.event as Extract<IncidentEvent, { type: 'reminder-acked' }>;
      const k = `${e.obligation} ${e.reportId ?? ''}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const closed = all.filter((r): r is Extract<Resolved, { ok: false }> => !r.ok);
    if (open.length === 0) return c.fail(closed.map((r) => r.text).join('\n'));
    const lines = open.map((r) => t(lang, 'ack.okLine', { what: r.what, until: r.until })).join('\n');
    const skipped = closed.length ? `\n${t(lang, 'ack.skipped', { list: cmd.list.filter((_, i) => !all[i]!.ok).map((x) => (x.obligation === 'confirm' ? x.reportId ?? x.obligation : x.obligation)).join(lang === 'en' ? ', ' : '、') })}` : '';
    return c.done(open.map((r) => r.event), [{ type: 'text', text: t(lang, 'ack.okMany', { by, at: formatShanghai(nowMs), n: open.length, lines }) + skipped }]);
  },
};

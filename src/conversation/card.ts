import { t, type Lang } from '../i18n/index.ts';
import { assess, type Assessment } from '../incident/assess.ts';
import { awaitingConfirmation, type IncidentState } from '../incident/state.ts';
import { DEFAULT_POLICY, reminderOutlook } from '../reminders/planner.ts';
import { roleName } from '../reminders/message.ts';
import type { Deadline } from '../regimes/pboc-2025-4/deadlines.ts';
import { atLeast, GRADE_EN, LEVEL } from '../regimes/pboc-2025-4/grades.ts';
import { CHANNELS, checkChannel } from '../regimes/pboc-2025-4/channels.ts';
import { route } from '../regimes/pboc-2025-4/routing.ts';
import { isoShanghai, shanghaiDate } from '../calendar/time.ts';
import { formatDurationMs, formatShanghai } from './parse.ts';
import { obligationLines, regimeNextSteps } from './card-obligations.ts';
import { recordLines } from './card-record.ts';
import { hasProfile, otherObligations } from '../incident/obligations.ts';
import { fieldDef } from './questions.ts';
import { sourceLines } from '../alerts/card-lines.ts';
import type { BotConfig, DeadlineView, IncidentCard } from './types.ts';

const LEVEL_ZH = ['', '一级', '二级', '三级', '四级'];

export function articleRef(lang: Lang, article: number, item: number | null): string {
  return item === null ? t(lang, 'ref.article', { article }) : t(lang, 'ref.item', { article, item });
}

function deadlineView(d: Deadline, nowMs: number, lang: Lang): DeadlineView {
  const left = d.dueAtMs - nowMs;
  const leftText = d.status === 'met'
    ? t(lang, d.late ? 'deadline.metLate' : 'deadline.met', { at: formatShanghai(d.metAtMs ?? 0) })
    : d.kind === 'immediate'
      ? t(lang, 'deadline.now')
      : left >= 0 ? t(lang, 'deadline.left', { left: formatDurationMs(left, lang) }) : t(lang, 'deadline.overdue', { by: formatDurationMs(-left, lang) });
  // Working-day clocks end at 24:00 of their last day; say so rather than "00:00 the next day".
  // A date-only due time (a risk notice "by 2026-12-10") is midnight after it: 24:00 of that day, like the others.
  const endOfDay = d.dueDate ?? (formatShanghai(d.dueAtMs).slice(11, 16) === '00:00' ? shanghaiDate(d.dueAtMs - 1) : null);
  const dueText = endOfDay ? t(lang, 'deadline.endOfDay', { date: endOfDay }) : `${formatShanghai(d.dueAtMs)}`;
  return {
    kind: d.kind,
    label: t(lang, `report.${d.kind}` as 'report.brief'),
    article: d.article,
    dueAt: isoShanghai(d.dueAtMs),
    dueText: `${dueText} ${t(lang, 'tz.beijing')}`,
    leftText,
    status: d.status,
    provisional: d.provisional === true,
  };
}

/** Art. 16: what an immediate report is for: the grade reaching 重大+, or a milestone. */
function immediateLabel(s: IncidentState, triggerAtMs: number | undefined, lang: Lang): string {
  const m = s.milestones.find((x) => x.at === triggerAtMs);
  if (m) return t(lang, 'deadline.immediateMilestone', { text: m.text.length > 24 ? `${m.text.slice(0, 24)}…` : m.text });
  const g = s.gradeHistory.find((x) => x.effectiveAt === triggerAtMs && !x.loweredReason && atLeast(x.to, '重大'));
  const grade = g?.to ?? s.grade ?? '重大';
  return t(lang, 'deadline.immediateGrade', { grade: lang === 'en' ? GRADE_EN[grade] : grade });
}

/** Commands that act on what is due, in the order a commander would take them. */
function nextSteps(s: IncidentState, a: Assessment, lang: Lang, config: BotConfig): string[] {
  const out: string[] = [];
  const due = [...a.deadlines.immediate, ...a.deadlines.deadlines].filter((d) => d.status !== 'met');
  // Only the channels the rules allow for that report (final: written; work secrets: no internet channel).
  const allowed = (kind: Deadline['kind']) => CHANNELS.filter((ch) => checkChannel(kind, ch, { workSecrets: s.values.workSecrets === true, internetChannels: config.institution.internetChannels }).ok).join('|');
  for (const d of due) out.push(t(lang, 'next.reportVia', { kind: d.kind, label: t(lang, `report.${d.kind}` as 'report.brief'), channels: allowed(d.kind) }));
  for (const r of awaitingConfirmation(s)) out.push(t(lang, 'next.confirm', { id: r.reportId }));
  if (a.unsettling.length > 0) out.push(t(lang, 'next.settle'));
  if (s.resolvedAt === null && !out.length) out.push(t(lang, 'next.resolve'));
  return out;
}

/** Art. 4: other regulators' rules and the police, mentioned when the facts call for them. */
function parallelDuties(s: IncidentState, a: Assessment, lang: Lang, nowMs: number, config: BotConfig): string[] {
  // With an institution profile every binding regime's obligations are computed (src/regimes): one line each.
  if (hasProfile(config.assess)) return obligationLines(otherObligations(s, nowMs, config.assess, a), nowMs, lang, s);
  const out: string[] = [];
  if (atLeast(a.grade, '较大')) out.push(t(lang, 'parallel.cac'));
  if (s.values.suspectedCrime === true || s.values.ransomwareHarm === true) out.push(t(lang, 'parallel.police'));
  return out;
}

/** Art. 15 ¶2: 较大舆情 started the 1 h / 24 h clocks of an incident below 较大. */
function publicOpinionBasis(s: IncidentState, a: Assessment, lang: Lang): string[] {
  if (s.values.publicOpinion !== true || atLeast(a.grade, '较大')) return [];
  return [t(lang, 'basis.publicOpinion', { ref: t(lang, 'ref.paragraph', { article: 15, paragraph: 2 }), at: formatShanghai(s.t0 ?? s.createdAt) })];
}

/** The compact reply after every step: grade, basis, deadlines, where to report, what next. */
/** "下次提醒 14:00，升级至分管领导 10:45": when the next reminder goes out and when the ladder climbs next. */
function reminderLine(s: IncidentState, nowMs: number, lang: Lang, config: BotConfig): { reminders?: string } {
  const o = reminderOutlook(s, nowMs, config.assess, config.reminders ?? DEFAULT_POLICY);
  if (o.nextAtMs === null) return {};
  const when = (ms: number) => (shanghaiDate(ms) === shanghaiDate(nowMs) ? formatShanghai(ms).slice(11) : formatShanghai(ms).slice(5));
  const esc = o.nextEscalation ? t(lang, 'card.remindersEsc', { role: roleName(o.nextEscalation.step, lang), at: when(o.nextEscalation.atMs) }) : '';
  return { reminders: t(lang, 'card.reminders', { next: when(o.nextAtMs), esc }) };
}

export function buildCard(s: IncidentState, nowMs: number, lang: Lang, config: BotConfig, a: Assessment = assess(s, nowMs, config.assess)): IncidentCard {
  const inst = config.institution.institution;
  const names = config.institution.recipients.map((x) => x.name);
  const r = route(inst.type, inst.isBranch, a.grade, undefined, names);
  const recipients = names.join(lang === 'en' ? ', ' : '、');
  const escalation = a.escalations.sort((x, y) => x.atMs - y.atMs)[0];
  const sources = sourceLines(s, lang);
  const deadlines = [
    ...a.deadlines.immediate.map((d) => ({ ...deadlineView(d, nowMs, lang), label: immediateLabel(s, d.triggerAtMs, lang) })),
    ...[...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : [])].map((d) => deadlineView(d, nowMs, lang)),
  ];
  if (a.deadlines.preliminary && a.deadlines.preliminary.status !== 'met') {
    // Offered beside the post-incident report, not as a separate obligation.
    deadlines.push({ ...deadlineView(a.deadlines.preliminary, nowMs, lang), label: t(lang, 'report.preliminaryAlt', { limit: a.deadlines.preliminary.limitDate }) });
  }
  return {
    lang,
    incidentId: s.id,
    title: s.title,
    drill: s.drill,
    grade: a.grade,
    level: { 特别重大: 1, 重大: 2, 较大: 3, 一般: 4 }[a.grade],
    gradeText: lang === 'en' ? `${GRADE_EN[a.grade]} (level ${LEVEL[a.grade]})` : `${a.grade}（${LEVEL_ZH[{ 特别重大: 1, 重大: 2, 较大: 3, 一般: 4 }[a.grade]]}）`,
    basis: [
      ...a.result.basis.map((b) => `${articleRef(lang, b.article, b.item)}${lang === 'en' ? ': ' : '：'}${b.reason[lang]}${b.network ? ` [${b.network}]` : ''}`),
      ...publicOpinionBasis(s, a, lang),
    ],
    record: recordLines(s, a, lang, nowMs),
    unsettled: a.unsettling.map((p) => fieldDef(p).label[lang]),
    escalation: escalation
      ? t(lang, 'card.escalation', { grade: escalation.grade, at: formatShanghai(escalation.atMs), left: formatDurationMs(escalation.atMs - nowMs, lang) })
      : null,
    ...(sources.length > 0 ? { sources } : {}),
    ...reminderLine(s, nowMs, lang, config),
    deadlines,
    awaiting: awaitingConfirmation(s).map((x) => t(lang, 'card.awaiting', { id: x.reportId, kind: t(lang, `report.${x.kind}` as 'report.brief'), channel: t(lang, `channel.${x.channel}` as 'channel.email'), at: formatShanghai(x.at) })),
    route: [`${r.text[lang]}${recipients ? (lang === 'en' ? ` (${recipients})` : `（${recipients}）`) : ''}`, ...(r.relay ? [r.relay[lang]] : [])],
    next: [...nextSteps(s, a, lang, config), ...regimeNextSteps(s, a, lang, nowMs, config)],
    parallel: parallelDuties(s, a, lang, nowMs, config),
    warnings: [
      ...a.deadlines.warnings.map((w) => w[lang]),
      ...(a.peakProvisional.length > 0 ? [t(lang, 'warn.peakProvisional')] : []),
      ...(s.values.workSecrets === true ? [t(lang, 'warn.workSecrets')] : []),
    ],
    status: s.resolvedAt === null ? t(lang, 'status.open') : t(lang, 'status.resolved', { at: formatShanghai(s.resolvedAt) }),
    exampleConfig: config.bundledExample,
  };
}

import { t, type Lang } from '../i18n/index.ts';
import type { IncidentEvent } from '../incident/events.ts';
import type { IncidentState } from '../incident/state.ts';
import type { BotConfig } from '../config/bot-config.ts';
import type { Reply } from '../conversation/types.ts';
import { formatDurationMs, formatShanghai } from '../conversation/parse.ts';
import { articleRef } from '../conversation/card.ts';
import { requiredItems, type ReportContentKind } from '../regimes/pboc-2025-4/contents.ts';
import { atLeast, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import { needsReceiptConfirmation } from '../regimes/pboc-2025-4/channels.ts';
import { assess } from '../incident/assess.ts';
import { route } from '../regimes/pboc-2025-4/routing.ts';
import type { EscalationStep, Reminder } from './planner.ts';
import { hasProfile, otherObligations } from '../incident/obligations.ts';
import type { Obligation as RegimeObligation } from '../regimes/port.ts';
import { dueText, overdueFrom, regimeName } from '../conversation/card-obligations.ts';

/** The name a reminder prints for its obligation in the ack command: `brief`, `risk`, or a confirmation's report id. */
export function ackName(r: Pick<Reminder, 'obligation' | 'reportId'>): string {
  if (r.obligation.includes('.')) return r.obligation.replace(/#\d+$/, ''); // another regime's: cac.initial
  if (r.obligation === 'confirm') return r.reportId ?? 'confirm';
  return r.obligation === 'risk-feedback' ? 'risk' : r.obligation;
}

/** A rung's role in the conversation's language. */
export function roleName(e: EscalationStep, lang: Lang): string {
  return lang === 'en' && e.roleEn ? e.roleEn : e.role;
}

const ARTICLE: Record<string, number> = { brief: 15, incident: 15, progress: 16, immediate: 16, final: 17, preliminary: 17, revision: 23, 'risk-feedback': 24 };

/** What an adapter posts to the incident's conversation (threaded under the incident where it can). */
export interface Outbound {
  conversation: string;
  incidentId: string;
  replies: Reply[];
  mentions: string[]; // responsible people (platform user ids or names)
  /** The reminder's deterministic key: a platform that de-duplicates (Feishu's uuid) can post it at most once. */
  key?: string;
  /** An acknowledge button under the reminder: pressing it runs `/incident ack <command>` as the presser. */
  ack?: { command: string; label: string };
}

export interface SendOptions {
  /**
   * Aborted when the ticker stops waiting for this send (its deadline). The ticker moves on but keeps the key
   * claimed until the returned promise settles, so an adapter's promise must not settle before its request has
   * (a post may still land): cancel the request if the client can, or let the client's own timeout end it. An adapter
   * whose platform de-duplicates a re-send of the same key (Feishu's uuid) may give up at once instead.
   */
  signal?: AbortSignal;
}

/**
 * A send that failed. `uncertain`: the platform may have taken the message (a timeout, a 5xx, a connection lost
 * after the request went out), so a retry first asks Sender.posted. `retryAfterMs`: the platform asked for a wait
 * (429 Retry-After); the key is not tried again sooner, on any replica. Any other error thrown counts as uncertain.
 */
export class SendError extends Error {
  readonly uncertain: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, opts: { uncertain: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SendError';
    this.uncertain = opts.uncertain;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * The adapter side of the reminder ticker. A reminder is posted once: the ticker claims its key across replicas,
 * and after a send that failed uncertainly it asks `posted` before sending again.
 */
export interface Sender {
  /** Resolves once the platform took the message; throws (SendError, ideally) when it did not or may not have. */
  send(message: Outbound, opts?: SendOptions): Promise<void>;
  /**
   * Whether a post of message.key made since sinceMs (the first attempt's time, the bot's clock) is there: true (the
   * ticker records it as sent, no second post), false (not there), null (cannot tell: the ticker posts again). Throws
   * when the check itself failed for now (the ticker waits and checks again; it does not post meanwhile).
   * Absent: the platform de-duplicates a re-send of the same key itself (Feishu's uuid), or cannot tell.
   */
  posted?(message: Outbound, sinceMs: number, opts?: SendOptions): Promise<boolean | null>;
}

/** Recipients and how to reach them; `written`: a post-incident report goes in writing (Art. 18 ¶2), so no phone, fax or email. */
/** Reports that count only in writing with the seal or through PBoC's system (Art. 17, 18 ¶2, 23). */
const WRITTEN: ReadonlySet<string> = new Set(['final', 'preliminary', 'revision']);

function contacts(config: BotConfig, lang: Lang, written = false): string {
  return config.institution.recipients
    .map((r) => (written ? [r.name, r.contact] : [r.name, r.contact, r.phone && `☎ ${r.phone}`, r.fax && `📠 ${r.fax}`, r.email]).filter(Boolean).join(' '))
    .join(lang === 'en' ? '; ' : '；');
}

/** True when no reminder of this obligation went out yet: the first one carries everything. */
export function isFirstReminder(r: Reminder, s: IncidentState): boolean {
  const prefix = `${s.id}:${r.obligationKey}:`;
  return !s.remindersSent.some((k) => k.startsWith(prefix));
}

/**
 * Another regime's obligation, as a reminder says it: regime, obligation, article and exact due time (or 立即 / 及时 and
 * since when), its recipient on the first one, and how to record it. `head` opens the first line (`<id> <title>：`).
 */
function regimeObligationLines(r: Reminder, o: RegimeObligation, s: IncidentState, lang: Lang, nowMs: number, head: string): string[] {
  const first = isFirstReminder(r, s);
  const base = { head, regime: regimeName(o.regime, lang), label: o.title[lang], article: o.article[lang] };
  const due = r.dueDate ? t(lang, 'deadline.endOfDay', { date: r.dueDate }) : formatShanghai(r.dueAtMs);
  const parts: string[] = [];
  if (o.dueAtMs === null && o.due === '及时') parts.push(t(lang, 'remind.regime.timely', { ...base, since: formatShanghai(r.arisenAtMs ?? r.dueAtMs) }));
  else if (r.overdue && nowMs - r.dueAtMs >= 60_000) parts.push(t(lang, 'remind.regime.overdue', { ...base, due, by: formatDurationMs(nowMs - r.dueAtMs, lang) }));
  else if (o.dueAtMs === null) parts.push(t(lang, 'remind.regime.immediate', { ...base, since: formatShanghai(r.arisenAtMs ?? nowMs) }));
  else if (r.dueAtMs - nowMs > 0) parts.push(t(lang, 'remind.regime.before', { ...base, due, left: formatDurationMs(r.dueAtMs - nowMs, lang) }));
  else parts.push(t(lang, 'remind.regime.due', { ...base, due }));
  if (first || r.escalation) parts.push(t(lang, 'remind.regime.where', { recipient: o.recipient[lang] }));
  const keys = (o.unverified ?? []).map((u) => u.key);
  if (!o.verified || keys.length > 0) parts.push(t(lang, 'obl.unverified', { keys: keys.join(', ') || '-' }).replace(/^[；;]\s*/, ''));
  parts.push(t(lang, 'remind.regime.command', { id: s.id, regimeId: o.regime, kind: o.kind }));
  return parts;
}

/**
 * One obligation's lines in a reminder: the obligation and its exact deadline; the first reminder of an obligation also
 * says what the report must contain (Art. 19-22) and where to send it, later ones only the time left; then how to record it.
 */
function obligationLines(r: Reminder, s: IncidentState, grade: Grade, lang: Lang, config: BotConfig, nowMs: number, head: string): string[] {
  if (r.regime) return regimeObligationLines(r, r.regime, s, lang, nowMs, head);
  const first = isFirstReminder(r, s);
  const parts: string[] = [];
  if (r.obligation === 'confirm') {
    const rep = s.reports.find((x) => x.reportId === r.reportId)!;
    parts.push(t(lang, 'remind.confirm', {
      head, id: s.id, report: `${rep.reportId} ${t(lang, `report.${rep.kind}` as 'report.brief')}`, channel: t(lang, `channel.${rep.channel}` as 'channel.email'),
      sent: formatShanghai(rep.at), reportId: rep.reportId, icon: rep.channel === 'fax' ? '📠' : '📧',
    }));
    return parts;
  }
  const label = t(lang, `report.${r.obligation}` as 'report.brief');
  const due = r.dueDate ? t(lang, 'deadline.endOfDay', { date: r.dueDate }) : formatShanghai(r.dueAtMs);
  const article = ARTICLE[r.obligation] ?? 15;
  if (r.obligation === 'immediate') parts.push(t(lang, 'remind.immediate', { head, reason: t(lang, s.milestones.some((m) => m.at === r.dueAtMs) ? 'remind.immediateMilestone' : 'remind.immediateRaised') }));
  else if (r.overdue && nowMs - r.dueAtMs >= 60_000) parts.push(t(lang, 'remind.overdue', { head, label, due, article, by: formatDurationMs(nowMs - r.dueAtMs, lang) }));
  else if (r.dueAtMs - nowMs > 0) parts.push(t(lang, 'remind.before', { head, label, due, article, left: formatDurationMs(r.dueAtMs - nowMs, lang) }));
  else parts.push(t(lang, 'remind.due', { head, label, due, article }));
  if (first && r.obligation !== 'risk-feedback') {
    const kind = r.obligation as ReportContentKind;
    const items = requiredItems(kind, {
      grade, personalInfo: s.values['data.personalInfoIncident'] === true, networkAttack: s.values.category === 'attack',
    }).filter((i) => !i.optional).map((i) => i.label[lang]);
    parts.push(t(lang, 'remind.contents', { items: items.join(lang === 'en' ? ', ' : '、') }));
  }
  const inst = config.institution.institution;
  const written = WRITTEN.has(r.obligation);
  if (first) parts.push(t(lang, 'remind.where', { route: route(inst.type, inst.isBranch, grade).text[lang], contacts: contacts(config, lang, written) }));
  parts.push(written ? t(lang, 'remind.commandWritten', { kind: r.obligation, id: s.id }) : t(lang, 'remind.command', { kind: r.obligation, id: s.id }));
  return parts;
}

/** The rung a post escalates to: of several members on different rungs, the highest (it names the most senior role). */
export function highestRung(rs: readonly Reminder[]): Reminder | undefined {
  const n = (r: Reminder) => (r.escalation ? Number(r.step.slice(1)) || 1 : 0);
  return rs.reduce<Reminder | undefined>((best, r) => (n(r) > (best ? n(best) : 0) ? r : best), undefined);
}

/** The acknowledge command's obligation list for these reminders: `brief`, or `brief,cac.initial` (each name once). */
export function ackNames(rs: readonly Reminder[]): string {
  return [...new Set(rs.map(ackName))].join(',');
}

/** What closes every reminder post, once: the escalation rung, how to acknowledge all it names, and the late note. */
function closingLines(rs: readonly Reminder[], s: IncidentState, lang: Lang): string[] {
  const parts: string[] = [];
  const rung = highestRung(rs);
  if (rung?.escalation) parts.push(t(lang, 'remind.escalate', { role: roleName(rung.escalation, lang), n: Number(rung.step.slice(1)) || 1 }));
  parts.push(t(lang, 'remind.ack', { what: ackNames(rs), id: s.id }));
  if (rs.some((r) => r.late)) parts.push(t(lang, 'remind.late'));
  return parts;
}

/** One reminder's post: its obligation's lines under the incident's id and title, then the closing lines. */
export function reminderText(r: Reminder, s: IncidentState, grade: Grade, lang: Lang, config: BotConfig, nowMs: number): string {
  return [...obligationLines(r, s, grade, lang, config, nowMs, t(lang, 'remind.head', { id: s.id, title: s.title })), ...closingLines([r], s, lang)].join('\n');
}

/**
 * Several reminders of one incident falling due in the same minute, as one post: a header with the incident and how
 * many obligations (‼ when any is overdue), each obligation's lines numbered, then the escalation, one acknowledge line
 * for all of them and the late note, once. One reminder is simply its own post.
 */
export function groupText(rs: readonly Reminder[], s: IncidentState, grade: Grade, lang: Lang, config: BotConfig, nowMs: number): string {
  if (rs.length === 1) return reminderText(rs[0]!, s, grade, lang, config, nowMs);
  const items = rs.map((r, i) => {
    const [head = '', ...rest] = obligationLines(r, s, grade, lang, config, nowMs, '');
    // English lines open with "the …": a numbered item starts with a capital.
    const line = lang === 'en' ? head.replace(/^(\S+ )([a-z])/, (_m, icon: string, c: string) => icon + c.toUpperCase()) : head;
    return [`${i + 1}. ${line}`, ...rest].join('\n');
  });
  const icon = items.some((x) => x.startsWith('‼', x.indexOf(' ') + 1)) ? '‼' : '⏰';
  return [t(lang, 'remind.group', { icon, id: s.id, title: s.title, n: rs.length }), ...items, ...closingLines(rs, s, lang)].join('\n');
}

/** The post when a grade rises without anyone typing (a live outage crossing a threshold). */
export function raiseText(e: Extract<IncidentEvent, { type: 'grade-raised' }>, s: IncidentState, lang: Lang): string {
  const obligations: string[] = [];
  if (atLeast(e.to, '较大') && (e.from === null || !atLeast(e.from, '较大'))) obligations.push(t(lang, 'report.brief'), t(lang, 'report.incident'));
  if (atLeast(e.to, '重大')) obligations.push(t(lang, 'report.immediate'), t(lang, 'report.progress'));
  return t(lang, 'remind.raised', {
    id: s.id, title: s.title, from: e.from ?? '-', to: e.to, at: formatShanghai(e.effectiveAt),
    articles: e.basis.map((b) => articleRef(lang, b.article, b.item)).join(lang === 'en' ? ', ' : '、'),
    obligations: obligations.length ? t(lang, 'remind.newObligations', { list: obligations.join(lang === 'en' ? ', ' : '、') }) : '',
  }).trim();
}

/** The daily digest: open obligations falling due in the next 24 hours (or overdue), earliest first. */
export function digestText(states: readonly IncidentState[], nowMs: number, lang: Lang, config: BotConfig): string {
  const lines: Array<{ at: number; text: string }> = [];
  for (const s of states) {
    const a = assess(s, nowMs, config.assess);
    for (const d of [...a.deadlines.immediate, ...a.deadlines.deadlines]) {
      if (d.status === 'met' || d.dueAtMs > nowMs + 86_400_000) continue;
      const due = d.dueDate ? t(lang, 'deadline.endOfDay', { date: d.dueDate }) : formatShanghai(d.dueAtMs);
      const state = d.status === 'overdue' ? t(lang, 'deadline.overdue', { by: formatDurationMs(nowMs - d.dueAtMs, lang) }) : d.kind === 'immediate' ? t(lang, 'deadline.now') : t(lang, 'deadline.left', { left: formatDurationMs(d.dueAtMs - nowMs, lang) });
      lines.push({ at: d.dueAtMs, text: t(lang, 'digest.line', { id: s.id, title: s.title, grade: a.grade, label: t(lang, `report.${d.kind}` as 'report.brief'), due, state }) });
    }
    // The other regimes' obligations overdue or due within a day (立即 ones from an hour after they arose; 及时 ones daily).
    for (const o of hasProfile(config.assess) ? otherObligations(s, nowMs, config.assess, a) : []) {
      if (o.status === 'met') continue;
      const until = overdueFrom(s, o);
      if (until !== null && until > nowMs + 86_400_000) continue;
      const state = until === null ? t(lang, 'obl.pending') : nowMs > until ? t(lang, 'deadline.overdue', { by: formatDurationMs(nowMs - until, lang) }) : t(lang, 'deadline.left', { left: formatDurationMs(until - nowMs, lang) });
      lines.push({ at: until ?? nowMs, text: t(lang, 'digest.regimeLine', { id: s.id, title: s.title, regime: regimeName(o.regime, lang), label: o.title[lang], due: dueText(o, lang), state }) });
    }
    for (const r of s.reports.filter((x) => needsReceiptConfirmation(x.channel) && !x.confirmation)) {
      lines.push({ at: r.at, text: t(lang, 'digest.awaiting', { id: s.id, report: r.reportId, channel: t(lang, `channel.${r.channel}` as 'channel.email'), sent: formatShanghai(r.at) }) });
    }
  }
  if (lines.length === 0) return t(lang, 'digest.none', { date: formatShanghai(nowMs).slice(0, 10) });
  return [t(lang, 'digest.head', { date: formatShanghai(nowMs).slice(0, 10), n: lines.length }), ...lines.sort((x, y) => x.at - y.at).map((l) => l.text), t(lang, 'digest.ackHint')].join('\n');
}

// One incident, every regime: the incident's recorded facts mapped once onto the regime port's input, and the
// obligations of every regime that binds the institution (PBoC's first, from the same assessment as the card's).
import type { CacFacts, NfraFacts, Obligation, RegimeInput, RegimeProfile } from '../regimes/port.ts';
import { allObligations } from '../regimes/registry.ts';
import { cacGrade } from '../regimes/cac/grading.ts';
import type { Grade } from '../regimes/pboc-2025-4/grades.ts';
import { assess, factSince, type AssessContext, type Assessment } from './assess.ts';
import type { IncidentState } from './state.ts';

const num = (s: IncidentState, p: string): number | undefined => (typeof s.values[p] === 'number' ? (s.values[p] as number) : undefined);
const bool = (s: IncidentState, p: string): boolean | undefined => (typeof s.values[p] === 'boolean' ? (s.values[p] as boolean) : undefined);

/** Only the keys that have a value: the port's optional fields stay absent rather than undefined. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The institution's profile as configured; an institution file without `profile:` binds PBoC alone. */
export function profileOf(ctx: Pick<AssessContext, 'profile'>): RegimeProfile {
  return ctx.profile ?? {};
}

/** Whether the institution file has a profile at all: the other regimes' questions are asked only then. */
export function hasProfile(ctx: Pick<AssessContext, 'profile'>): boolean {
  return ctx.profile !== undefined;
}

/** Whether a financial regulator besides PBoC binds the institution (`profile.regulators`). */
export function regulatedBy(ctx: Pick<AssessContext, 'profile'>, r: 'nfra' | 'csrc'): boolean {
  return profileOf(ctx).regulators?.includes(r) === true;
}

/** CAC's facts: persons of personal information (not records), direct loss, population, CII outage, its designation. */
function cacFacts(s: IncidentState): CacFacts {
  const designation = s.values['designations.cac'];
  return defined({
    personalInfoPersons: num(s, 'cac.personalInfoPersons'),
    directLossYuan: num(s, 'cac.directLossYuan'),
    populationAffectedPersons: num(s, 'cac.populationAffectedPersons'),
    provincePopulationSharePercent: num(s, 'cac.provincePopulationSharePercent'),
    ciiWholeOutageMinutes: num(s, 'cac.ciiWholeOutageMinutes'),
    ciiMainFunctionOutageMinutes: num(s, 'cac.ciiMainFunctionOutageMinutes'),
    designation: typeof designation === 'string' && designation !== 'none' ? (designation as Grade) : undefined,
    // Art. 7 ¶2: the first items within the clock, the rest supplemented once cause and impact are known.
    causeKnown: bool(s, 'cac.causeKnown'),
    impactKnown: bool(s, 'cac.impactKnown'),
  });
}

/**
 * NFRA Art. 42's facts. The loss is the direct loss the conversation asked (one question for CAC and NFRA) unless
 * `nfra.lossYuan` was set apart; important data lost is PBoC's 重要数据 answer unless `nfra.importantDataLost` was.
 */
function nfraFacts(s: IncidentState): NfraFacts {
  return defined({
    lossYuan: num(s, 'nfra.lossYuan') ?? num(s, 'cac.directLossYuan'),
    expectedLossYuan: num(s, 'nfra.expectedLossYuan'),
    importantDataLost: bool(s, 'nfra.importantDataLost') ?? bool(s, 'data.importantData'),
    importantSystemOutageMinutes: num(s, 'nfra.importantSystemOutageMinutes'),
    provinces: num(s, 'networks.0.outage.provinces'),
  });
}

/** The moment a yes/no fact became true (its own time when the user gave one), never before the incident was declared. */
export function trueSince(s: IncidentState, path: string): number | undefined {
  if (s.values[path] !== true && !s.unknowns.includes(path)) return undefined;
  return Math.max(s.createdAt, factSince(s, path));
}

const CAC_FACT = (p: string) => p.startsWith('cac.') || p === 'designations.cac';

/**
 * When the event reached 较大 under CAC's annex, from the facts' own times: the earliest instant at which the CAC facts
 * recorded by then make it reportable. Undefined when it never did, or did at discovery (the clock runs from discovery).
 */
function reachedSignificantAt(s: IncidentState, settings: AssessContext['regimeSettings']): number | undefined {
  const since = (p: string) => Math.max(s.createdAt, factSince(s, p));
  const times = [...new Set([s.createdAt, ...Object.keys(s.values).filter(CAC_FACT).map(since)])].sort((x, y) => x - y);
  for (const t of times) {
    const values = Object.fromEntries(Object.entries(s.values).filter(([p]) => !CAC_FACT(p) || since(p) <= t));
    if (cacGrade(cacFacts({ ...s, values }), settings ?? {}).reportable) return t > s.createdAt ? t : undefined;
  }
  return undefined;
}

/** The incident as the regime port reads it: one mapping for the card, reminders, ack and the record. */
export function regimeInput(s: IncidentState, nowMs: number, ctx: AssessContext, a: Assessment = assess(s, nowMs, ctx)): RegimeInput {
  return regimeInputOf(s, nowMs, ctx, a);
}

/** What the mapping reads of the configuration once the incident is assessed: profile, settings, calendar. */
export type RegimeContext = Pick<AssessContext, 'profile' | 'regimeSettings' | 'calendar'>;

/** regimeInput for an incident already assessed (the web page and the dossier assess once per incident). */
export function regimeInputOf(s: IncidentState, nowMs: number, ctx: RegimeContext, a: Assessment): RegimeInput {
  const reached = reachedSignificantAt(s, ctx.regimeSettings);
  const cac = { ...cacFacts(s), ...(reached !== undefined ? { reachedSignificantAtMs: reached } : {}) };
  const nfra = nfraFacts(s);
  // Art. 4 and the card's reading: a ransomware attack that caused harm is a suspected crime too.
  const suspectedCrime = s.values.suspectedCrime === true || (s.values.suspectedCrime !== false && s.values.ransomwareHarm === true);
  return {
    profile: profileOf(ctx),
    facts: a.facts,
    ...(Object.keys(cac).length > 0 ? { cac } : {}),
    ...(Object.keys(nfra).length > 0 ? { nfra } : {}),
    suspectedCrime,
    // PIPL Art. 57 "发生或者可能发生": a leak answered 不确定 may have happened.
    // Unanswered: the regime reads PBoC's data facts (records leaked) instead.
    ...(s.values['data.personalInfoIncident'] === true || s.unknowns.includes('data.personalInfoIncident') ? { personalInfoIncident: true }
      : s.values['data.personalInfoIncident'] === false ? { personalInfoIncident: false } : {}),
    ...(s.values['pipl.harmAvoided'] === true ? { personalInfoHarmAvoided: true } : {}),
    discoveredAtMs: s.createdAt,
    ...(s.resolvedAt !== null ? { resolvedAtMs: s.resolvedAt } : {}),
    reports: s.regimeReports.filter((r) => !r.voided).map((r) => ({ regime: r.regime, kind: r.kind, atMs: r.at })),
    nowMs,
    calendar: ctx.calendar,
    pbocDeadlines: a.deadlines,
    ...(ctx.regimeSettings ? { settings: ctx.regimeSettings } : {}),
  };
}

/** Every obligation of the incident under every regime that binds the institution, PBoC's first. */
export function incidentObligations(s: IncidentState, nowMs: number, ctx: AssessContext, a: Assessment = assess(s, nowMs, ctx)): Obligation[] {
  return allObligations(regimeInput(s, nowMs, ctx, a));
}

/** The other regimes' obligations only (PBoC's have their own lines on the card and their own reminders). */
export function otherObligations(s: IncidentState, nowMs: number, ctx: AssessContext, a: Assessment = assess(s, nowMs, ctx)): Obligation[] {
  return incidentObligations(s, nowMs, ctx, a).filter((o) => o.regime !== 'pboc');
}

/**
 * When an obligation without a clock (立即 / 及时) arose: the moment its trigger was recorded true. rules.md: one due
 * 立即 is due when it arises and overdue one hour later; one due 及时 has no clock and is reminded daily until recorded.
 */
export function arisenAt(s: IncidentState, o: Pick<Obligation, 'regime' | 'arisesAtMs'>): number {
  if (o.arisesAtMs !== undefined) return o.arisesAtMs; // the regime's own reading
  if (o.regime === 'pipl') return trueSince(s, 'data.personalInfoIncident') ?? s.createdAt;
  if (o.regime === 'police') {
    const at = Math.min(trueSince(s, 'suspectedCrime') ?? Infinity, trueSince(s, 'ransomwareHarm') ?? Infinity);
    return Number.isFinite(at) ? at : s.createdAt;
  }
  return s.createdAt;
}

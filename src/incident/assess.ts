import type { DataFacts, Facts, NetworkFacts } from '../regimes/pboc-2025-4/facts.ts';
import { grade as gradeFacts, type GradeResult } from '../regimes/pboc-2025-4/grading.ts';
import { LEVEL, atLeast, higher, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import type { InstitutionRule } from '../regimes/pboc-2025-4/institution-rules.ts';
import { nextEscalation, outageAt, outageCrossings, peakProvisional, type LiveOutage, type PeakWindow } from '../regimes/pboc-2025-4/outage-clock.ts';
import { computeDeadlines, type DeadlineResult, type Timeline } from '../regimes/pboc-2025-4/deadlines.ts';
import { ART10 } from '../regimes/pboc-2025-4/rules.ts';
import type { Calendar } from '../calendar/working-days.ts';
import type { RegimeProfile, RegimeSettings } from '../regimes/port.ts';
import type { IncidentEvent, RecordedBasis } from './events.ts';
import { FIELDS, type FieldDef, type FieldValue } from './fields.ts';
import { apply, configuredNetwork, meetsObligation, type IncidentState } from './state.ts';

export interface ConfiguredNetwork {
  id: string;
  name: string;
  protectionLevel: 1 | 2 | 3 | 4 | 5;
  keyNetwork: boolean;
  financialService: boolean;
  peakWindows?: PeakWindow[];
  dataCentres?: string[];
  aliases?: string[];
}

/** What assessment needs from the institution configuration. */
export interface AssessContext {
  networks: readonly ConfiguredNetwork[];
  rules: readonly InstitutionRule[];
  calendar: Calendar;
  /** The institution's profile (`profile:`): which other regimes bind it and how. Absent: no profile configured. */
  profile?: RegimeProfile;
  /** Institution values of the regimes' unverified settings, by key (shown 未核实 until verified). */
  regimeSettings?: RegimeSettings;
}

const MIN_MS = 60_000;

function networkIndexes(values: Record<string, FieldValue>, unknowns: readonly string[]): number[] {
  const seen = new Set<number>();
  for (const p of [...Object.keys(values), ...unknowns]) {
    const m = /^networks\.(\d+)\./.exec(p);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Peak windows of network i (from configuration), or null when none are configured. */
export function peakWindowsOf(values: Record<string, FieldValue>, i: number, ctx: AssessContext): PeakWindow[] | null {
  const w = configuredNetwork(values, i, ctx.networks)?.peakWindows;
  return w && w.length > 0 ? w : null;
}

/** The live outage of network i, once its start, provinces and failure rate are known. */
export function liveOutage(values: Record<string, FieldValue>, i: number): LiveOutage | null {
  const v = (k: string) => values[`networks.${i}.outage.${k}`];
  const start = v('start');
  const provinces = v('provinces');
  const rate = v('failureRatePercent');
  if (typeof start !== 'number' || typeof provinces !== 'number' || typeof rate !== 'number') return null;
  const restored = v('restored');
  const prior = v('priorMinutes');
  const priorPeak = v('priorPeakMinutes');
  return {
    startMs: start, provinces, failureRatePercent: rate, ...(typeof restored === 'number' ? { restoredAtMs: restored } : {}),
    ...(typeof prior === 'number' && prior > 0 ? { priorMinutes: prior } : {}),
    ...(typeof priorPeak === 'number' && priorPeak > 0 ? { priorPeakMinutes: priorPeak } : {}),
  };
}

/** The Facts contract as the recorded values give it at nowMs (live outages run on). */
export function factsAt(values: Record<string, FieldValue>, unknowns: readonly string[], nowMs: number, ctx: AssessContext): Facts {
  const networks: NetworkFacts[] = [];
  for (const i of networkIndexes(values, unknowns)) {
    const v = (k: string) => values[`networks.${i}.${k}`];
    const conf = configuredNetwork(values, i, ctx.networks);
    const n: NetworkFacts = {};
    const name = v('name') ?? conf?.name;
    if (typeof name === 'string') n.name = name;
    const level = v('protectionLevel') ?? conf?.protectionLevel;
    if (typeof level === 'number') n.protectionLevel = level as NetworkFacts['protectionLevel'];
    const key = v('keyNetwork') ?? conf?.keyNetwork;
    if (typeof key === 'boolean') n.keyNetwork = key;
    const fin = v('financialService') ?? conf?.financialService;
    if (typeof fin === 'boolean') n.financialService = fin;
    const persons = v('affectedNaturalPersons');
    if (typeof persons === 'number') n.affectedNaturalPersons = persons;
    const orgs = v('affectedOrganizations');
    if (typeof orgs === 'number') n.affectedOrganizations = orgs;

    const live = liveOutage(values, i);
    const windows = peakWindowsOf(values, i, ctx);
    const staticPeak = v('outage.peakMinutes');
    const staticTotal = v('outage.totalMinutes');
    if (live) {
      const o = outageAt(live, nowMs, windows ?? [], ctx.calendar);
      // Without configured peak windows, peak minutes are what the user stated (0 until then).
      if (!windows) o.peakMinutes = typeof staticPeak === 'number' ? Math.min(staticPeak, o.totalMinutes) : 0;
      if (typeof staticTotal === 'number') o.totalMinutes = Math.max(o.totalMinutes, staticTotal);
      n.outage = o;
    } else if (typeof staticTotal === 'number' && typeof v('outage.provinces') === 'number' && typeof v('outage.failureRatePercent') === 'number') {
      n.outage = {
        provinces: v('outage.provinces') as number,
        failureRatePercent: v('outage.failureRatePercent') as number,
        totalMinutes: staticTotal,
        peakMinutes: typeof staticPeak === 'number' ? Math.min(staticPeak, staticTotal) : 0,
      };
    }
    // Art. 10(3): disruption lasts from the outage start until restoration.
    const start = v('outage.start');
    let disrupted = typeof v('mainFunctionDisruptedMinutes') === 'number' ? (v('mainFunctionDisruptedMinutes') as number) : 0;
    if (v('disrupted') === true && typeof start === 'number') {
      const restored = v('outage.restored');
      const end = Math.min(nowMs, typeof restored === 'number' ? restored : Infinity);
      const prior = v('outage.priorMinutes');
      disrupted = Math.max(disrupted, Math.max(0, (end - start) / MIN_MS) + (typeof prior === 'number' ? prior : 0));
    }
    if (disrupted > 0) n.mainFunctionDisruptedMinutes = Math.round(disrupted * 100) / 100;
    // Art. 7-10 item 2 needs a disrupted main function: `disrupted 否` rules the affected counts out.
    if (typeof v('disrupted') === 'boolean') n.mainFunctionDisrupted = v('disrupted') as boolean;
    networks[i] = n;
  }
  const data: DataFacts = {};
  for (const k of ['coreData', 'importantData', 'socialHarm', 'personalInfoIncident'] as const) {
    if (typeof values[`data.${k}`] === 'boolean') data[k] = values[`data.${k}`] as boolean;
  }
  // Art. 10(5) "发生或者可能发生": a leak answered 不确定 may have happened, which the item covers.
  if (unknowns.includes('data.personalInfoIncident')) data.personalInfoIncidentPossible = true;
  for (const k of ['sensitivePersonalInfoRecords', 'personalInfoRecords', 'creditOrPropertyRecords'] as const) {
    if (typeof values[`data.${k}`] === 'number') data[k] = values[`data.${k}`] as number;
  }
  const facts: Facts = {};
  const dense = Array.from(networks, (n) => n ?? {});
  if (dense.length > 0) facts.networks = dense;
  if (Object.keys(data).length > 0) facts.data = data;
  if (typeof values.ransomwareHarm === 'boolean') facts.ransomwareHarm = values.ransomwareHarm;
  const designations = (['cac', 'police', 'pboc'] as const)
    .filter((by) => typeof values[`designations.${by}`] === 'string' && values[`designations.${by}`] !== 'none')
    .map((by) => ({ by, grade: values[`designations.${by}`] as Grade }));
  if (designations.length > 0) facts.designations = designations;
  if (values.undeterminable === true) facts.undeterminable = true;
  return facts;
}

/** The most severe answer a field could get, to test whether an unknown could change the grade. */
function worstCase(def: FieldDef, path: string, nowMs: number): FieldValue {
  switch (def.type) {
    case 'bool': return true;
    case 'count': return path.endsWith('provinces') ? 34 : 1e12;
    case 'percent': return 100;
    case 'minutes': return 1e6;
    case 'time': return nowMs - 30 * 86_400_000;
    case 'grade-or-none': return '特别重大';
    default: return true;
  }
}

function defOf(path: string): FieldDef | undefined {
  return FIELDS.find((d) => d.path === path.replace(/^networks\.\d+\./, 'networks.N.'));
}

/** The values with the most severe answer to `path`: an unknown network counts as a key, financial-service one. */
export function withWorstAnswer(values: Record<string, FieldValue>, path: string, nowMs: number): Record<string, FieldValue> {
  const def = defOf(path);
  if (!def) return { ...values };
  if (def.type === 'network') {
    return { ...values, [path]: 'other', [path.replace(/\.ref$/, '.keyNetwork')]: true, [path.replace(/\.ref$/, '.financialService')]: true };
  }
  return { ...values, [path]: worstCase(def, path, nowMs) };
}

export interface Assessment {
  facts: Facts;
  result: GradeResult; // Art. 7-12 applied to the facts now, unknowns included
  /** Unknown answers that could still raise the grade: answering them settles it (Art. 12). */
  unsettling: string[];
  /** Recorded grade, or the computed one when higher (a raise not yet recorded). */
  grade: Grade;
  deadlines: DeadlineResult;
  /** For each live outage: when continuing would raise the grade (provisional: counted on a provisional year's calendar). */
  escalations: Array<{ network: number; atMs: number; grade: Grade; provisional?: boolean }>;
  /** Networks whose peak minutes follow the calendar of a year without an official schedule. */
  peakProvisional: number[];
  /** After a person corrected T0: when the facts say 较大 was met, to show beside it. */
  t0FromFacts?: Crossing;
}

function withUnknowns(values: Record<string, FieldValue>, unknowns: readonly string[], nowMs: number, ctx: AssessContext) {
  const base = factsAt(values, unknowns, nowMs, ctx);
  const baseGrade = gradeFacts(base, ctx.rules).grade;
  const unsettling = unknowns.filter((p) => {
    const def = defOf(p);
    if (!def || !def.gradeRelevant) return false;
    const worst = factsAt(withWorstAnswer(values, p, nowMs), unknowns, nowMs, ctx);
    return LEVEL[gradeFacts(worst, ctx.rules).grade] < LEVEL[baseGrade];
  });
  const facts = unsettling.length > 0 ? { ...base, undeterminable: true } : base;
  return { facts, unsettling };
}

export function timelineOf(s: IncidentState, gradeNow: Grade): Timeline {
  // Art. 16 "调高": a raise from an earlier grade reported under Art. 15. The first grade of 较大 or above (even
  // 重大) is Art. 15's 1 h brief report, not a raise; a 一般 incident was never reported, so nothing is raised from it.
  const raises = s.gradeHistory.filter((g) => !g.loweredReason);
  // Facts typed later can show 较大 was met earlier than its raise says: the T0 moved earlier then counts too.
  const graded = [...raises.filter((g) => atLeast(g.to, '较大')).map((g) => g.effectiveAt), ...(s.clockMoves ?? []).filter((m) => m.clock === 't0').map((m) => m.to)];
  const gradedAt = graded.length > 0 ? Math.min(...graded) : Infinity;
  const escalations = raises.filter((g) => g.from !== null && g.effectiveAt > gradedAt).map((g) => ({ atMs: g.effectiveAt, grade: g.to }));
  const majorRecorded = raises.find((g) => atLeast(g.to, '重大'));
  return {
    grade: gradeNow,
    publicOpinion: s.values.publicOpinion === true,
    t0Ms: s.t0 ?? s.createdAt,
    ...(s.majorAt !== null ? { majorAtMs: s.majorAt } : {}),
    ...(majorRecorded ? { majorRecordedAtMs: majorRecorded.at } : {}),
    escalations,
    milestones: s.milestones.map((m) => ({ atMs: m.at })),
    ...(s.resolvedAt !== null ? { resolvedAtMs: s.resolvedAt } : {}),
    // Art. 18 ¶2: the post-incident report (and its revision) is met by the written, sealed submission; a system filing is in addition.
    reports: s.reports.filter(meetsObligation).map((r) => ({ kind: r.kind, atMs: r.at, ...(r.committedDate ? { committedDate: r.committedDate } : {}) })),
    ...(s.feedbackReceivedAt !== null ? { feedbackReceivedAtMs: s.feedbackReceivedAt } : {}),
    ...(s.riskNotice ? { riskNotice: { receivedAtMs: s.riskNotice.receivedAt, dueAtMs: s.riskNotice.dueAt } } : {}),
  };
}

/** Everything derived from an incident at nowMs. Pure. */
export function assess(s: IncidentState, nowMs: number, ctx: AssessContext): Assessment {
  const { facts, unsettling } = withUnknowns(s.values, s.unknowns, nowMs, ctx);
  const result = gradeFacts(facts, ctx.rules);
  const g = s.grade === null ? result.grade : higher(s.grade, result.grade);
  const escalations: Assessment['escalations'] = [];
  const peakProvisionalNetworks: number[] = [];
  if (s.resolvedAt === null) {
    for (const i of networkIndexes(s.values, s.unknowns)) {
      const live = liveOutage(s.values, i);
      if (!live) continue;
      const windows = peakWindowsOf(s.values, i, ctx) ?? [];
      const e = nextEscalation(facts, i, live, nowMs, windows, ctx.rules, ctx.calendar);
      const end = Math.max(nowMs, e?.atMs ?? nowMs);
      const provisional = peakProvisional(live.startMs, Math.min(end, live.restoredAtMs ?? Infinity), windows, ctx.calendar);
      if (provisional) peakProvisionalNetworks.push(i);
      if (e) escalations.push({ network: i, atMs: e.atMs, grade: e.grade, ...(provisional ? { provisional } : {}) });
    }
  }
  const corrected = s.corrections.some((c) => c.field === 't0');
  const t0FromFacts = corrected ? crossings(s, nowMs, ctx).find((c) => atLeast(c.grade, '较大')) : undefined;
  return {
    facts, result, unsettling, grade: g, deadlines: computeDeadlines(timelineOf(s, g), nowMs, ctx.calendar), escalations,
    peakProvisional: peakProvisionalNetworks, ...(t0FromFacts ? { t0FromFacts } : {}),
  };
}

function recordBasis(r: GradeResult): RecordedBasis[] {
  return r.basis.filter((b) => b.grade === r.grade).map((b) => ({ article: b.article, item: b.item, grade: b.grade, reason: b.reason['zh-CN'] }));
}

// Values that describe a network and its outage over the outage's own times (start, restoration): they hold at
// every instant the outage clock is read. Every other fact carries no time of its own and holds from when it was
// recorded, or from the time the user gave (`set … at <time>`); an undeterminable grade holds from discovery (Art. 12).
const OWN_TIME = /^networks\.\d+\.(ref|name|protectionLevel|keyNetwork|financialService|disrupted|outage\.(start|restored|failureRatePercent|provinces|priorMinutes|priorPeakMinutes))$/;

/** When a recorded fact became true, for facts without a time of their own. */
export function factSince(s: IncidentState, path: string): number {
  if (OWN_TIME.test(path)) return -Infinity;
  if (path === 'undeterminable') return s.createdAt;
  const by = s.valueBy[path];
  return by ? by.since ?? by.at : s.createdAt;
}

/** The recorded values as they stood at instant t (facts known now, each from its own time). */
function valuesAsOf(s: IncidentState, t: number): { values: Record<string, FieldValue>; unknowns: string[] } {
  const values = Object.fromEntries(Object.entries(s.values).filter(([p]) => factSince(s, p) <= t));
  return { values, unknowns: t >= s.createdAt ? s.unknowns : [] };
}

export interface Crossing {
  atMs: number; // the instant the facts first met this grade
  grade: Grade;
  result: GradeResult;
}

/**
 * The instants at which the facts known now met each higher grade, up to nowMs: each outage or disruption
 * duration when it crossed its threshold (however late it was typed), each timeless fact when it became true.
 * Rising grades only, first instant of each, in time order.
 */
export function crossings(s: IncidentState, nowMs: number, ctx: AssessContext): Crossing[] {
  const candidates = new Set<number>([s.createdAt, nowMs]);
  for (const p of Object.keys(s.values)) {
    const since = factSince(s, p);
    if (Number.isFinite(since)) candidates.add(since);
  }
  for (const i of networkIndexes(s.values, s.unknowns)) {
    const live = liveOutage(s.values, i);
    const windows = peakWindowsOf(s.values, i, ctx) ?? [];
    if (live) for (const t of outageCrossings(live, windows, ctx.rules, ctx.calendar)) candidates.add(t);
    const start = s.values[`networks.${i}.outage.start`];
    const prior = s.values[`networks.${i}.outage.priorMinutes`];
    // Art. 10(3): a disruption lasting 1 h, counted from the outage start.
    if (typeof start === 'number') candidates.add(start + Math.max(0, ART10.disruptedMinutes - (typeof prior === 'number' ? prior : 0)) * MIN_MS);
  }
  const out: Crossing[] = [];
  let best: Grade | null = null;
  for (const t of [...candidates].filter((x) => x <= nowMs).sort((a, b) => a - b)) {
    const { values, unknowns } = valuesAsOf(s, t);
    const result = gradeFacts(withUnknowns(values, unknowns, t, ctx).facts, ctx.rules);
    if (best === null || LEVEL[result.grade] < LEVEL[best]) {
      out.push({ atMs: t, grade: result.grade, result });
      best = result.grade;
    }
  }
  return out;
}

/**
 * What the facts require by nowMs and the record does not yet have: each grade raise, dated when the facts met
 * it (Art. 12 ¶3: at once), and a clock start moved earlier when facts recorded later show its criterion was met
 * earlier (a late-typed outage: T0 at the threshold's own instant). Nothing here moves a clock later; after a
 * person corrected T0 with a reason, T0 is theirs (the card shows both).
 */
export function pendingRaises(s: IncidentState, nowMs: number, ctx: AssessContext, actor = 'bot'): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  const steps = crossings(s, nowMs, ctx);
  let current = s.grade;
  for (const c of steps) {
    if (current !== null && !(LEVEL[c.grade] < LEVEL[current])) continue;
    events.push({ type: 'grade-raised', at: nowMs, actor, from: current, to: c.grade, effectiveAt: c.atMs, basis: recordBasis(c.result) });
    current = c.grade;
  }
  const after = events.reduce(apply, s);
  const first = (g: Grade) => steps.find((c) => atLeast(c.grade, g));
  const reached = first('较大');
  if (reached && after.t0 !== null && reached.atMs < after.t0 && !s.corrections.some((c) => c.field === 't0')) {
    events.push({ type: 'clock-earlier', at: nowMs, actor, clock: 't0', from: after.t0, to: reached.atMs, basis: recordBasis(reached.result) });
  }
  const major = first('重大');
  if (major && after.majorAt !== null && major.atMs < after.majorAt) {
    events.push({ type: 'clock-earlier', at: nowMs, actor, clock: 'major', from: after.majorAt, to: major.atMs, basis: recordBasis(major.result) });
  }
  return events;
}

// Each criterion below against its article's conditions, and the test that shows it: docs/compliance/grading-table.md.
import { both, type Localized } from '../../i18n/index.ts';
import type { Facts, NetworkFacts } from './facts.ts';
import { GRADES, LEVEL, higher, type Grade } from './grades.ts';
import { matchInstitutionRules, type InstitutionRule } from './institution-rules.ts';
import { ART10, ART12, ART31, ART7, ART8, ART9 } from './rules.ts';

export interface BasisEntry {
  article: number;
  item: number | null;
  grade: Grade; // the grade this criterion alone gives
  reason: Localized;
  network?: string; // which network, for per-network criteria (Art. 12 ¶2)
  rule?: string; // institution rule id (Art. 6)
}

/** A criterion that an unanswered flag keeps open: answering `field` with `answer` would give `grade`. */
export interface Unsettled {
  field: string;
  answer: boolean;
  grade: Grade;
}

export interface GradeResult {
  grade: Grade;
  level: 1 | 2 | 3 | 4;
  basis: BasisEntry[]; // every criterion met, most severe first
  criteriaMet: boolean; // false: no Art. 7-10 criterion met (graded 一般 by our reading)
  statutoryGrade: Grade; // grade under Art. 7-12 alone, before institution rules
  institutionRules: string[]; // ids of institution rules that raised or matched the grade
  networks: Array<{ index: number; name: string; grade: Grade | null }>;
  unsettled: Unsettled[];
}

// Art. 7-9 item 1: peak-hour whole interruption of a key network's main function (minutes).
const KEY_OUTAGE: Array<{ grade: Grade; article: number; multi: number; single: number }> = [ART7, ART8, ART9].map((a, i) => ({
  grade: a.grade, article: 7 + i, multi: a.keyOutage.multiProvinceMinutes, single: a.keyOutage.singleProvinceMinutes,
}));
// Art. 7-10 item 2: natural persons / organisations actually affected.
const AFFECTED: Array<{ grade: Grade; article: number; persons: number; orgs: number }> = [ART7, ART8, ART9, ART10].map((a, i) => ({
  grade: a.grade, article: 7 + i, persons: a.affected.persons, orgs: a.affected.orgs,
}));
// Art. 31(4): whole interruption means the failure share EXCEEDS 70%.
export const WHOLE_INTERRUPTION_PERCENT = ART31.wholeInterruptionPercent;
// Art. 7(4), 8(4), 9(3): records leaked.
const [s7, s8] = [ART7.leaked.sensitivePersonalInfoRecords, ART8.leaked.sensitivePersonalInfoRecords];
const [p7, p8, p9] = [ART7.leaked.personalInfoRecords, ART8.leaked.personalInfoRecords, ART9.leaked.personalInfoRecords];
const ARTICLE_OF: Record<Grade, number> = { 特别重大: 7, 重大: 8, 较大: 9, 一般: 10 };

/** The duration (minutes) an Art. 7-10 criterion with a time of its own runs to, or null for one without. */
export function criterionMinutes(article: number, item: number | null, provinces: number): number | null {
  if (item === 1 && article >= 7 && article <= 9) {
    const row = KEY_OUTAGE.find((r) => r.article === article)!;
    return provinces >= 2 ? row.multi : row.single;
  }
  if (article === 10 && item === 1) return ART10.financialOutageMinutes;
  if (article === 10 && item === 3) return ART10.disruptedMinutes;
  return null;
}

export function isWholeInterruption(failureRatePercent: number): boolean {
  return failureRatePercent > WHOLE_INTERRUPTION_PERCENT;
}

function networkName(n: NetworkFacts, index: number): string {
  return n.name ?? `#${index + 1}`;
}

/** Criteria met by one network (Art. 7-10 items 1-3), given its flags as they are. */
function networkCriteria(n: NetworkFacts, name: string): BasisEntry[] {
  const out: BasisEntry[] = [];
  const o = n.outage;
  const whole = o !== undefined && isWholeInterruption(o.failureRatePercent) && o.provinces >= 1;
  if (whole && n.keyNetwork === true) {
    for (const row of KEY_OUTAGE) {
      const threshold = o.provinces >= 2 ? row.multi : row.single;
      if (o.peakMinutes >= threshold) {
        const p = { provinces: o.provinces, peakMinutes: o.peakMinutes, threshold, rate: o.failureRatePercent };
        out.push({ article: row.article, item: 1, grade: row.grade, reason: both('grade.keyOutage', p), network: name });
        break;
      }
    }
  }
  // Art. 7-10 item 2 counts people "affected" by a main function "出现中断、超时报错等情形，导致业务无法正常开展":
  // an explicit "not disrupted" rules it out; a whole interruption or disrupted minutes show it; unsaid, counts stand.
  const disruptedMain = n.mainFunctionDisrupted !== false || whole || (n.mainFunctionDisruptedMinutes ?? 0) > 0;
  if (n.financialService === true) {
    // Art. 10(1): one province or more, any time of day, 30 min.
    if (whole && o.totalMinutes >= ART10.financialOutageMinutes) {
      const p = { provinces: o.provinces, totalMinutes: o.totalMinutes, rate: o.failureRatePercent };
      out.push({ article: 10, item: 1, grade: '一般', reason: both('grade.outage10', p), network: name });
    }
    const persons = n.affectedNaturalPersons ?? 0;
    const orgs = n.affectedOrganizations ?? 0;
    const byPersons = disruptedMain ? AFFECTED.find((r) => persons >= r.persons) : undefined;
    const byOrgs = disruptedMain ? AFFECTED.find((r) => orgs >= r.orgs) : undefined;
    if (byPersons) {
      const reason = both('grade.persons', { count: persons, threshold: byPersons.persons });
      out.push({ article: byPersons.article, item: 2, grade: byPersons.grade, reason, network: name });
    }
    if (byOrgs) {
      const reason = both('grade.orgs', { count: orgs, threshold: byOrgs.orgs });
      out.push({ article: byOrgs.article, item: 2, grade: byOrgs.grade, reason, network: name });
    }
  }
  // Art. 10(3): any PBoC-domain network; a whole interruption is a disruption too.
  const disrupted = Math.max(n.mainFunctionDisruptedMinutes ?? 0, whole ? o.totalMinutes : 0);
  if (disrupted >= ART10.disruptedMinutes) {
    out.push({ article: 10, item: 3, grade: '一般', reason: both('grade.disrupted', { minutes: disrupted }), network: name });
  }
  return out;
}

function dataCriteria(facts: Facts): BasisEntry[] {
  const d = facts.data ?? {};
  const out: BasisEntry[] = [];
  const add = (article: number, item: number, grade: Grade, reason: Localized) => out.push({ article, item, grade, reason });
  if (d.coreData) add(7, 3, '特别重大', both('grade.coreData'));
  if (d.importantData) add(8, 3, '重大', both('grade.importantData'));
  const sensitive = d.sensitivePersonalInfoRecords ?? 0;
  // Reading: sensitive records are personal information too, so the larger count is used.
  const personal = Math.max(d.personalInfoRecords ?? 0, sensitive);
  if (sensitive >= s7) add(7, 4, ART7.grade, both('grade.sensitivePI', { count: sensitive, threshold: s7 }));
  else if (sensitive >= s8) add(8, 4, ART8.grade, both('grade.sensitivePI', { count: sensitive, threshold: s8 }));
  if (personal >= p7) add(7, 4, ART7.grade, both('grade.personalInfo', { count: personal, threshold: p7 }));
  else if (personal >= p8) add(8, 4, ART8.grade, both('grade.personalInfo', { count: personal, threshold: p8 }));
  else if (personal >= p9) add(9, 3, ART9.grade, both('grade.personalInfo', { count: personal, threshold: p9 }));
  const credit = d.creditOrPropertyRecords ?? 0;
  if (credit >= ART9.leaked.creditOrPropertyRecords) add(9, 3, ART9.grade, both('grade.creditProperty', { count: credit }));
  if (facts.ransomwareHarm) add(9, 4, '较大', both('grade.ransomware'));
  if (d.socialHarm) add(10, 4, '一般', both('grade.socialHarm'));
  // Art. 10(5): any leaked record is a personal-information incident.
  if (d.personalInfoIncident || personal > 0) add(10, 5, '一般', both('grade.piIncident'));
  else if (d.personalInfoIncidentPossible) add(10, 5, '一般', both('grade.piPossible'));
  return out;
}

function designationCriteria(facts: Facts): BasisEntry[] {
  return (facts.designations ?? []).map((d) => {
    const article = ARTICLE_OF[d.grade];
    if (d.by === 'pboc') {
      // Art. 7(6), 8(6): PBoC's written notice covers only the two top grades.
      if (d.grade === '特别重大' || d.grade === '重大') {
        return { article, item: 6, grade: d.grade, reason: both('grade.designation', { by: d.by, grade: d.grade }) };
      }
      return { article, item: null, grade: d.grade, reason: both('grade.pbocLower', { grade: d.grade }) };
    }
    // Art. 7-9 item 5, Art. 10 item 6: CAC or police.
    const item = d.grade === '一般' ? 6 : 5;
    return { article, item, grade: d.grade, reason: both('grade.designation', { by: d.by, grade: d.grade }) };
  });
}

function maxGrade(entries: readonly { grade: Grade }[]): Grade | null {
  return entries.reduce<Grade | null>((g, e) => (g === null ? e.grade : higher(g, e.grade)), null);
}

/** Flags left unanswered that would change the grade if answered `true`. */
function unsettledFlags(facts: Facts, current: Grade, basisFor: (f: Facts) => BasisEntry[]): Unsettled[] {
  const out: Unsettled[] = [];
  (facts.networks ?? []).forEach((n, i) => {
    for (const field of ['keyNetwork', 'financialService'] as const) {
      if (n[field] !== undefined) continue;
      const networks = (facts.networks ?? []).map((m, j) => (j === i ? { ...m, [field]: true } : m));
      const g = maxGrade(basisFor({ ...facts, networks }));
      if (g && LEVEL[g] < LEVEL[current]) out.push({ field: `networks.${i}.${field}`, answer: true, grade: g });
    }
  });
  return out;
}

function statutoryBasis(facts: Facts): BasisEntry[] {
  const perNetwork = (facts.networks ?? []).flatMap((n, i) => networkCriteria(n, networkName(n, i)));
  return [...perNetwork, ...dataCriteria(facts), ...designationCriteria(facts)];
}

const bySeverity = (a: BasisEntry, b: BasisEntry) => LEVEL[a.grade] - LEVEL[b.grade] || a.article - b.article;

/** Grades facts under Art. 6-12 and 31, then layers the institution's stricter rules (Art. 6), which only raise. */
export function grade(facts: Facts, rules: readonly InstitutionRule[] = []): GradeResult {
  const basis = statutoryBasis(facts);
  const criteriaMet = basis.length > 0;
  if (facts.undeterminable) {
    // Art. 12 ¶1: cannot be determined against the criteria -> at least 较大.
    basis.push({ article: 12, item: null, grade: ART12.undeterminableGrade, reason: both('grade.undeterminable') });
  }
  const statutoryGrade = maxGrade(basis) ?? '一般';
  const matched = matchInstitutionRules(facts, rules);
  for (const r of matched) {
    basis.push({ article: 6, item: null, grade: r.grade, reason: both('grade.institution', { name: r.name }), rule: r.id });
  }
  const finalGrade = maxGrade(basis) ?? '一般';
  if (basis.length === 0) {
    basis.push({ article: 6, item: null, grade: '一般', reason: both('grade.none') });
  }
  basis.sort(bySeverity);
  const networks = (facts.networks ?? []).map((n, index) => {
    const name = networkName(n, index);
    return { index, name, grade: maxGrade(networkCriteria(n, name)) };
  });
  return {
    grade: finalGrade,
    level: LEVEL[finalGrade],
    basis,
    criteriaMet: criteriaMet || matched.length > 0,
    statutoryGrade,
    institutionRules: matched.map((r) => r.id),
    networks,
    unsettled: unsettledFlags(facts, finalGrade, statutoryBasis),
  };
}

export { GRADES };

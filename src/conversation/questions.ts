import { t, type Lang } from '../i18n/index.ts';
import { factsAt, withWorstAnswer, type Assessment } from '../incident/assess.ts';
import { CATEGORIES, FIELDS, type FieldDef, type FieldType } from '../incident/fields.ts';
import type { IncidentState } from '../incident/state.ts';
import { grade as gradeFacts, isWholeInterruption } from '../regimes/pboc-2025-4/grading.ts';
import { GRADE_EN, GRADES, LEVEL, atLeast } from '../regimes/pboc-2025-4/grades.ts';
import { formatShanghai } from './parse.ts';
import { hasProfile, incidentObligations, profileOf, regulatedBy } from '../incident/obligations.ts';
import type { BotConfig, Option, QuestionView, Session } from './types.ts';

/** A question of the flow: asks for one field of network 0 or the incident. */
interface Question {
  id: string;
  path: string;
  always?: boolean; // asked even when it cannot change the grade (it changes report contents)
  applies: (s: IncidentState, a: Assessment, config: BotConfig, nowMs: number) => boolean;
}

const v = (s: IncidentState, p: string) => s.values[p];
const disrupted = (s: IncidentState) => v(s, 'networks.0.disrupted') === true;
// Art. 31(4), as grading reads it: whole interruption only above the rule table's share.
const whole = (s: IncidentState) => {
  const rate = v(s, 'networks.0.outage.failureRatePercent');
  return typeof rate === 'number' && isWholeInterruption(rate);
};
const otherNetwork = (s: IncidentState) => v(s, 'networks.0.ref') === 'other' || s.unknowns.includes('networks.0.ref');
const isKey = (s: IncidentState, a: Assessment) => a.facts.networks?.[0]?.keyNetwork === true;
const hasWindows = (s: IncidentState, c: BotConfig) =>
  (c.assess.networks.find((n) => n.id === v(s, 'networks.0.ref'))?.peakWindows ?? []).length > 0;
const piInvolved = (s: IncidentState) => v(s, 'data.personalInfoIncident') === true;
const always = () => true;
// The other regimes' facts are asked only of an institution whose file has a `profile:` (src/regimes), and only
// what its profile makes relevant: CII outage for a CII operator, NFRA's triggers where NFRA regulates it.
const profiled = (_s: IncidentState, _a: Assessment, c: BotConfig) => hasProfile(c.assess);
const cii = (s: IncidentState, a: Assessment, c: BotConfig) => profiled(s, a, c) && profileOf(c.assess).ciiOperator === true && disrupted(s);
const nfra = (s: IncidentState, a: Assessment, c: BotConfig) => profiled(s, a, c) && regulatedBy(c.assess, 'nfra');
// CAC's Art. 7 ¶2 supplementary report hangs on cause and impact: asked once a CAC report is due.
const cacReportable = (s: IncidentState, a: Assessment, c: BotConfig, nowMs: number) =>
  profiled(s, a, c) && incidentObligations(s, nowMs, c.assess, a).some((o) => o.regime === 'cac');

// The order of the issue: time, network, disruption, outage, people, data, ransomware, designations, opinion, secrets, crime, category.
export const QUESTIONS: Question[] = [
  { id: 'occurredAt', path: 'occurredAt', applies: always },
  { id: 'network', path: 'networks.0.ref', applies: always },
  { id: 'networkName', path: 'networks.0.name', applies: otherNetwork },
  { id: 'keyNetwork', path: 'networks.0.keyNetwork', applies: otherNetwork },
  { id: 'financialService', path: 'networks.0.financialService', applies: otherNetwork },
  { id: 'protectionLevel', path: 'networks.0.protectionLevel', applies: otherNetwork },
  { id: 'disrupted', path: 'networks.0.disrupted', applies: always },
  { id: 'outageStart', path: 'networks.0.outage.start', applies: disrupted },
  { id: 'outageRestored', path: 'networks.0.outage.restored', applies: disrupted },
  { id: 'failureRate', path: 'networks.0.outage.failureRatePercent', applies: disrupted },
  { id: 'provinces', path: 'networks.0.outage.provinces', applies: (s) => disrupted(s) && whole(s) },
  { id: 'peakMinutes', path: 'networks.0.outage.peakMinutes', applies: (s, a, c) => disrupted(s) && whole(s) && isKey(s, a) && !hasWindows(s, c) },
  { id: 'persons', path: 'networks.0.affectedNaturalPersons', applies: (s, a) => disrupted(s) && a.facts.networks?.[0]?.financialService !== false },
  { id: 'orgs', path: 'networks.0.affectedOrganizations', applies: (s, a) => disrupted(s) && a.facts.networks?.[0]?.financialService !== false },
  { id: 'coreData', path: 'data.coreData', applies: always },
  { id: 'importantData', path: 'data.importantData', applies: always },
  // Art. 20: personal information changes what the reports must contain, whatever the grade.
  { id: 'piIncident', path: 'data.personalInfoIncident', applies: always, always: true },
  { id: 'personalInfo', path: 'data.personalInfoRecords', applies: piInvolved },
  { id: 'cacPersons', path: 'cac.personalInfoPersons', applies: (s, a, c) => piInvolved(s) && profiled(s, a, c) },
  { id: 'sensitivePI', path: 'data.sensitivePersonalInfoRecords', applies: piInvolved },
  { id: 'creditProperty', path: 'data.creditOrPropertyRecords', applies: piInvolved },
  { id: 'socialHarm', path: 'data.socialHarm', applies: (s) => s.values['data.coreData'] === true || s.values['data.importantData'] === true || piInvolved(s) },
  { id: 'ransomware', path: 'ransomwareHarm', applies: always },
  { id: 'directLoss', path: 'cac.directLossYuan', applies: profiled },
  { id: 'expectedLoss', path: 'nfra.expectedLossYuan', applies: nfra },
  { id: 'population', path: 'cac.populationAffectedPersons', applies: (s, a, c) => profiled(s, a, c) && disrupted(s) },
  { id: 'ciiWhole', path: 'cac.ciiWholeOutageMinutes', applies: cii },
  { id: 'ciiMain', path: 'cac.ciiMainFunctionOutageMinutes', applies: cii },
  { id: 'nfraOutage', path: 'nfra.importantSystemOutageMinutes', applies: (s, a, c) => nfra(s, a, c) && disrupted(s) },
  { id: 'designationCac', path: 'designations.cac', applies: always },
  { id: 'designationPolice', path: 'designations.police', applies: always },
  { id: 'designationPboc', path: 'designations.pboc', applies: always },
  // Art. 15 ¶2: public opinion matters only below 较大.
  { id: 'publicOpinion', path: 'publicOpinion', applies: (_s, a) => !atLeast(a.grade, '较大') },
  { id: 'workSecrets', path: 'workSecrets', applies: always },
  { id: 'suspectedCrime', path: 'suspectedCrime', applies: always },
  { id: 'causeKnown', path: 'cac.causeKnown', applies: cacReportable },
  { id: 'impactKnown', path: 'cac.impactKnown', applies: cacReportable },
  { id: 'category', path: 'category', applies: always },
];

export function fieldDef(path: string): FieldDef {
  const def = FIELDS.find((d) => d.path === path.replace(/^networks\.\d+\./, 'networks.N.'));
  if (!def) throw new Error(`no field ${path}`);
  return def;
}

/** True when some answer to `path` could still raise the grade (so asking is worth it). */
function couldChangeGrade(s: IncidentState, a: Assessment, path: string, nowMs: number, config: BotConfig): boolean {
  if (a.grade === '特别重大') return false;
  const values = withWorstAnswer(s.values, path, nowMs);
  // Later questions in the chain (outage start, rate, provinces) may unlock the grade; assume their worst too.
  if (path.startsWith('networks.0.')) {
    for (const [p, w] of [['networks.0.disrupted', true], ['networks.0.outage.start', nowMs - 30 * 86_400_000], ['networks.0.outage.failureRatePercent', 100], ['networks.0.outage.provinces', 34], ['networks.0.affectedNaturalPersons', 1e12]] as const) {
      if (!(p in s.values) && p !== path) values[p] = w;
    }
  }
  const g = gradeFacts(factsAt(values, s.unknowns, nowMs, config.assess), config.assess.rules).grade;
  return LEVEL[g] < LEVEL[a.grade];
}

/** The next question worth asking, or null when the flow is complete. */
export function nextQuestion(s: IncidentState, session: Session, nowMs: number, config: BotConfig, a: Assessment): { id: string; path: string } | null {
  for (const q of QUESTIONS) {
    if (q.path in s.values || s.unknowns.includes(q.path)) continue;
    if (session.skipped.includes(`${s.id}:${q.id}`)) continue;
    if (!q.applies(s, a, config, nowMs)) continue;
    const def = fieldDef(q.path);
    if (def.gradeRelevant && !q.always && !couldChangeGrade(s, a, q.path, nowMs, config)) continue;
    return { id: q.id, path: q.path };
  }
  return null;
}

const ANSWER_TYPE: Record<FieldType, QuestionView['answerType']> = {
  count: 'number', yuan: 'number', minutes: 'duration', percent: 'percent', bool: 'yesno', time: 'time', 'time-or-no': 'time',
  level: 'choice', 'grade-or-none': 'choice', category: 'choice', text: 'text', network: 'choice',
};

/** A ransomware attack is malware under GB/T 20986-2023: the category question proposes it. */
function proposal(id: string, lang: Lang, s?: IncidentState): string {
  if (id !== 'category' || s?.values.ransomwareHarm !== true) return '';
  const n = CATEGORIES.findIndex((c) => c.value === 'malware') + 1;
  return t(lang, 'q.categoryRansomware', { n });
}

/** What to type: a count of provinces is not a count of people; a list that starts with 无 says so. */
function hintOf(path: string, type: FieldType, lang: Lang): string {
  if (path.endsWith('outage.provinces')) return t(lang, 'hint.provinces');
  if (type === 'grade-or-none') return t(lang, 'hint.choiceNone');
  if (type === 'yuan') return t(lang, 'hint.yuan');
  return t(lang, `hint.${ANSWER_TYPE[type]}` as 'hint.time');
}

/** The platform-neutral view of a question, in the session's language. */
export function questionView(q: { id: string; path: string }, incidentId: string, lang: Lang, config: BotConfig, s?: IncidentState): QuestionView {
  const def = fieldDef(q.path);
  let options: Option[] = [];
  if (def.type === 'bool') options = [{ value: 'yes', label: t(lang, 'answer.yes') }, { value: 'no', label: t(lang, 'answer.no') }];
  if (def.type === 'network') options = [...config.assess.networks.map((n) => ({ value: n.id, label: n.name })), { value: 'other', label: t(lang, 'answer.otherNetwork') }];
  if (def.type === 'category') options = CATEGORIES.map((c) => ({ value: c.value, label: lang === 'en' ? c.en : c.zh }));
  // Art. 7(6), 8(6): a PBoC written notice designates only 特别重大 or 重大; the CAC and the police any grade.
  const designable = q.path === 'designations.pboc' ? GRADES.filter((g) => g === '特别重大' || g === '重大') : GRADES;
  if (def.type === 'grade-or-none') options = [{ value: 'none', label: t(lang, 'answer.none') }, ...designable.map((g) => ({ value: g, label: lang === 'en' ? GRADE_EN[g] : g }))];
  if (def.type === 'level') options = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t(lang, 'answer.level', { n }) }));
  if (def.type === 'time-or-no') options = [{ value: 'no', label: t(lang, 'answer.notRestored') }];
  // The outage usually began when the incident did: offer that time as a one-click answer.
  const occurred = s?.values.occurredAt;
  if (q.id === 'outageStart' && typeof occurred === 'number') options = [{ value: formatShanghai(occurred), label: t(lang, 'answer.sameAsOccurred', { at: formatShanghai(occurred).slice(0, 16) }) }];
  return {
    id: q.id,
    incidentId,
    path: q.path,
    prompt: t(lang, `q.${q.id}` as 'q.occurredAt') + proposal(q.id, lang, s),
    answerType: ANSWER_TYPE[def.type],
    options,
    allowUnknown: def.gradeRelevant,
    hint: hintOf(q.path, def.type, lang),
  };
}

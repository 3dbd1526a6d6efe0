import { merge } from './merge.ts';
import type { zhCN } from './zh-CN.ts';
import { enChat } from './en-chat.ts';
import { enAlerts } from './en-alerts.ts';
import { GRADE_EN, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import { enRecord } from './record.en.ts';
import { enAmend } from './amend.en.ts';
import { enReports } from './reports.en.ts';
import { enWeb } from './web.en.ts';
import { ART10, ART17, ART9 } from '../regimes/pboc-2025-4/rules.ts';
import { enRefusals } from './refusals.en.ts';
import { enObligations } from './obligations.en.ts';

// English catalog: the same keys and parameters as zh-CN.
// One formatter per catalog: toLocaleString would rebuild it on every call when languages alternate.
// Made on first use (building an Intl formatter loads ICU data).
let NUM: Intl.NumberFormat | undefined;
const num = (n: number) => (NUM ??= new Intl.NumberFormat('en')).format(n);
const scope = (p: { provinces: number }) => (p.provinces >= 2 ? `${p.provinces} provinces` : 'a single province');
const by = { cac: 'the CAC', police: 'the police', pboc: 'the PBoC' } as const;

const rules: Omit<typeof zhCN, keyof typeof enChat | keyof typeof enAlerts | keyof typeof enRecord | keyof typeof enAmend | keyof typeof enReports | keyof typeof enWeb | keyof typeof enObligations | keyof typeof enRefusals> = {
  'grade.keyOutage': (p) =>
    `Key network: main function wholly interrupted in ${scope(p)} for ${fmtMin(p.peakMinutes)} during peak hours (${p.rate}% unprocessed or failed), reaching ${fmtMin(p.threshold)}`,
  'grade.outage10': (p) =>
    `Financial-service network: main function wholly interrupted in ${scope(p)} for ${fmtMin(p.totalMinutes)} (${p.rate}%), reaching ${fmtMin(ART10.financialOutageMinutes)}`,
  'grade.persons': (p) =>
    `Financial-service network disrupted: ${num(p.count)} natural persons actually affected, reaching ${num(p.threshold)}`,
  'grade.orgs': (p) =>
    `Financial-service network disrupted: ${num(p.count)} legal persons and other organisations affected, reaching ${num(p.threshold)}`,
  'grade.disrupted': (p) => `Main function disrupted so business cannot proceed for ${fmtMin(p.minutes)}, reaching ${fmtMin(ART10.disruptedMinutes)}`,
  'grade.coreData': 'Core data in a PBoC business domain tampered with, destroyed or leaked',
  'grade.importantData': 'Important data in a PBoC business domain tampered with, destroyed or leaked',
  'grade.sensitivePI': (p) =>
    `${num(p.count)} sensitive personal information records leaked, reaching ${num(p.threshold)}`,
  'grade.personalInfo': (p) =>
    `${num(p.count)} personal information records leaked, reaching ${num(p.threshold)}`,
  'grade.creditProperty': (p) => `${num(p.count)} credit-reporting or property records leaked, reaching ${num(ART9.leaked.creditOrPropertyRecords)}`,
  'grade.ransomware': 'Ransomware attack that has already caused harm',
  'grade.socialHarm': 'Data tampered with, destroyed or leaked, causing social harm',
  'grade.piIncident': 'Personal information leaked, tampered with or lost, or may be',
  'grade.piPossible': 'Personal information may have been leaked, tampered with or lost (not yet known; Art. 10(5) covers "may")',
  'grade.designation': (p) => `${by[p.by]} has stated the grade is ${GRADE_EN[p.grade as Grade] ?? p.grade}`,
  'grade.pbocLower': (p) =>
    `The PBoC notified ${GRADE_EN[p.grade as Grade] ?? p.grade} in writing (Art. 7-8 item 6 cover only the two top grades; applied as a floor)`,
  'grade.undeterminable': 'The grade cannot be determined against the criteria: at least Significant',
  'grade.none': 'No criterion of Articles 7 to 10 is met; recorded at the lowest grade, General',
  'grade.institution': (p) => `Institution standard: ${p.name}`,
  'deadline.committedBeyond40': (p) =>
    `The committed date ${p.committed} is later than ${ART17.committedLimitWorkingDays} working days after handling ended (${p.limit}); Art. 17 expects it by then in principle`,
  'deadline.provisional': (p) =>
    `Deadline ${p.date} crosses a year whose State Council holiday schedule is not loaded: provisional (weekends and fixed statutory holidays only); once the notice is published, load it with pboc-incident holidays import <notice text> --write <institution file> and restart the bot`,
  "route.pboc-head-office": (_p) => "Report to the PBoC head office",
  "route.pboc-branch": (_p) => "Report to the PBoC branch where you are located",
  "route.csrc-office-relay": (_p) => "Report via the local CSRC office, which relays to the PBoC branch at the same level (timeliness must be kept)",
  "route.relayMajor": "The receiving PBoC branch relays it up to the PBoC head office (Major and above)",
  "route.relaySignificant": "A separately-listed-city (not Shenzhen) or prefecture branch relays it to the provincial branch (Significant and above)",
  "item.initialGrade": "Initial grade",
  "item.occurredAt": "Time of occurrence",
  "item.category": "Category (GB/T 20986-2023)",
  "item.networks": "Affected PBoC-domain networks and their protection levels",
  "item.dataCentres": "Data centres involved",
  "item.reportingInstitution": "Reporting institution and time",
  "item.reporter": "Reporter and contact",
  "item.impactScope": "Scope and degree of impact",
  "item.measures": "Measures taken and their effect",
  "item.attackAnalysis": "Analysis of the network attack",
  "item.latestGrade": "Latest grade",
  "item.impactChange": "Change in impact",
  "item.handlingProgress": "Handling progress",
  "item.nextSteps": "Next steps",
  "item.coordinationNeeded": "Coordination needed from PBoC (if any)",
  "item.finalGrade": "Final grade",
  "item.handlingHistory": "Handling history",
  "item.lossAssessment": "Impact and loss assessment",
  "item.rootCause": "Technical or management root cause",
  "item.lessons": "Lessons learned",
  "item.improvements": "Improvements",
  "item.signer": "Signer",
  "item.piRemedies": "Remedial measures taken",
  "item.piNotification": "How individuals were notified",
  "item.piMitigationAdvice": "What individuals were told they can do",
  "item.accountability": "Accountability of the responsible managers and staff, and how it was handled",
  "item.mitigationClaims": "Grounds for reduced accountability, with evidence (if claimed)",
  "item.committedDate": "Committed date for the post-incident report",
  "item.preliminaryReason": "Why the post-incident report cannot be on time",
  'grade.network': (p) => `network "${p.name}"`,
};

export const en: typeof zhCN = merge(rules, enChat, enAlerts, enRecord, enAmend, enReports, enWeb, enObligations, enRefusals);

function fmtMin(m: number): string {
  const h = Math.floor(m / 60);
  const r = Math.floor(m % 60);
  if (h === 0) return `${r} min`;
  return r === 0 ? `${h} h` : `${h} h ${r} min`;
}

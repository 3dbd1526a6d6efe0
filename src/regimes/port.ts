// The regime port: every reporting regime an incident falls under (PBoC Order 2025-4 Art. 4: the institution also
// reports under the other regulators' rules, and to the police for a suspected crime) is one folder under
// src/regimes/<id>/ exporting a `Regime`, and one line in ./registry.ts. A regime is data plus pure functions: from
// the institution's profile and the incident's facts it gives obligations, each with its article, recipient and clock.
import type { Localized } from '../i18n/index.ts';
import type { Calendar } from '../calendar/working-days.ts';
import type { Grade } from './pboc-2025-4/grades.ts';
import type { Facts } from './pboc-2025-4/facts.ts';
import type { DeadlineResult } from './pboc-2025-4/deadlines.ts';

export const REGIME_IDS = ['pboc', 'cac', 'nfra', 'csrc', 'police', 'pipl'] as const;
export type RegimeId = (typeof REGIME_IDS)[number];
export type ObligationStatus = 'pending' | 'met' | 'overdue';

/** The institution's standing facts that decide which regimes bind it and how (institution file, `profile:`). */
export interface RegimeProfile {
  ciiOperator?: boolean; // 关键信息基础设施运营者
  ciiProtectionDepartment?: string; // its 保护工作部门 (CAC's recipient for a CII operator)
  centralOrgan?: boolean; // 中央和国家机关
  province?: string;
  regulators?: Array<'pboc' | 'nfra' | 'csrc'>; // PBoC always binds (the bot's reason to exist)
  netCapitalYuan?: number; // 资本净额, for NFRA's percentage thresholds
}

/** CAC's annex (《网络安全事件分级指南》) counts persons, not records; asked separately from PBoC's records. */
export interface CacFacts {
  personalInfoPersons?: number;
  directLossYuan?: number;
  populationAffectedPersons?: number;
  provincePopulationSharePercent?: number;
  ciiWholeOutageMinutes?: number;
  ciiMainFunctionOutageMinutes?: number;
  designation?: Grade; // a grade set by the 网信部门
  /** More than 50% of one city's population affected (the annex's 重大 population cell). */
  cityPopulationSharePercent?: number;
  /** The moment the event reached 较大 under the annex, when that was after discovery (the clock runs from it). */
  reachedSignificantAtMs?: number;
  /** false: the cause is not yet known within the initial clock, so a supplementary report (补报) follows. */
  causeKnown?: boolean;
  /** false: the impact is not yet known within the initial clock, so a supplementary report (补报) follows. */
  impactKnown?: boolean;
}

/** NFRA operational-risk Art. 42 triggers. */
export interface NfraFacts {
  lossYuan?: number;
  expectedLossYuan?: number;
  importantDataLost?: boolean;
  importantSystemOutageMinutes?: number;
  provinces?: number;
}

/** A report made under a regime, as recorded (`report <regime> <kind> …`). */
export interface RegimeReport {
  regime: RegimeId;
  kind: string;
  atMs: number;
}

/** An unverified value a regime uses: shown as 未核实 with the institution-file key that sets it. */
export interface UnverifiedSetting {
  key: string; // e.g. "regimes.csrc.writtenReportHours"
  value: number | string | boolean | null; // null: no default known, nothing applied until the institution sets it
}

/** Everything a regime may read. PBoC's own clocks also need its timeline; see ./pboc-2025-4/regime.ts. */
export interface RegimeInput {
  profile: RegimeProfile;
  facts?: Facts; // PBoC's facts (records, outage, …)
  cac?: CacFacts;
  nfra?: NfraFacts;
  suspectedCrime?: boolean;
  personalInfoIncident?: boolean; // a leak, tampering or loss of personal information, even possible (PIPL Art. 57)
  /** PIPL Art. 57 ¶2: the measures taken effectively avoid the harm, so the individuals need not be notified. */
  personalInfoHarmAvoided?: boolean;
  discoveredAtMs: number;
  determinedAtMs?: number;
  resolvedAtMs?: number;
  reports: RegimeReport[];
  nowMs: number;
  calendar: Calendar;
  /** PBoC's clocks as computeDeadlines gives them (from the incident's assessment, or the CLI's input). */
  pbocDeadlines?: DeadlineResult;
  /** Institution overrides of unverified values, by key (`regimes:` block of the institution file). */
  settings?: RegimeSettings;
}

/** Overrides of unverified values, keyed without the `regimes.` prefix: `{ 'csrc.writtenReportHours': 24 }`. */
export type RegimeSettings = Record<string, number | string | boolean | null>;

export interface Obligation {
  regime: RegimeId;
  kind: string; // the regime's own report kind: 'initial', 'supplementary', 'summary', 'notify-individuals', …
  title: Localized; // e.g. 初次报告 / Initial report
  dueAtMs: number | null; // null for 立即 / 及时 without a fixed clock
  dueDate?: string; // working- or calendar-day clocks: the last Shanghai date (due at its 24:00)
  due?: '立即' | '及时';
  /** 立即 / 及时: when the duty arose; a 立即 duty counts as overdue one hour later if not met (rules.md reading). */
  arisesAtMs?: number;
  /** 立即: arisesAtMs + 1 h, the moment it turns overdue; absent for 及时 (never overdue, reminded daily). */
  overdueAtMs?: number;
  article: Localized; // citation in the regulation's style: 《国家网络安全事件报告管理办法》第六条
  recipient: Localized;
  status: ObligationStatus;
  metAtMs?: number;
  late?: boolean; // met after its due time
  provisional?: boolean; // a working-day clock across a year without an official holiday schedule
  verified: boolean; // false: a value from regimes.md marked [U]; `unverified` names the key
  unverified?: UnverifiedSetting[];
  basis?: Localized; // why it applies: the trigger met
  grade?: Grade; // the regime's own grade where it has one (CAC)
}

export interface ArticleText {
  cite: Localized;
  text: string; // verbatim only where we have the text (PBoC); else a summary, never presented as verbatim
  verbatim: boolean;
  source?: string;
}

export interface Regime {
  id: RegimeId;
  name: Localized; // 中国人民银行 / the PBoC
  short: Localized; // 人民银行 / PBoC
  /** Whether the regime binds this institution at all (profile), before any facts. */
  binds(profile: RegimeProfile): boolean;
  obligations(input: RegimeInput): Obligation[];
  articles: readonly ArticleText[];
}

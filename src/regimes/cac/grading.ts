// CAC's own grade from the annex 《网络安全事件分级指南》, decided separately from PBoC's (CAC counts persons, PBoC records).
import { atLeast, GRADE_EN, higher, type Grade } from '../pboc-2025-4/grades.ts';
import { loc, settingOf } from '../common.ts';
import type { Localized } from '../../i18n/index.ts';
import type { CacFacts, RegimeSettings, UnverifiedSetting } from '../port.ts';
import * as R from './rules.ts';

export interface CacCriterion {
  grade: Grade;
  reason: Localized;
  verified: boolean; // false: met only through an unverified threshold
  unverified?: UnverifiedSetting;
}

export interface CacGradeResult {
  grade: Grade; // 一般 when no criterion of the annex is met
  reportable: boolean; // 较大 and above
  criteria: CacCriterion[];
  /** True when the grade rests on a verified criterion (or a designation); false when only [U] values reach it. */
  verified: boolean;
  unverified: UnverifiedSetting[]; // the keys the grade rests on when it is not verified
  designated: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function byTable(value: number | undefined, table: ReadonlyArray<readonly [Grade, number]>, what: (g: Grade, min: number) => Localized): CacCriterion | undefined {
  if (value === undefined) return undefined;
  const row = table.find(([, min]) => value >= min);
  return row ? { grade: row[0], reason: what(row[0], row[1]), verified: true } : undefined;
}

/** The annex's grade of the CAC facts; a designation by the 网信部门 sets it. */
export function cacGrade(cac: CacFacts = {}, settings: RegimeSettings = {}): CacGradeResult {
  const criteria: CacCriterion[] = [];
  const push = (c: CacCriterion | undefined) => c && criteria.push(c);
  push(byTable(cac.personalInfoPersons, R.PERSONS, (g, min) => loc(`个人信息泄露 ${fmt(cac.personalInfoPersons!)} 人，达到"${g}"标准（${fmt(min)} 人以上）`, `personal information of ${fmt(cac.personalInfoPersons!)} persons leaked: ${GRADE_EN[g]} at ${fmt(min)} or more`)));
  push(byTable(cac.directLossYuan, R.LOSS_YUAN, (g, min) => loc(`直接经济损失 ${fmt(cac.directLossYuan!)} 元，达到"${g}"标准（${fmt(min)} 元以上）`, `direct economic loss of CNY ${fmt(cac.directLossYuan!)}: ${GRADE_EN[g]} at CNY ${fmt(min)} or more`)));
  if ((cac.provincePopulationSharePercent ?? 0) >= R.EXTREME_PROVINCE_SHARE_PERCENT) {
    push({ grade: '特别重大', verified: true, reason: loc(`影响一个或多个省份 ${cac.provincePopulationSharePercent}% 的人口（50% 以上）`, `${cac.provincePopulationSharePercent}% of one or more provinces’ population affected (50% or more)`) });
  }
  if ((cac.populationAffectedPersons ?? 0) >= R.EXTREME_POPULATION_PERSONS) {
    push({ grade: '特别重大', verified: true, reason: loc(`影响 ${fmt(cac.populationAffectedPersons!)} 人的工作生活（1000 万人以上）`, `${fmt(cac.populationAffectedPersons!)} persons affected in daily life (10,000,000 or more)`) });
  }
  if ((cac.cityPopulationSharePercent ?? 0) > R.MAJOR_CITY_SHARE_PERCENT) {
    push({ grade: '重大', verified: true, reason: loc(`影响一个地市 ${cac.cityPopulationSharePercent}% 的人口（超过 50%）`, `${cac.cityPopulationSharePercent}% of one city’s population affected (more than 50%)`) });
  }
  const pop = settingOf({ settings }, R.SIGNIFICANT_POPULATION);
  if (cac.populationAffectedPersons !== undefined && pop.value !== null && cac.populationAffectedPersons >= pop.value) {
    push({ grade: '较大', verified: false, unverified: pop.unverified, reason: loc(`影响 ${fmt(cac.populationAffectedPersons)} 人（${fmt(pop.value)} 人以上，未核实）`, `${fmt(cac.populationAffectedPersons)} persons affected (${fmt(pop.value)} or more, unverified)`) });
  }
  const whole = cac.ciiWholeOutageMinutes;
  const main = cac.ciiMainFunctionOutageMinutes;
  if ((whole ?? -1) >= R.EXTREME_CII_WHOLE_MINUTES || (main ?? -1) >= R.EXTREME_CII_MAIN_MINUTES) {
    push({ grade: '特别重大', verified: true, reason: loc('关键信息基础设施整体中断 6 小时以上或主要功能中断 24 小时以上', 'CII wholly interrupted 6 h or more, or its main function 24 h or more') });
  }
  for (const [g, w, m] of [['重大', R.MAJOR_CII_WHOLE, R.MAJOR_CII_MAIN], ['较大', R.SIGNIFICANT_CII_WHOLE, R.SIGNIFICANT_CII_MAIN]] as const) {
    const ws = settingOf({ settings }, w);
    const ms = settingOf({ settings }, m);
    if (whole !== undefined && ws.value !== null && whole >= ws.value) {
      push({ grade: g, verified: false, unverified: ws.unverified, reason: loc(`关键信息基础设施整体中断 ${whole} 分钟（${ws.value} 分钟以上，未核实）`, `CII wholly interrupted ${whole} min (${ws.value} min or more, unverified)`) });
    }
    if (main !== undefined && ms.value !== null && main >= ms.value) {
      push({ grade: g, verified: false, unverified: ms.unverified, reason: loc(`关键信息基础设施主要功能中断 ${main} 分钟（${ms.value} 分钟以上，未核实）`, `CII main function interrupted ${main} min (${ms.value} min or more, unverified)`) });
    }
  }
  if (cac.designation) {
    const g = cac.designation;
    return { grade: g, reportable: atLeast(g, R.REPORTABLE_FROM), criteria: [{ grade: g, verified: true, reason: loc(`网信部门已明确为"${g}"`, `the cyberspace administration (CAC) designated it ${GRADE_EN[g]}`) }, ...criteria], verified: true, unverified: [], designated: true };
  }
  const grade = criteria.reduce<Grade>((g, c) => higher(g, c.grade), '一般');
  const verifiedGrade = criteria.filter((c) => c.verified).reduce<Grade>((g, c) => higher(g, c.grade), '一般');
  // The grade is verified when verified criteria alone reach the same reportability and grade.
  const verified = verifiedGrade === grade;
  const unverified = verified ? [] : criteria.filter((c) => !c.verified && c.grade === grade).flatMap((c) => (c.unverified ? [c.unverified] : []));
  return { grade, reportable: atLeast(grade, R.REPORTABLE_FROM), criteria, verified, unverified, designated: false };
}

// CAC's rule table: 《国家网络安全事件报告管理办法》 (国家互联网信息办公室, published 2025-09-15, in force 2025-11-01) and its
// annex 《网络安全事件分级指南》. Official page: cac.gov.cn/2025-09/15/c_1759583017717009.htm. We do not hold the text:
// every summary below is ours (../shared/docs/regimes.md), never presented as verbatim. Each threshold is written once,
// here, right under the summary it comes from; [F] found in the text or a faithful copy, [U] not verified: an
// UnverifiedDefault, institution configuration under `regimes.cac.*`, shown as 未核实.
import type { Grade } from '../pboc-2025-4/grades.ts';
import { HOUR_MS, loc, type UnverifiedDefault } from '../common.ts';

export const MEASURE_ZH = '《国家网络安全事件报告管理办法》';
export const MEASURE_EN = 'CAC Measures for Reporting National Cybersecurity Incidents';
export const ANNEX_ZH = '《网络安全事件分级指南》';
export const SOURCE = 'cac.gov.cn/2025-09/15/c_1759583017717009.htm';

const WAN = 10_000;
const YI = 100_000_000;

// Annex, 特别重大/重大/较大 rows. "以上" includes the figure (>=).
// Personal information leaked [F]: ≥ 1亿 persons 特别重大; ≥ 1000万 重大; ≥ 100万 较大.
export const PERSONS: ReadonlyArray<readonly [Grade, number]> = [['特别重大', YI], ['重大', 1000 * WAN], ['较大', 100 * WAN]];
// Direct economic loss [F]: ≥ 1亿元 特别重大; ≥ 2000万元 重大; ≥ 500万元 较大.
export const LOSS_YUAN: ReadonlyArray<readonly [Grade, number]> = [['特别重大', YI], ['重大', 2000 * WAN], ['较大', 500 * WAN]];
// Population affected [F]: 特别重大 ≥ 50% of one or more provinces' population, or ≥ 1000万 persons in their daily life;
// 重大 more than 50% of one city's population (city-level portals down 6 h: not asked); 较大 [U], no figure known.
export const EXTREME_PROVINCE_SHARE_PERCENT = 50;
export const EXTREME_POPULATION_PERSONS = 1000 * WAN;
export const MAJOR_CITY_SHARE_PERCENT = 50; // strictly more than
export const SIGNIFICANT_POPULATION: UnverifiedDefault = {
  key: 'cac.significantPopulationPersons',
  default: null,
  unit: 'persons',
  about: loc('分级指南"较大"级受影响人口标准（未核实，无默认值：设定前不适用）', 'the annex’s Significant population-affected figure (unverified, no default: not applied until set)'),
};
// CII outage: 特别重大 [F] whole interruption ≥ 6 h, or main function ≥ 24 h; 重大 and 较大 [U], from the draft.
export const EXTREME_CII_WHOLE_MINUTES = 6 * 60;
export const EXTREME_CII_MAIN_MINUTES = 24 * 60;
export const MAJOR_CII_WHOLE: UnverifiedDefault = {
  key: 'cac.majorCiiWholeMinutes',
  default: 2 * 60,
  unit: 'minutes',
  about: loc('"重大"级关键信息基础设施整体中断时长（征求意见稿：2 小时，未核实）', 'CII whole outage for Major (draft: 2 h, unverified)'),
};
export const MAJOR_CII_MAIN: UnverifiedDefault = {
  key: 'cac.majorCiiMainMinutes',
  default: 6 * 60,
  unit: 'minutes',
  about: loc('"重大"级关键信息基础设施主要功能中断时长（征求意见稿：6 小时，未核实）', 'CII main-function outage for Major (draft: 6 h, unverified)'),
};
export const SIGNIFICANT_CII_WHOLE: UnverifiedDefault = {
  key: 'cac.significantCiiWholeMinutes',
  default: 30,
  unit: 'minutes',
  about: loc('"较大"级关键信息基础设施整体中断时长（征求意见稿：30 分钟，未核实）', 'CII whole outage for Significant (draft: 30 min, unverified)'),
};
export const SIGNIFICANT_CII_MAIN: UnverifiedDefault = {
  key: 'cac.significantCiiMainMinutes',
  default: 2 * 60,
  unit: 'minutes',
  about: loc('"较大"级关键信息基础设施主要功能中断时长（征求意见稿：2 小时，未核实）', 'CII main-function outage for Significant (draft: 2 h, unverified)'),
};

// Trigger [F]: on discovering or learning of an event the operator assesses it under the annex; 较大 and above are
// reportable. Reading: the clock runs from discovery when the event is 较大+ then, else from the moment it became 较大+.
export const REPORTABLE_FROM: Grade = '较大';

// Clocks [F]: CII operators → 保护工作部门 and 公安机关 within 1 hour; central and state organs → their own 网信工作机构
// within 2 hours; every other operator → the provincial 网信部门 where it is located within 4 hours.
export const CII_HOURS = 1;
export const CENTRAL_ORGAN_HOURS = 2;
export const OTHER_HOURS = 4;
export const hoursMs = (h: number): number => h * HOUR_MS;

// Art. 7 [F minimum]: where the cause or impact is not yet known within the clock, send the first items and
// supplement (补报) later. No clock is stated: a 及时 duty, reminded daily until recorded.
// Summary report (总结报告) [F]: within 30 calendar days after handling ends, by the same channel.
export const SUMMARY_DAYS = 30;

// Art. 7 [F minimum, U full list]: what the initial report carries (for the draft).
export const REPORT_ITEMS = [
  loc('事件发生单位名称及发生事件的设施、系统情况', 'the unit and the affected facility or system'),
  loc('发现或获知时间、事件类型、级别、影响及已采取措施和效果（勒索事件：赎金金额、方式、日期）', 'discovery time, type, level, impact, measures taken and their effect (ransomware: amount, method and date of the demand)'),
  loc('事态发展趋势', 'trend'),
  loc('初步原因', 'initial cause'),
  loc('攻击者、攻击路径、漏洞等线索', 'leads: attacker, path, vulnerabilities'),
  loc('下一步措施及需要的支持', 'next steps and support needed'),
  loc('现场保护情况', 'whether the scene is preserved'),
  loc('其他应当报告的情况', 'anything else to report'),
] as const;

// Channels [F]: 12387 hotline, 12387.cert.org.cn, WeChat account and mini-program, email, fax.
export const CHANNELS = loc('12387 热线、12387.cert.org.cn、微信公众号及小程序、电子邮件、传真', 'the 12387 hotline, 12387.cert.org.cn, the WeChat account and mini-program, email, fax');

export const UNVERIFIED: readonly UnverifiedDefault[] = [SIGNIFICANT_POPULATION, MAJOR_CII_WHOLE, MAJOR_CII_MAIN, SIGNIFICANT_CII_WHOLE, SIGNIFICANT_CII_MAIN];

// CAC (国家互联网信息办公室) as a regime: its own grade from the annex, the initial report within 1 / 2 / 4 hours by
// operator type, a supplementary report when cause or impact was unknown, the summary within 30 days after handling.
import { endOfShanghaiDate, shanghaiDate, startOfShanghaiDate, formatShanghaiMinute } from '../../calendar/time.ts';
import { GRADE_EN } from '../pboc-2025-4/grades.ts';
import { clocked, DAY_MS, firstReport, loc, timely } from '../common.ts';
import type { ArticleText, CacFacts, Obligation, Regime, RegimeInput, RegimeProfile } from '../port.ts';
import type { Facts } from '../pboc-2025-4/facts.ts';
import type { Localized } from '../../i18n/index.ts';
import { cacGrade } from './grading.ts';
import * as R from './rules.ts';

const cite = (zh: string, en: string): Localized => loc(`${R.MEASURE_ZH}${zh}`, `${R.MEASURE_EN}${en}`);

/** The initial-report clock and recipient by operator type (a CII operator's 1 h wins over a central organ's 2 h). */
export function cacChannel(profile: RegimeProfile): { hours: number; recipient: Localized; who: Localized } {
  if (profile.ciiOperator) {
    const dept = profile.ciiProtectionDepartment?.trim();
    return {
      hours: R.CII_HOURS,
      recipient: loc(`${dept ?? '本单位关键信息基础设施保护工作部门'}和公安机关`, `${dept ?? 'its critical information infrastructure protection department'} and the public security organ`),
      who: loc('关键信息基础设施运营者', 'a critical information infrastructure operator'),
    };
  }
  if (profile.centralOrgan) {
    return { hours: R.CENTRAL_ORGAN_HOURS, recipient: loc('本单位网信工作机构', 'its own cyberspace affairs office'), who: loc('中央和国家机关', 'a central or state organ') };
  }
  const p = profile.province?.trim();
  return {
    hours: R.OTHER_HOURS,
    recipient: loc(p ? `${p}省级网信部门` : '所在地省级网信部门', p ? `the provincial cyberspace administration of ${p}` : 'the provincial cyberspace administration where it is located'),
    who: loc('其他网络运营者', 'a network operator'),
  };
}

/**
 * PBoC's facts with CAC's designation added as a 网信部门 designation (PBoC Art. 7-10 item 5): a grade the 网信部门 sets
 * also sets PBoC's. Unchanged when there is none or PBoC's facts already carry that designation.
 */
export function withCacDesignation(facts: Facts | undefined, cac: CacFacts | undefined): Facts | undefined {
  const g = cac?.designation;
  if (!g) return facts;
  const designations = facts?.designations ?? [];
  if (designations.some((d) => d.by === 'cac' && d.grade === g)) return facts;
  return { ...(facts ?? {}), designations: [...designations, { by: 'cac', grade: g }] };
}

function obligations(input: RegimeInput): Obligation[] {
  const g = cacGrade(input.cac, input.settings);
  if (!g.reportable) return [];
  const { hours, recipient, who } = cacChannel(input.profile);
  const reached = input.cac?.reachedSignificantAtMs;
  const fromReach = reached !== undefined && reached > input.discoveredAtMs;
  const anchorMs = fromReach ? reached : input.discoveredAtMs;
  const gradeText = loc(`按分级指南为"${g.grade}"：${g.criteria.map((c) => c.reason['zh-CN']).join('，')}`, `${GRADE_EN[g.grade]} under the annex: ${g.criteria.map((c) => c.reason.en).join(', ')}`);
  const anchorText = fromReach
    ? loc(`自达到"较大"之时（${formatShanghaiMinute(anchorMs)}）起算`, `counted from the moment it became Significant (${formatShanghaiMinute(anchorMs)})`)
    : loc(`自发现之时（${formatShanghaiMinute(anchorMs)}）起算，发现时已达"较大"以上`, `counted from discovery (${formatShanghaiMinute(anchorMs)}), when it was already Significant or above`);
  const common = {
    regime: 'cac' as const,
    recipient,
    verified: g.verified,
    ...(g.unverified.length > 0 ? { unverified: g.unverified } : {}),
    grade: g.grade,
  };
  const out: Obligation[] = [
    {
      ...common,
      kind: 'initial',
      title: loc('向网信部门初次报告', 'Initial report under CAC’s measures'),
      ...clocked(anchorMs + R.hoursMs(hours), input.nowMs, firstReport(input.reports, 'cac', 'initial')),
      article: cite('', ''),
      basis: loc(`${gradeText['zh-CN']}；${who['zh-CN']}应在 ${hours} 小时内报告，${anchorText['zh-CN']}`, `${gradeText.en}; ${who.en} reports within ${hours} h, ${anchorText.en}`),
    },
  ];
  const unknown = [input.cac?.causeKnown === false ? loc('原因', 'cause') : null, input.cac?.impactKnown === false ? loc('影响', 'impact') : null].filter((x): x is Localized => x !== null);
  if (unknown.length > 0) {
    out.push({
      ...common,
      kind: 'supplementary',
      title: loc('补报（原因或影响查明后）', 'Supplementary report (once cause or impact is known)'),
      ...timely(anchorMs, firstReport(input.reports, 'cac', 'supplementary')),
      article: cite('第七条', ' Art. 7'),
      basis: loc(
        `初次报告时${unknown.map((u) => u['zh-CN']).join('、')}尚不清楚：先报已知事项，查明后及时补报（原文未规定时限，每日提醒至记录）`,
        `the ${unknown.map((u) => u.en).join(' and ')} not yet known at the initial report: report what is known, supplement once known (no fixed clock in the text; reminded daily until recorded)`,
      ),
    });
  }
  if (input.resolvedAtMs !== undefined) {
    const dueDate = shanghaiDate(startOfShanghaiDate(shanghaiDate(input.resolvedAtMs)) + R.SUMMARY_DAYS * DAY_MS);
    out.push({
      ...common,
      kind: 'summary',
      title: loc('总结报告', 'Summary report'),
      ...clocked(endOfShanghaiDate(dueDate), input.nowMs, firstReport(input.reports, 'cac', 'summary')),
      dueDate,
      article: cite('', ''),
      basis: loc(`事件处置结束（${formatShanghaiMinute(input.resolvedAtMs)}）后 30 日内，经同一渠道报送`, `within 30 calendar days after handling ended (${formatShanghaiMinute(input.resolvedAtMs)}), by the same channel`),
    });
  }
  return out;
}

const ARTICLES: readonly ArticleText[] = [
  {
    cite: loc(`${R.MEASURE_ZH}及附件${R.ANNEX_ZH}`, `${R.MEASURE_EN} and its annex, Guide to Grading Cybersecurity Incidents`),
    text: '发现或获知事件后按分级指南研判，较大及以上事件须报告：关键信息基础设施运营者 1 小时内报保护工作部门和公安机关；中央和国家机关 2 小时内报本单位网信工作机构；其他运营者 4 小时内报所在地省级网信部门；处置结束后 30 日内报总结报告。（摘要，非原文）',
    verbatim: false,
    source: R.SOURCE,
  },
  {
    cite: cite('第七条', ' Art. 7'),
    text: '报告内容：单位及系统情况、发现时间、类型、级别、影响、已采取措施及效果、发展趋势、初步原因、线索、下一步措施及所需支持、现场保护情况等；原因或影响暂不清楚的，先报已知情况，后续补报。（摘要，非原文）',
    verbatim: false,
    source: R.SOURCE,
  },
];

export const cac: Regime = {
  id: 'cac',
  name: { 'zh-CN': '国家互联网信息办公室（网信部门）', en: 'the Cyberspace Administration of China (CAC)' },
  short: { 'zh-CN': '网信部门', en: 'CAC' },
  binds: () => true, // every network operator
  obligations,
  articles: ARTICLES,
};

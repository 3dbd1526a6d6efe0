// zh-CN message catalog: the default language of every message.
// One formatter per catalog: toLocaleString would rebuild it on every call when languages alternate.
// Made on first use: building an Intl formatter loads ICU data (tens of ms), a cost a run that formats no number skips.
let NUM: Intl.NumberFormat | undefined;
const num = (n: number) => (NUM ??= new Intl.NumberFormat('zh-CN')).format(n);
const scope = (p: { provinces: number }) => (p.provinces >= 2 ? `${p.provinces}个省级行政区` : '单个省级行政区');
const by = { cac: '网信部门', police: '公安机关', pboc: '中国人民银行' } as const;

import { merge } from './merge.ts';
import { zhChat } from './zh-CN-chat.ts';
import { zhAlerts } from './zh-CN-alerts.ts';
import { zhRecord } from './record.zh-CN.ts';
import { zhAmend } from './amend.zh-CN.ts';
import { zhReports } from './reports.zh-CN.ts';
import { zhWeb } from './web.zh-CN.ts';
import { ART10, ART17, ART9 } from '../regimes/pboc-2025-4/rules.ts';
import { zhRefusals } from './refusals.zh-CN.ts';
import { zhObligations } from './obligations.zh-CN.ts';

const rules = {
  'grade.keyOutage': (p: { provinces: number; peakMinutes: number; threshold: number; rate: number }) =>
    `关键网络主要功能在业务高峰时段${scope(p)}整体中断运行${fmtMin(p.peakMinutes)}（未处理和失败业务占比${p.rate}%），达到${fmtMin(p.threshold)}`,
  'grade.outage10': (p: { provinces: number; totalMinutes: number; rate: number }) =>
    `提供金融服务的网络主要功能${scope(p)}整体中断运行${fmtMin(p.totalMinutes)}（占比${p.rate}%），达到${fmtMin(ART10.financialOutageMinutes)}`,
  'grade.persons': (p: { count: number; threshold: number }) =>
    `提供金融服务的网络主要功能中断，已实际影响${num(p.count)}个自然人，达到${num(p.threshold)}个`,
  'grade.orgs': (p: { count: number; threshold: number }) =>
    `提供金融服务的网络主要功能中断，已实际影响${num(p.count)}个法人和其他组织，达到${num(p.threshold)}个`,
  'grade.disrupted': (p: { minutes: number }) =>
    `网络主要功能中断导致业务无法正常开展，已持续${fmtMin(p.minutes)}，达到${fmtMin(ART10.disruptedMinutes)}`,
  'grade.coreData': '人民银行业务领域核心数据遭到篡改、破坏、泄露',
  'grade.importantData': '人民银行业务领域重要数据遭到篡改、破坏、泄露',
  'grade.sensitivePI': (p: { count: number; threshold: number }) =>
    `泄露敏感个人信息${num(p.count)}条，达到${num(p.threshold)}条`,
  'grade.personalInfo': (p: { count: number; threshold: number }) =>
    `泄露个人信息${num(p.count)}条，达到${num(p.threshold)}条`,
  'grade.creditProperty': (p: { count: number }) =>
    `泄露征信信息、财产信息${num(p.count)}条，达到${num(ART9.leaked.creditOrPropertyRecords)}条`,
  'grade.ransomware': '遭受勒索恶意程序攻击，已造成危害后果',
  'grade.socialHarm': '业务领域数据遭到篡改、破坏、泄露，导致社会危害',
  'grade.piIncident': '发生或者可能发生个人信息泄露、篡改、丢失',
  'grade.piPossible': '可能发生个人信息泄露、篡改、丢失（尚不确定，第十条第（五）项“可能发生”即适用）',
  'grade.designation': (p: { by: 'cac' | 'police' | 'pboc'; grade: string }) => `${by[p.by]}已明确应分级为${p.grade}`,
  'grade.pbocLower': (p: { grade: string }) =>
    `中国人民银行书面告知应分级为${p.grade}（第七条第（六）项、第八条第（六）项仅涉及特别重大和重大，按不低于该等级执行）`,
  'grade.undeterminable': '对照分级标准无法准确确定等级，至少分级为较大',
  'grade.none': '未满足第七条至第十条任何情形；按最低等级“一般”登记',
  'grade.institution': (p: { name: string }) => `本机构分级标准：${p.name}`,
  'deadline.committedBeyond40': (p: { committed: string; limit: string }) =>
    `承诺报送日期${p.committed}晚于处置结束之日起${ART17.committedLimitWorkingDays}个工作日（${p.limit}），第十七条要求原则上不晚于该日`,
  'deadline.provisional': (p: { date: string }) =>
    `截止日期${p.date}跨越尚未载入国务院节假日安排的年份，为暂定日期（仅排除周末和法定节日）；通知公布后执行 pboc-incident holidays import <通知文本> --write <机构配置文件> 载入，并重启机器人`,
  "route.pboc-head-office": (_p: { branch: string }) => "向中国人民银行（总行）报告",
  "route.pboc-branch": (_p: { branch: string }) => "向住所地中国人民银行分支机构报告",
  "route.csrc-office-relay": (_p: { branch: string }) => "经中国证监会派出机构转通报同级中国人民银行分支机构（须保障报告时效）",
  "route.relayMajor": "接报的人民银行分支机构将逐级上报至中国人民银行（重大及以上）",
  "route.relaySignificant": "接报的计划单列市分行（不含深圳）或地市分行将上报至省级分行（较大及以上）",
  "item.initialGrade": "初次确定的事件等级",
  "item.occurredAt": "事发时间",
  "item.category": "事件分类（GB/T 20986-2023）",
  "item.networks": "影响的人民银行业务领域网络及其网络安全保护等级",
  "item.dataCentres": "涉及的数据中心",
  "item.reportingInstitution": "报告机构和报告时间",
  "item.reporter": "报告人和联系方式",
  "item.impactScope": "影响范围和程度",
  "item.measures": "已采取的措施和效果",
  "item.attackAnalysis": "网络攻击分析研判情况",
  "item.latestGrade": "最新确定的事件等级",
  "item.impactChange": "影响的变化",
  "item.handlingProgress": "处置进展",
  "item.nextSteps": "下一步拟采取的措施",
  "item.coordinationNeeded": "需人民银行协调支持的事项（如有）",
  "item.finalGrade": "最终确定的事件等级",
  "item.handlingHistory": "处置历程回顾",
  "item.lossAssessment": "影响损失评估",
  "item.rootCause": "技术或管理问题根源分析",
  "item.lessons": "处置经验教训",
  "item.improvements": "后续改进措施",
  "item.signer": "签发人",
  "item.piRemedies": "为避免危害所采取的补救措施",
  "item.piNotification": "依法通知个人的情况",
  "item.piMitigationAdvice": "告知个人可采取的减轻危害措施",
  "item.accountability": "直接负责的主管人员和其他直接责任人员的责任认定及处理情况",
  "item.mitigationClaims": "减轻或免除责任的情形及证明材料（如适用）",
  "item.committedDate": "承诺报送事后调查总结报告的日期",
  "item.preliminaryReason": "无法按时报送事后调查总结报告的原因",
  'grade.network': (p: { name: string }) => `网络“${p.name}”`,
};

export const zhCN = merge(rules, zhChat, zhAlerts, zhRecord, zhAmend, zhReports, zhWeb, zhObligations, zhRefusals);

function fmtMin(m: number): string {
  const h = Math.floor(m / 60);
  const r = Math.floor(m % 60);
  if (h === 0) return `${r}分钟`;
  return r === 0 ? `${h}小时` : `${h}小时${r}分钟`;
}

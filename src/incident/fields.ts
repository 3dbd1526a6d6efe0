import { both, type Localized } from '../i18n/index.ts';
import { GRADES, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import { parseChoice, parseCount, parseDuration, parsePercent, parseTime, parseYesNo, type ParseError } from '../conversation/parse.ts';
import { parseYuan } from '../conversation/parse-number.ts';

/** GB/T 20986-2023 top-level categories (Art. 19). */
export const CATEGORIES = [
  { value: 'malware', zh: '恶意程序事件', en: 'Malware' },
  { value: 'attack', zh: '网络攻击事件', en: 'Network attack' },
  { value: 'data', zh: '数据安全事件', en: 'Data security' },
  { value: 'content', zh: '信息内容安全事件', en: 'Information content security' },
  { value: 'equipment', zh: '设备设施故障事件', en: 'Equipment or facility failure' },
  { value: 'violation', zh: '违规操作事件', en: 'Non-compliant operation' },
  { value: 'hazard', zh: '安全隐患事件', en: 'Security hazard' },
  { value: 'abnormal', zh: '异常行为事件', en: 'Abnormal behaviour' },
  { value: 'force-majeure', zh: '不可抗力事件', en: 'Force majeure' },
  { value: 'other', zh: '其他事件', en: 'Other' },
] as const;
export type Category = (typeof CATEGORIES)[number]['value'];

/** Report items only a person can write (Art. 17, 19-22). */
export const NARRATIVE_ITEMS = [
  'impactScope', 'measures', 'attackAnalysis', 'impactChange', 'handlingProgress', 'nextSteps', 'coordinationNeeded',
  'handlingHistory', 'lossAssessment', 'rootCause', 'lessons', 'improvements', 'signer',
  'piRemedies', 'piNotification', 'piMitigationAdvice', 'accountability', 'mitigationClaims', 'preliminaryReason', 'committedDate',
] as const;

const NARRATIVE_ALIASES: Partial<Record<(typeof NARRATIVE_ITEMS)[number], string[]>> = {
  impactScope: ['影响范围'], measures: ['已采取措施', '处置措施'], attackAnalysis: ['攻击分析', '分析研判'],
  impactChange: ['影响变化'], handlingProgress: ['处置进展'], nextSteps: ['下一步', '下一步措施'],
  coordinationNeeded: ['协调事项', '需协调'], handlingHistory: ['处置历程'], lossAssessment: ['损失评估', '影响损失评估'],
  rootCause: ['根源', '原因分析', '根本原因'], lessons: ['经验教训'], improvements: ['改进措施'], signer: ['签发人'],
  piRemedies: ['补救措施'], piNotification: ['通知个人'], piMitigationAdvice: ['告知个人'],
  accountability: ['责任认定', '责任处理'], mitigationClaims: ['减轻责任'], preliminaryReason: ['延期原因'], committedDate: ['承诺日期'],
};

export type FieldType = 'count' | 'yuan' | 'minutes' | 'percent' | 'bool' | 'time' | 'time-or-no' | 'level' | 'grade-or-none' | 'category' | 'text' | 'network';
export type FieldValue = string | number | boolean;

export interface FieldDef {
  /** Canonical path; `N` stands for a network index. */
  path: string;
  type: FieldType;
  label: Localized;
  aliases: string[]; // friendly names users may type (zh and en), matched case-insensitively
  gradeRelevant: boolean; // can change the grade (an unknown answer then triggers Art. 12)
}

const f = (path: string, type: FieldType, key: Parameters<typeof both>[0], aliases: string[], gradeRelevant = true): FieldDef => ({
  path, type, label: both(key), aliases, gradeRelevant,
});

export const FIELDS: FieldDef[] = [
  f('occurredAt', 'time', 'field.occurredAt', ['事发时间', '发生时间', 'occurred'], false),
  f('networks.N.ref', 'network', 'field.network', ['网络', '系统', 'network'], true),
  f('networks.N.name', 'text', 'field.networkName', ['网络名称', 'networkName'], false),
  f('networks.N.protectionLevel', 'level', 'field.protectionLevel', ['保护等级', '等保', '等保级别', 'level'], false),
  f('networks.N.keyNetwork', 'bool', 'field.keyNetwork', ['关键网络', 'key'], true),
  f('networks.N.financialService', 'bool', 'field.financialService', ['金融服务', '提供金融服务', 'financial'], true),
  f('networks.N.disrupted', 'bool', 'field.disrupted', ['主要功能中断', '业务中断', '中断', 'disrupted'], true),
  f('networks.N.outage.start', 'time', 'field.outageStart', ['中断开始', '开始时间', 'outage.start', 'start'], true),
  f('networks.N.outage.restored', 'time-or-no', 'field.outageRestored', ['恢复时间', '恢复', 'outage.restored', 'restored'], false),
  f('networks.N.outage.failureRatePercent', 'percent', 'field.failureRate', ['失败率', '失败占比', '业务失败占比', 'outage.rate', 'rate'], true),
  f('networks.N.outage.provinces', 'count', 'field.provinces', ['省份', '省份数', '省数', '省级行政区', 'provinces'], true),
  // Earlier intervals of the interruption, over before the current one began (set from alerts; the Art. 31(4) reading in docs/compliance/rules-and-readings.md).
  f('networks.N.outage.priorMinutes', 'minutes', 'field.priorMinutes', ['此前中断时长', 'outage.prior'], true),
  f('networks.N.outage.priorPeakMinutes', 'minutes', 'field.priorPeakMinutes', ['此前高峰中断时长', 'outage.priorPeak'], true),
  f('networks.N.outage.peakMinutes', 'minutes', 'field.peakMinutes', ['高峰时长', '高峰时段中断', 'peak'], true),
  f('networks.N.outage.totalMinutes', 'minutes', 'field.totalMinutes', ['中断时长', 'duration'], true),
  f('networks.N.mainFunctionDisruptedMinutes', 'minutes', 'field.disruptedMinutes', ['无法开展时长'], true),
  f('networks.N.affectedNaturalPersons', 'count', 'field.persons', ['自然人', '受影响自然人', '影响人数', '受影响人数', 'persons'], true),
  f('networks.N.affectedOrganizations', 'count', 'field.orgs', ['法人', '机构数', '受影响机构', '法人和其他组织', 'orgs'], true),
  f('data.coreData', 'bool', 'field.coreData', ['核心数据', 'core'], true),
  f('data.importantData', 'bool', 'field.importantData', ['重要数据', 'important'], true),
  f('data.personalInfoIncident', 'bool', 'field.piIncident', ['个人信息事件', '个人信息泄露', 'pi'], true),
  f('data.sensitivePersonalInfoRecords', 'count', 'field.sensitivePI', ['敏感个人信息', '敏感个人信息条数', 'sensitive'], true),
  f('data.personalInfoRecords', 'count', 'field.personalInfo', ['个人信息', '个人信息条数', 'personal'], true),
  f('data.creditOrPropertyRecords', 'count', 'field.creditProperty', ['征信', '财产信息', '征信信息', 'credit'], true),
  f('data.socialHarm', 'bool', 'field.socialHarm', ['社会危害', 'harm'], true),
  f('ransomwareHarm', 'bool', 'field.ransomware', ['勒索', '勒索病毒', '勒索软件', 'ransomware'], true),
  f('designations.cac', 'grade-or-none', 'field.designationCac', ['网信定级', '网信部门', 'cac'], true),
  f('designations.police', 'grade-or-none', 'field.designationPolice', ['公安定级', '公安机关', 'police'], true),
  f('designations.pboc', 'grade-or-none', 'field.designationPboc', ['人民银行定级', '人行定级', '人行书面告知', 'pboc'], true),
  f('undeterminable', 'bool', 'field.undeterminable', ['无法确定', '无法定级'], true),
  f('publicOpinion', 'bool', 'field.publicOpinion', ['舆情', '较大舆情', 'opinion'], false),
  f('workSecrets', 'bool', 'field.workSecrets', ['工作秘密', 'secrets'], false),
  f('suspectedCrime', 'bool', 'field.suspectedCrime', ['涉嫌犯罪', '犯罪', 'crime'], false),
  f('networkAttack', 'bool', 'field.networkAttack', ['网络攻击', 'attack'], false),
  f('category', 'category', 'field.category', ['分类', '事件分类', '类别'], false),
  // Narrative items of the reports (Art. 17, 19-22), written by people: `/incident set report.rootCause <text>`.
  ...NARRATIVE_ITEMS.map((id) => f(`report.${id}`, 'text', `item.${id}`, [id, ...(NARRATIVE_ALIASES[id] ?? [])], false)),
  f('report.reporter', 'text', 'item.reporter', ['报告人', 'reporter'], false),
  f('report.dataCentres', 'text', 'item.dataCentres', ['数据中心', 'dataCentres'], false),
  f('subCategory', 'text', 'field.subCategory', ['子类', '事件子类', 'subcategory'], false),
  // The other regimes' facts (src/regimes, docs/rules.md): each regime grades on its own, so none changes PBoC's grade.
  // CAC's annex counts persons (人), PBoC counts records (条): asked separately, never converted.
  f('cac.personalInfoPersons', 'count', 'field.cacPersons', ['个人信息人数', '涉及人数', '个人信息主体人数', 'piPersons'], false),
  f('cac.directLossYuan', 'yuan', 'field.directLoss', ['直接经济损失', '经济损失', '损失', 'loss', 'directLoss'], false),
  f('cac.populationAffectedPersons', 'count', 'field.population', ['影响人口', '受影响人口', '影响生活人数', 'population'], false),
  f('cac.provincePopulationSharePercent', 'percent', 'field.populationShare', ['省人口占比', '人口占比', 'populationShare'], false),
  f('cac.ciiWholeOutageMinutes', 'minutes', 'field.ciiWhole', ['关基整体中断', '关键信息基础设施整体中断', 'ciiOutage'], false),
  f('cac.ciiMainFunctionOutageMinutes', 'minutes', 'field.ciiMain', ['关基主要功能中断', '关键信息基础设施主要功能中断', 'ciiMainOutage'], false),
  f('cac.causeKnown', 'bool', 'field.causeKnown', ['原因已查明', '原因清楚', 'causeKnown'], false),
  f('cac.impactKnown', 'bool', 'field.impactKnown', ['影响已查明', '影响清楚', 'impactKnown'], false),
  f('nfra.lossYuan', 'yuan', 'field.nfraLoss', ['操作风险损失', '已发生损失', 'nfraLoss'], false),
  f('nfra.expectedLossYuan', 'yuan', 'field.expectedLoss', ['预计损失', '预期损失', 'expectedLoss'], false),
  f('nfra.importantDataLost', 'bool', 'field.nfraData', ['重要数据账簿凭证', '账簿凭证', 'importantDataLost'], false),
  // PIPL Art. 57 ¶2: the measures effectively avoid the harm, so the individuals need not be notified (set, not asked).
  f('pipl.harmAvoided', 'bool', 'field.harmAvoided', ['措施可避免危害', '可不通知个人', 'harmAvoided'], false),
  f('nfra.importantSystemOutageMinutes', 'minutes', 'field.nfraOutage', ['重要信息系统中断', '重要系统中断', 'importantSystemOutage'], false),
];

const BY_PATH = new Map(FIELDS.map((d) => [d.path, d]));

export interface ResolvedField {
  def: FieldDef;
  path: string; // concrete, with the network index filled in
  network: number | null;
}

/** Resolves what a user typed (a contract dot path, a friendly name) to a field; `network` fills a missing index. */
export function resolveField(name: string, network = 0): ResolvedField | null {
  const raw = name.trim();
  const m = /^networks\.(\d{1,2})\.(.+)$/.exec(raw);
  if (m) {
    const def = BY_PATH.get(`networks.N.${m[2]}`) ?? aliasLookup(m[2]!);
    if (!def || !def.path.startsWith('networks.N.')) return null;
    const idx = Number(m[1]);
    return { def, path: def.path.replace('N', String(idx)), network: idx };
  }
  const def = BY_PATH.get(raw) ?? BY_PATH.get(`networks.N.${raw}`) ?? aliasLookup(raw);
  if (!def) return null;
  const isNet = def.path.startsWith('networks.N.');
  return { def, path: isNet ? def.path.replace('N', String(network)) : def.path, network: isNet ? network : null };
}

function aliasLookup(name: string): FieldDef | undefined {
  const k = name.toLowerCase();
  return FIELDS.find((d) => d.aliases.some((a) => a.toLowerCase() === k));
}

export type FieldParse = { ok: true; value: FieldValue | 'unknown' } | { ok: false; error: ParseError | { code: 'level' | 'grade' | 'category' | 'network' | 'text'; input: string } };

/** Parses a typed value for a field; networks are matched against the configured ones. */
export function parseFieldValue(def: FieldDef, input: string, nowMs: number, networks: ReadonlyArray<{ id: string; name: string; aliases?: string[] }>): FieldParse {
  const s = input.trim();
  if (def.type !== 'bool' && /^(unknown|不确定|不知道|未知|\?)$/i.test(s)) {
    return def.gradeRelevant ? { ok: true, value: 'unknown' } : { ok: false, error: { code: 'text', input } };
  }
  switch (def.type) {
    case 'count': return parseCount(s);
    case 'yuan': return parseYuan(s);
    case 'minutes': return parseDuration(s);
    case 'percent': return parsePercent(s);
    case 'bool': return parseYesNo(s);
    case 'time': return parseTime(s, nowMs);
    case 'time-or-no': return /^(no|none|not yet|not restored( yet)?|未恢复|尚未恢复|还没有?恢复|否|没有)$/i.test(s) ? { ok: true, value: false } : parseTime(s, nowMs);
    case 'level': return /^[1-5]$/.test(s) || /^[一二三四五]级$/.test(s)
      ? { ok: true, value: /^[1-5]$/.test(s) ? Number(s) : '一二三四五'.indexOf(s[0]!) + 1 }
      : { ok: false, error: { code: 'level', input } };
    case 'grade-or-none': {
      if (/^(none|无|没有|否|no)$/i.test(s)) return { ok: true, value: 'none' };
      const g = GRADES.find((x) => x === s) ?? gradeByWord(s);
      return g ? { ok: true, value: g } : { ok: false, error: { code: 'grade', input } };
    }
    case 'category': {
      const r = parseChoice(s, CATEGORIES.map((c) => ({ value: c.value, labels: [c.zh, c.en, c.zh.replace(/事件$/, '')] })));
      return r.ok ? r : { ok: false, error: { code: 'category', input } };
    }
    case 'network': {
      const r = parseChoice(s, networks.map((n) => ({ value: n.id, labels: [n.name, ...(n.aliases ?? [])] })));
      if (r.ok) return r;
      if (/^(other|其他)$/i.test(s)) return { ok: true, value: 'other' };
      return { ok: false, error: { code: 'network', input } };
    }
    case 'text': {
      const max = def.path.startsWith('report.') ? 4000 : 200; // report narratives run longer than names
      return s.length > 0 && s.length <= max ? { ok: true, value: s } : { ok: false, error: { code: 'text', input } };
    }
  }
}

function gradeByWord(s: string): Grade | undefined {
  const k = s.toLowerCase();
  const map: Record<string, Grade> = {
    '1': '特别重大', 'especially major': '特别重大', 'extraordinary': '特别重大',
    '2': '重大', 'major': '重大',
    '3': '较大', 'significant': '较大', 'large': '较大',
    '4': '一般', 'general': '一般',
  };
  return Object.hasOwn(map, k) ? map[k] : undefined;
}

// The CAC initial report (初次报告) under 《国家网络安全事件报告管理办法》 Art. 7, drafted from the incident record:
// each item filled from the facts where the record has them, else marked 待补充 with what to send or write. The item
// list is our summary of the measure (shared/docs/regimes.md), not the official form: the draft says so.
// Pure: the draft time is an argument.
import type { BotConfig } from '../conversation/types.ts';
import type { Lang } from '../i18n/index.ts';
import { assess, type Assessment } from '../incident/assess.ts';
import type { IncidentState } from '../incident/state.ts';
import type { ItemId } from '../regimes/pboc-2025-4/contents.ts';
import type { Obligation, RegimeProfile } from '../regimes/port.ts';
import { recordObligations, regimeConfigOf } from '../web/regime-obligations.ts';
import { chineseNumber, draftItems, type DraftKind } from './draft.ts';
import { gradeText, minute } from './format.ts';
import { rt } from './messages.ts';

type L = Record<Lang, string>;

/** Art. 7's items as regimes.md summarises them, in its order. */
export const CAC_ITEMS = [
  'unitAndSystems', 'discoveredAt', 'type', 'level', 'impact', 'measures', 'ransom', 'trend', 'cause', 'leads', 'nextSteps', 'scene', 'other',
] as const;
export type CacItemId = (typeof CAC_ITEMS)[number];

const LABEL: Record<CacItemId, L> = {
  unitAndSystems: { 'zh-CN': '事件发生单位名称及受影响的网络和信息系统', en: 'Unit where it occurred and the networks and systems affected' },
  discoveredAt: { 'zh-CN': '事件发现时间', en: 'When the incident was discovered' },
  type: { 'zh-CN': '事件类型', en: 'Type of incident' },
  level: { 'zh-CN': '事件级别（按《网络安全事件分级指南》）', en: 'Level (under the 《网络安全事件分级指南》)' },
  impact: { 'zh-CN': '已造成的影响和危害', en: 'Impact and harm so far' },
  measures: { 'zh-CN': '已采取的应对措施及效果', en: 'Measures taken and their effect' },
  ransom: { 'zh-CN': '勒索情况（勒索金额、方式、时间等）', en: 'Ransom (amount, method and date of the demand)' },
  trend: { 'zh-CN': '事态发展趋势', en: 'How the incident is developing' },
  cause: { 'zh-CN': '初步原因分析', en: 'Initial analysis of the cause' },
  leads: { 'zh-CN': '调查线索（攻击者、攻击路径、利用的漏洞等）', en: 'Leads (attacker, path, vulnerabilities exploited)' },
  nextSteps: { 'zh-CN': '下一步应对工作及需要的支持', en: 'Next steps and support needed' },
  scene: { 'zh-CN': '现场保护情况', en: 'Whether the scene is preserved' },
  other: { 'zh-CN': '其他需要报告的情况', en: 'Anything else to report' },
};

export interface CacDraftItem {
  id: CacItemId;
  label: string;
  value: string | null; // null: 待补充
  fill?: string; // the command that fills it, or where to write it
  known?: string; // what the record already says of a missing item
}

export interface CacDraft {
  title: string;
  text: string;
  items: CacDraftItem[];
  missing: CacItemId[];
  recipient: string | null; // from CAC's obligation, when CAC binds
  dueAt: string | null;
}

const W = {
  title: { 'zh-CN': (inst: string, title: string) => `${inst}关于“${title}”网络安全事件的初次报告（报网信部门）`, en: (inst: string, title: string) => `${inst}: initial report of the cybersecurity incident "${title}" (to the CAC)` },
  basis: {
    'zh-CN': '依据《国家网络安全事件报告管理办法》第七条。本稿按我们对该办法报告内容的归纳整理，不是办法所附报告表的原文格式；报送前请对照官方表格（12387.cert.org.cn）核对。',
    en: 'Under Art. 7 of the 《国家网络安全事件报告管理办法》. This draft follows our summary of the items the measure asks for, not the verbatim official form; check it against the official form (12387.cert.org.cn) before sending.',
  },
  recipient: { 'zh-CN': (r: string) => `报送对象：${r}`, en: (r: string) => `Recipient: ${r}` },
  due: { 'zh-CN': (d: string, a: string) => `报送时限：${d}（${a}）`, en: (d: string, a: string) => `Due: ${d} (${a})` },
  notBound: { 'zh-CN': '网信部门的报告义务未列出（机构配置未说明，或事件未达到较大）：报送对象请按机构类型确定。', en: 'No CAC obligation listed (not set in the institution file, or the incident is below 较大): choose the recipient by the kind of operator.' },
  todo: { 'zh-CN': '【待补充】', en: '[to be completed]' },
  writeIn: { 'zh-CN': '报送前在本稿中填写', en: 'write it in this draft before sending' },
  notRansom: { 'zh-CN': '不涉及勒索软件', en: 'No ransomware involved' },
  noOther: { 'zh-CN': '无', en: 'None' },
  pbocGrade: { 'zh-CN': (g: string) => `人民银行口径为${g}；网信部门口径按分级指南另行研判`, en: (g: string) => `PBoC's grade is ${g}; the CAC's is decided separately under its guide` },
  cacGrade: { 'zh-CN': (g: string) => `${g}（按分级指南）`, en: (g: string) => `${g} (under the guide)` },
  opened: { 'zh-CN': (at: string) => `事件于 ${at} 在机器人中新建`, en: (at: string) => `opened in the bot at ${at}` },
  occurred: { 'zh-CN': (at: string) => `事发时间 ${at}`, en: (at: string) => `occurred at ${at}` },
  persons: { 'zh-CN': (n: number) => `涉及个人信息 ${n} 人`, en: (n: number) => `personal information of ${n} persons` },
  loss: { 'zh-CN': (n: number) => `直接经济损失 ${n} 元`, en: (n: number) => `direct economic loss ${n} yuan` },
  complete: { 'zh-CN': '各项已有内容。', en: 'Every item has content.' },
  missing: { 'zh-CN': (n: number, labels: string) => `尚缺 ${n} 项：${labels}。原因或影响尚不清楚的，可先报已掌握的情况，再补报（第七条）。`, en: (n: number, labels: string) => `${n} item(s) missing: ${labels}. Where the cause or impact is not yet known, send what is known and supplement later (Art. 7).` },
  footer: { 'zh-CN': '本稿由机器人根据事件记录生成，报送前请核对。', en: 'Drafted by the bot from the incident record; check it before sending.' },
};

/** The CAC obligation's recipient by the operator type, as regimes.md gives it, when the registry has no CAC obligation yet. */
function recipientByProfile(p: RegimeProfile, lang: Lang): string {
  if (p.ciiOperator) return lang === 'en' ? `${p.ciiProtectionDepartment ?? 'the protection department'} and the public security organ` : `${p.ciiProtectionDepartment ?? '保护工作部门'}和公安机关`;
  if (p.centralOrgan) return lang === 'en' ? 'its own cyberspace affairs office' : '本单位网信工作机构';
  return lang === 'en' ? 'the provincial cyberspace administration where it is located' : '所在地省级网信部门';
}

/** The items the PBoC drafts resolve from the record, by id, across the kinds that hold them. */
function pbocItems(s: IncidentState, nowMs: number, config: BotConfig, lang: Lang): Map<ItemId, { value: string | null; fill?: string; known?: string }> {
  const out = new Map<ItemId, { value: string | null; fill?: string; known?: string }>();
  for (const kind of ['brief', 'incident', 'progress', 'final'] as DraftKind[]) {
    for (const i of draftItems(kind, s, nowMs, config.institution, lang)) {
      if (out.has(i.id)) continue;
      out.set(i.id, { value: i.assumedNone ? null : i.value, ...(i.fillCommand ? { fill: i.fillCommand } : {}), ...(i.known !== undefined ? { known: i.known } : {}) });
    }
  }
  return out;
}

/** Drafts the CAC initial report at nowMs in lang. `a`: the incident's assessment when the caller has it (computed once). */
export function cacInitialDraft(s: IncidentState, nowMs: number, config: BotConfig, lang: Lang = 'zh-CN', a?: Assessment): CacDraft {
  const assessment = a ?? assess(s, nowMs, config.assess);
  const rc = regimeConfigOf(config.institution);
  const cac: Obligation | undefined = recordObligations(s, nowMs, config.assess.calendar, rc, assessment).find((o) => o.regime === 'cac' && o.kind === 'initial');
  const pb = pbocItems(s, nowMs, config, lang);
  const v = s.values;
  const text = (path: string): string | null => (typeof v[path] === 'string' && (v[path] as string).trim() !== '' ? (v[path] as string) : null);
  const fromPboc = (...ids: ItemId[]) => {
    const got = ids.map((id) => pb.get(id)).filter((x) => x !== undefined);
    const values = got.map((x) => x.value).filter((x): x is string => x !== null);
    return { value: values.length ? values.join(lang === 'en' ? ' ' : '') : null, fill: got.find((x) => x.fill)?.fill };
  };
  const writeIn = W.writeIn[lang];
  const sep = lang === 'en' ? '; ' : '；';

  const item = (id: CacItemId): Omit<CacDraftItem, 'id' | 'label'> => {
    switch (id) {
      case 'unitAndSystems': {
        const inst = config.institution.institution.name;
        const nets = pb.get('networks');
        return nets?.value ? { value: `${inst}${sep}${nets.value}` } : { value: null, known: inst, ...(nets?.fill ? { fill: nets.fill } : {}) };
      }
      case 'discoveredAt': {
        if (typeof v.discoveredAt === 'number') return { value: minute(v.discoveredAt) };
        const known = [typeof v.occurredAt === 'number' ? W.occurred[lang](minute(v.occurredAt)) : '', W.opened[lang](minute(s.createdAt))].filter(Boolean).join(sep);
        return { value: null, known, fill: writeIn };
      }
      case 'type': {
        const c = fromPboc('category');
        return { value: c.value, ...(c.fill ? { fill: c.fill } : {}) };
      }
      case 'level': {
        if (cac?.grade) return { value: W.cacGrade[lang](gradeText(cac.grade, lang)) };
        return { value: null, known: W.pbocGrade[lang](gradeText(assessment.grade, lang)), fill: writeIn };
      }
      case 'impact': {
        const facts = [
          typeof v['cac.personalInfoPersons'] === 'number' ? W.persons[lang](v['cac.personalInfoPersons'] as number) : '',
          typeof v['cac.directLossYuan'] === 'number' ? W.loss[lang](v['cac.directLossYuan'] as number) : '',
        ].filter(Boolean).join(sep);
        const scope = fromPboc('impactScope');
        if (scope.value) return { value: facts ? `${scope.value}${lang === 'en' ? ` (${facts})` : `（${facts}）`}` : scope.value };
        return { value: null, ...(facts ? { known: facts } : {}), ...(scope.fill ? { fill: scope.fill } : {}) };
      }
      case 'measures': {
        const m = fromPboc('measures', 'handlingProgress');
        return { value: m.value, ...(m.fill ? { fill: m.fill } : {}) };
      }
      case 'ransom': {
        if (text('report.cac.ransom')) return { value: text('report.cac.ransom') };
        if (v.ransomwareHarm === false) return { value: W.notRansom[lang] };
        return { value: null, fill: v.ransomwareHarm === true ? writeIn : `/incident set ransomwareHarm ${lang === 'en' ? '<yes|no>' : '<是|否>'}` };
      }
      case 'trend': {
        const tr = fromPboc('impactChange');
        return { value: text('report.cac.trend') ?? tr.value, ...(tr.fill ? { fill: tr.fill } : {}) };
      }
      case 'cause': {
        const c = fromPboc('rootCause');
        const attack = pb.get('attackAnalysis')?.value ?? null;
        return { value: text('report.cac.cause') ?? c.value ?? attack, ...(c.fill ? { fill: c.fill } : {}) };
      }
      case 'leads': {
        const at = fromPboc('attackAnalysis');
        return { value: text('report.cac.leads') ?? at.value, fill: at.fill ?? writeIn };
      }
      case 'nextSteps': {
        const n = fromPboc('nextSteps', 'coordinationNeeded');
        return { value: n.value, ...(n.fill ? { fill: n.fill } : {}) };
      }
      case 'scene': return { value: text('report.cac.scene'), fill: writeIn };
      case 'other': return { value: text('report.cac.other') ?? W.noOther[lang] };
    }
  };

  const items: CacDraftItem[] = CAC_ITEMS.map((id) => {
    const r = item(id);
    return { id, label: LABEL[id][lang], value: r.value, ...(r.value === null && r.fill ? { fill: r.fill } : {}), ...(r.value === null && r.known ? { known: r.known } : {}) };
  });
  const missing = items.filter((i) => i.value === null).map((i) => i.id);
  const title = W.title[lang](config.institution.institution.name, s.title || s.id);
  const recipient = cac ? cac.recipient[lang] : null;
  const dueAt = cac && cac.dueAtMs !== null ? minute(cac.dueAtMs) : null;
  const colon = lang === 'en' ? ': ' : '：';
  const lines = [title, rt(lang, 'draft.subtitle', { id: s.id, at: minute(nowMs) }), W.basis[lang]];
  lines.push(W.recipient[lang](recipient ?? recipientByProfile(rc.profile ?? {}, lang)));
  if (cac && dueAt) lines.push(W.due[lang](dueAt, cac.article[lang]));
  if (!cac) lines.push(W.notBound[lang]);
  lines.push('');
  items.forEach((i, n) => {
    const num = lang === 'en' ? `${n + 1}. ` : `${chineseNumber(n + 1)}、`;
    const fill = i.fill ? `${lang === 'en' ? ' ' : ''}${i.fill.startsWith('/') ? (lang === 'en' ? 'send ' : '发送 ') : ''}${i.fill}` : '';
    const body = i.value ?? `${i.known ? `${i.known}${lang === 'en' ? ' ' : ''}` : ''}${W.todo[lang]}${fill}`;
    lines.push(`${num}${i.label}${colon}${body}`);
  });
  lines.push('');
  lines.push(missing.length === 0 ? W.complete[lang] : W.missing[lang](missing.length, items.filter((i) => i.value === null).map((i) => i.label).join(lang === 'en' ? ', ' : '、')));
  lines.push(W.footer[lang]);
  return { title, text: lines.join('\n'), items, missing, recipient, dueAt };
}

// The report kinds each regime's obligations are met by (`report <regime> <kind> …`, the CLI's reports[].kind), with
// their names and the words users type for them: one table for the conversation, the ledger, the page and the dossier.
import type { Lang, Localized } from '../i18n/index.ts';
import { REPORT_KINDS } from './pboc-2025-4/deadlines.ts';
import type { RegimeId } from './port.ts';

export type OtherRegime = Exclude<RegimeId, 'pboc'>;

/** Each other regime's report kinds: the name the record gives it, and the words users type for it (the id always works). */
export const OTHER_REGIME_KINDS: Readonly<Record<OtherRegime, Readonly<Record<string, { name: Localized; words: readonly string[] }>>>> = {
  cac: {
    initial: { name: { 'zh-CN': '初次报告', en: 'initial report' }, words: ['初次报告', '初报', '初次', '首报'] },
    supplementary: { name: { 'zh-CN': '补报', en: 'supplementary report' }, words: ['补报', '补充报告', '续报'] },
    summary: { name: { 'zh-CN': '总结报告', en: 'summary report' }, words: ['总结报告', '总结'] },
  },
  nfra: { report: { name: { 'zh-CN': '操作风险事件报告', en: 'operational-risk event report' }, words: ['报告', '操作风险报告', '事件报告'] } },
  csrc: {
    phone: { name: { 'zh-CN': '电话报告', en: 'phone report' }, words: ['电话报告', '电话'] },
    written: { name: { 'zh-CN': '网络安全事件情况报告书', en: 'written incident report' }, words: ['报告书', '书面报告', '情况报告书', '书面'] },
  },
  police: { report: { name: { 'zh-CN': '报案', en: 'report to the police' }, words: ['报案', '报警'] } },
  pipl: {
    remedy: { name: { 'zh-CN': '补救措施', en: 'remedial measures' }, words: ['补救', '补救措施', '已补救'] },
    'notify-authority': { name: { 'zh-CN': '通知履行个人信息保护职责的部门', en: 'notice to the personal-information authority' }, words: ['通知部门', '通知主管部门', '报告部门', '部门'] },
    'notify-individuals': { name: { 'zh-CN': '通知个人', en: 'notice to the individuals' }, words: ['通知个人', '告知个人', '个人'] },
  },
};

export const REGIME_REPORT_KINDS: Readonly<Record<RegimeId, readonly string[]>> = {
  pboc: REPORT_KINDS,
  cac: Object.keys(OTHER_REGIME_KINDS.cac),
  nfra: Object.keys(OTHER_REGIME_KINDS.nfra),
  csrc: Object.keys(OTHER_REGIME_KINDS.csrc),
  police: Object.keys(OTHER_REGIME_KINDS.police),
  pipl: Object.keys(OTHER_REGIME_KINDS.pipl),
};

/** True when `kind` is a report kind of `regime`. */
export function isRegimeReportKind(regime: RegimeId, kind: string): boolean {
  return REGIME_REPORT_KINDS[regime].includes(kind);
}

/** A report kind of another regime in its words (初次报告); a kind the table lacks is shown as recorded. */
export function regimeKindName(regime: OtherRegime, kind: string, lang: Lang): string {
  const kinds = OTHER_REGIME_KINDS[regime];
  return Object.hasOwn(kinds, kind) ? kinds[kind]!.name[lang] : kind;
}

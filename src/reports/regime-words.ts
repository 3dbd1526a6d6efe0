// How the record names a regime and a report made under it (ledger, web page, dossier): the regime's own short name
// (Regime.short) where its folder gives one, and each kind of src/regimes/kinds.ts in the regime's words.
import type { Lang, Localized } from '../i18n/index.ts';
import { regimeById } from '../regimes/registry.ts';
import { REGIME_IDS, type RegimeId } from '../regimes/port.ts';

const SHORT: Record<RegimeId, Localized> = {
  pboc: { 'zh-CN': '人民银行', en: 'PBoC' },
  cac: { 'zh-CN': '网信部门', en: 'CAC' },
  nfra: { 'zh-CN': '金融监管总局', en: 'NFRA' },
  csrc: { 'zh-CN': '证监会', en: 'CSRC' },
  police: { 'zh-CN': '公安', en: 'Police' },
  pipl: { 'zh-CN': '个人信息保护法', en: 'PIPL' },
};

/** Report kinds in each regime's own words (`report <regime> <kind> …`); an unknown kind is shown as typed. */
const KINDS: Partial<Record<RegimeId, Record<string, Localized>>> = {
  cac: {
    initial: { 'zh-CN': '初次报告', en: 'initial report' },
    supplementary: { 'zh-CN': '补充报告', en: 'supplementary report' },
    summary: { 'zh-CN': '总结报告', en: 'summary report' },
  },
  nfra: {
    report: { 'zh-CN': '操作风险事件报告', en: 'operational-risk event report' },
  },
  csrc: {
    phone: { 'zh-CN': '电话报告', en: 'phone report' },
    written: { 'zh-CN': '网络安全事件情况报告书', en: 'written incident report' },
  },
  police: {
    report: { 'zh-CN': '报案', en: 'report to the police' },
  },
  pipl: {
    'notify-authority': { 'zh-CN': '通知履行个人信息保护职责的部门', en: 'notice to the personal-information authority' },
    'notify-individuals': { 'zh-CN': '通知个人', en: 'notice to the individuals' },
    remedy: { 'zh-CN': '补救措施', en: 'remedial measures' },
  },
};

export function isRegimeId(s: string): s is RegimeId {
  return (REGIME_IDS as readonly string[]).includes(s);
}

/** 人民银行 / PBoC, 网信部门 / CAC, …: the regime's own short name when its folder gives one. */
export function regimeText(id: RegimeId, lang: Lang): string {
  return regimeById(id)?.short[lang] ?? SHORT[id][lang];
}

/** A report kind under a regime in its words (初次报告); a kind we have no words for is shown as recorded. */
export function regimeKindText(regime: RegimeId, kind: string, lang: Lang): string {
  return KINDS[regime]?.[kind]?.[lang] ?? kind;
}

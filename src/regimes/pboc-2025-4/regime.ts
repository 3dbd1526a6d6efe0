// PBoC Order [2025] No. 4 as a regime: its clocks are computeDeadlines' (./deadlines.ts), unchanged; this maps them
// onto the port so they show beside the other regimes' obligations.
import { t, type Lang, type Localized } from '../../i18n/index.ts';
import type { ArticleText, Obligation, Regime, RegimeInput } from '../port.ts';
import type { Deadline, DeadlineResult } from './deadlines.ts';
import { PBOC_ARTICLES, type PbocArticle } from './rules.ts';

const loc = (f: (l: Lang) => string): Localized => ({ 'zh-CN': f('zh-CN'), en: f('en') });
const ORDER_ZH = '《中国人民银行业务领域网络安全事件报告管理办法》';

function toObligation(d: Deadline): Obligation {
  return {
    regime: 'pboc',
    kind: d.kind,
    title: loc((l) => t(l, `report.${d.kind}`)),
    dueAtMs: d.dueAtMs,
    ...(d.dueDate !== undefined ? { dueDate: d.dueDate } : {}),
    article: { 'zh-CN': `${ORDER_ZH}${t('zh-CN', 'ref.article', { article: d.article })}`, en: `PBoC Order [2025] No. 4 Art. ${d.article}` },
    recipient: { 'zh-CN': '中国人民银行或其分支机构', en: 'the PBoC or its branch' },
    status: d.status,
    ...(d.metAtMs !== undefined ? { metAtMs: d.metAtMs } : {}),
    ...(d.late !== undefined ? { late: d.late } : {}),
    ...(d.provisional ? { provisional: true } : {}),
    verified: true,
  };
}

/** PBoC's deadlines as obligations: the contract list, then Art. 16 immediate reports, preliminary and risk feedback. */
export function pbocObligations(r: DeadlineResult): Obligation[] {
  return [...r.deadlines, ...r.immediate, ...(r.preliminary ? [r.preliminary] : []), ...(r.riskFeedback ? [r.riskFeedback] : [])].map(toObligation);
}

/** An article of the order as the port shows it: the verbatim text, paragraphs on their own lines. */
export function articleText(a: PbocArticle): ArticleText {
  return {
    cite: { 'zh-CN': `${ORDER_ZH}${t('zh-CN', 'ref.article', { article: a.article })}`, en: `PBoC Order [2025] No. 4 Art. ${a.article}` },
    text: a.paragraphs.join('\n'),
    verbatim: true,
    source: '中国人民银行令〔2025〕第4号, docs/regulation/pboc-order-2025-4.zh.md',
  };
}

export const pboc: Regime = {
  id: 'pboc',
  name: { 'zh-CN': '中国人民银行', en: 'the People’s Bank of China' },
  short: { 'zh-CN': '人民银行', en: 'PBoC' },
  binds: () => true,
  obligations: (input: RegimeInput) => (input.pbocDeadlines ? pbocObligations(input.pbocDeadlines) : []),
  articles: PBOC_ARTICLES.map(articleText),
};

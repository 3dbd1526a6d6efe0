// The police (公安机关) as a regime: PBoC Order 2025-4 Art. 4 ¶1 (its second sentence) (and CAC's measure) — a suspected crime is reported
// to the police 及时, with no fixed clock; a CII operator's 1-hour CAC report goes to the 公安机关 as well.
import { firstReport, loc, timely } from '../common.ts';
import type { ArticleText, Obligation, Regime, RegimeInput } from '../port.ts';

const ART4 = '涉及危害计算机信息系统等违法犯罪的网络安全事件,金融从业机构还应当及时向公安机关报案。';

function obligations(input: RegimeInput): Obligation[] {
  if (!input.suspectedCrime) return [];
  const cii = input.profile.ciiOperator === true;
  return [
    {
      regime: 'police',
      kind: 'report',
      title: loc('向公安机关报案', 'Report the suspected crime to the police'),
      ...timely(input.discoveredAtMs, firstReport(input.reports, 'police', 'report')),
      article: loc('《中国人民银行业务领域网络安全事件报告管理办法》第四条', 'PBoC Order [2025] No. 4 Art. 4'),
      recipient: loc('公安机关', 'the public security organ (police)'),
      verified: true,
      basis: cii
        ? loc('涉嫌违法犯罪，应及时报案（无固定时限，每日提醒至记录）；本机构为关键信息基础设施运营者，较大以上事件须按网信部门办法 1 小时内同时报告公安机关', 'a suspected crime is reported in good time (no fixed clock, reminded daily until recorded); as a CII operator, a Significant or higher event also goes to the police within 1 h under CAC’s measures')
        : loc('涉嫌违法犯罪，应及时报案（无固定时限，每日提醒至记录）', 'a suspected crime is reported in good time (no fixed clock, reminded daily until recorded)'),
    },
  ];
}

const ARTICLES: readonly ArticleText[] = [
  { cite: loc('《中国人民银行业务领域网络安全事件报告管理办法》第四条', 'PBoC Order [2025] No. 4 Art. 4'), text: ART4, verbatim: true, source: '../shared/regulation/pboc-order-2025-4.zh.md' },
];

export const police: Regime = {
  id: 'police',
  name: { 'zh-CN': '公安机关', en: 'the police (public security organs)' },
  short: { 'zh-CN': '公安', en: 'Police' },
  binds: () => true,
  obligations,
  articles: ARTICLES,
};

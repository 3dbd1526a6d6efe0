// CSRC (中国证监会) as a regime, for securities, futures and fund firms that name `csrc` among their regulators: an
// immediate phone report and a written 网络安全事件情况报告书 whose clock is unverified configuration.
import { clocked, firstReport, HOUR_MS, immediate, loc, settingOf } from '../common.ts';
import type { ArticleText, Obligation, Regime, RegimeInput } from '../port.ts';
import * as R from './rules.ts';

const RECIPIENT = loc('中国证监会派出机构', 'the local CSRC office');

function obligations(input: RegimeInput): Obligation[] {
  const article = loc(R.MEASURE_ZH, R.MEASURE_EN);
  const hours = settingOf(input, R.WRITTEN_REPORT_HOURS);
  const written = firstReport(input.reports, 'csrc', 'written');
  return [
    {
      regime: 'csrc',
      kind: 'phone',
      title: loc('电话报告', 'Phone report'),
      ...immediate(input.discoveredAtMs, input.nowMs, firstReport(input.reports, 'csrc', 'phone')),
      article,
      recipient: RECIPIENT,
      verified: true,
      basis: loc('发现网络安全事件后立即电话报告（立即：发现时即到期，1 小时内未报视为逾期，本产品的理解）', 'an immediate phone report on discovery (at once: due on discovery, overdue one hour later if not made, our reading)'),
    },
    {
      regime: 'csrc',
      kind: 'written',
      title: loc('书面《网络安全事件情况报告书》', 'Written incident report'),
      ...(hours.value !== null
        ? clocked(input.discoveredAtMs + hours.value * HOUR_MS, input.nowMs, written)
        : { dueAtMs: null, status: written ? ('met' as const) : ('pending' as const), ...(written ? { metAtMs: written.atMs } : {}) }),
      article,
      recipient: RECIPIENT,
      verified: false,
      unverified: [hours.unverified],
      basis:
        hours.value !== null
          ? loc(`发现后 ${hours.value} 小时内（时限未核实，由 regimes.${R.WRITTEN_REPORT_HOURS.key} 设定）`, `within ${hours.value} h of discovery (unverified; set by regimes.${R.WRITTEN_REPORT_HOURS.key})`)
          : loc(`时限未核实，未设定：请在机构配置 regimes.${R.WRITTEN_REPORT_HOURS.key} 中设定`, `clock unverified and not set: set it in the institution file at regimes.${R.WRITTEN_REPORT_HOURS.key}`),
    },
  ];
}

const ARTICLES: readonly ArticleText[] = [
  {
    cite: loc(R.MEASURE_ZH, R.MEASURE_EN),
    text: '发生网络安全事件后立即电话报告，随后报送书面《网络安全事件情况报告书》；时限未核实。（摘要，非原文）',
    verbatim: false,
  },
];

export const csrc: Regime = {
  id: 'csrc',
  name: { 'zh-CN': '中国证券监督管理委员会', en: 'the China Securities Regulatory Commission (CSRC)' },
  short: { 'zh-CN': '证监会', en: 'CSRC' },
  binds: (p) => (p.regulators ?? []).includes('csrc'),
  obligations,
  articles: ARTICLES,
};

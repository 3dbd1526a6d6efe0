// NFRA (国家金融监督管理总局) as a regime, for banks and insurers that name `nfra` among their regulators: the Art. 42
// operational-risk report within 5 working days of knowing, when a loss, percentage, data or outage trigger is met.
import { addWorkingDays } from '../../calendar/working-days.ts';
import { endOfShanghaiDate, shanghaiDate } from '../../calendar/time.ts';
import { clocked, firstReport, loc } from '../common.ts';
import type { Localized } from '../../i18n/index.ts';
import type { ArticleText, NfraFacts, Obligation, Regime, RegimeInput } from '../port.ts';
import * as R from './rules.ts';

const yuan = (n: number) => n.toLocaleString('en-US');

/** The Art. 42 triggers the facts meet (percentages only when the institution's 资本净额 is known). */
export function nfraTriggers(f: NfraFacts = {}, netCapitalYuan?: number): Localized[] {
  const out: Localized[] = [];
  const pct = (v: number) => (netCapitalYuan && netCapitalYuan > 0 ? (v / netCapitalYuan) * 100 : undefined);
  if (f.expectedLossYuan !== undefined) {
    const p = pct(f.expectedLossYuan);
    if (f.expectedLossYuan >= R.EXPECTED_LOSS_YUAN) out.push(loc(`预计损失 ${yuan(f.expectedLossYuan)} 元（5000 万元以上）`, `expected loss CNY ${yuan(f.expectedLossYuan)} (CNY 50,000,000 or more)`));
    else if (p !== undefined && p >= R.EXPECTED_LOSS_PERCENT) out.push(loc(`预计损失占资本净额 ${p.toFixed(2)}%（5% 以上）`, `expected loss ${p.toFixed(2)}% of net capital (5% or more)`));
  }
  if (f.lossYuan !== undefined) {
    const p = pct(f.lossYuan);
    if (f.lossYuan >= R.LOSS_YUAN) out.push(loc(`损失 ${yuan(f.lossYuan)} 元（1000 万元以上）`, `loss CNY ${yuan(f.lossYuan)} (CNY 10,000,000 or more)`));
    else if (p !== undefined && p >= R.LOSS_PERCENT) out.push(loc(`损失占资本净额 ${p.toFixed(2)}%（1% 以上）`, `loss ${p.toFixed(2)}% of net capital (1% or more)`));
  }
  if (f.importantDataLost) out.push(loc('重要数据、账簿或凭证毁损、丢失或泄露', 'important data, books or vouchers damaged, lost or leaked'));
  // "≥ 3 h in one province": more provinces only widen it, so `provinces` never takes the trigger away.
  if (f.importantSystemOutageMinutes !== undefined && f.importantSystemOutageMinutes >= R.OUTAGE_MINUTES) {
    out.push(loc(`重要信息系统故障或受攻击，导致一个省内网点或电子渠道业务中断 ${f.importantSystemOutageMinutes} 分钟（3 小时以上）`, `an important information system interrupted branch or electronic-channel business in one province for ${f.importantSystemOutageMinutes} min (3 h or more)`));
  }
  return out;
}

function obligations(input: RegimeInput): Obligation[] {
  const triggers = nfraTriggers(input.nfra, input.profile.netCapitalYuan);
  if (triggers.length === 0) return [];
  const r = addWorkingDays(shanghaiDate(input.discoveredAtMs), R.WORKING_DAYS, input.calendar);
  return [
    {
      regime: 'nfra',
      kind: 'report',
      title: loc('操作风险事件报告', 'Operational-risk incident report'),
      ...clocked(endOfShanghaiDate(r.date), input.nowMs, firstReport(input.reports, 'nfra', 'report')),
      dueDate: r.date,
      ...(r.provisional ? { provisional: true } : {}),
      article: loc(`${R.ORDER_ZH}第四十二条`, `${R.ORDER_EN} Art. 42`),
      recipient: loc('国家金融监督管理总局或其派出机构', 'the NFRA or its local office'),
      verified: true,
      basis: loc(`知悉之日起 5 个工作日内报告：${triggers.map((t) => t['zh-CN']).join('；')}`, `report within 5 working days of knowing: ${triggers.map((t) => t.en).join('; ')}`),
    },
  ];
}

const ARTICLES: readonly ArticleText[] = [
  {
    cite: loc(`${R.ORDER_ZH}第四十二条`, `${R.ORDER_EN} Art. 42`),
    text: '知悉后 5 个工作日内向国家金融监督管理总局或其派出机构报告：预计损失 5000 万元以上或占资本净额 5% 以上；损失 1000 万元以上或占资本净额 1% 以上；重要数据、账簿、凭证毁损、丢失或泄露；重要信息系统故障或受攻击导致一个省内网点或电子渠道业务中断 3 小时以上等。（摘要，非原文；该项其余情形未核实）',
    verbatim: false,
  },
];

export const nfra: Regime = {
  id: 'nfra',
  name: { 'zh-CN': '国家金融监督管理总局', en: 'the National Financial Regulatory Administration (NFRA)' },
  short: { 'zh-CN': '金融监管总局', en: 'NFRA' },
  binds: (p) => (p.regulators ?? []).includes('nfra'),
  obligations,
  articles: ARTICLES,
};

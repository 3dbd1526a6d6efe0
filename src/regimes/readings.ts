// The readings the product takes where the regimes' texts are silent (rules.md "Parallel duties"), for
// `/incident help rules` beside PBoC's readings. Thresholds are read from the rule tables, never restated.
import type { Lang, Localized } from '../i18n/index.ts';
import { IMMEDIATE_GRACE_MS, loc } from './common.ts';
import * as CAC from './cac/rules.ts';
import * as NFRA from './nfra/rules.ts';
import { UNVERIFIED_SETTINGS } from './settings.ts';

const graceMinutes = IMMEDIATE_GRACE_MS / 60_000;

/** Every reading of the parallel regimes, both languages. */
export function regimeReadingsLocalized(): Localized[] {
  const unverified = UNVERIFIED_SETTINGS.map((u) => `regimes.${u.key}`).join(', ');
  return [
    loc(
      '各监管口径分别定级、分别计时：人民银行按"条"计数，网信部门按"人"计数，机器人分别询问，从不互相换算。',
      'Each regime is graded and clocked on its own: PBoC counts records, CAC counts persons; the bot asks for each and never converts one into the other.',
    ),
    loc(
      `"立即"：义务产生时即到期，${graceMinutes} 分钟内未完成即视为逾期（本产品的理解）。`,
      `"At once": due when the duty arises, counted overdue ${graceMinutes} minutes later if not met (our reading).`,
    ),
    loc('"及时"（如向公安机关报案）：无固定时限，不计逾期，每日提醒直至记录。', '"In good time" (e.g. reporting to the police): no fixed clock, never counted overdue, reminded daily until recorded.'),
    loc(
      `网信部门：较大及以上事件须报告；关键信息基础设施运营者 ${CAC.CII_HOURS} 小时、中央和国家机关 ${CAC.CENTRAL_ORGAN_HOURS} 小时、其他运营者 ${CAC.OTHER_HOURS} 小时内初次报告，发现时已达较大的自发现起算，否则自达到较大之时起算（卡片注明）；原因或影响不明的先报后补；处置结束后 ${CAC.SUMMARY_DAYS} 日内报总结报告。`,
      `CAC: Significant and above are reportable; the initial report within ${CAC.CII_HOURS} h for a CII operator, ${CAC.CENTRAL_ORGAN_HOURS} h for a central or state organ, ${CAC.OTHER_HOURS} h for any other operator, counted from discovery when the event was already Significant, else from the moment it became Significant (the card says which); a supplementary report when cause or impact was unknown; the summary within ${CAC.SUMMARY_DAYS} days after handling ends.`,
    ),
    loc(
      `金融监管总局（机构配置中列为监管机构时）：${NFRA.ORDER_ZH}第四十二条，知悉之日起 ${NFRA.WORKING_DAYS} 个工作日内报告，工作日按国务院节假日安排计算。`,
      `NFRA (when the institution names it as a regulator): Art. 42 of its operational-risk measures, within ${NFRA.WORKING_DAYS} working days of knowing, on the State Council holiday schedule.`,
    ),
    loc('个人信息发生或可能发生泄露、篡改、丢失：立即补救并通知个人信息保护职责部门及个人；措施能有效避免危害的可不通知个人。', 'Personal information leaked, tampered with or lost, or possibly so: remedy and notify the protection authority and the individuals at once; the individuals may be skipped where the measures avoid the harm.'),
    loc(
      `未经官方文本核实的数值（${unverified}）为机构配置，显示为"未核实"并注明设定它的配置项；无默认值的，设定前不适用。`,
      `Values not verified against the official text (${unverified}) are institution configuration, shown as unverified with the key that sets them; one with no default applies only once set.`,
    ),
  ];
}

/** The readings in one language, one line each, for `/incident help rules`. */
export function regimeReadings(lang: Lang): string[] {
  return regimeReadingsLocalized().map((r) => r[lang]);
}

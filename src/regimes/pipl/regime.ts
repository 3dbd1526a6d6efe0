// PIPL Art. 57 as a regime: a leak, tampering or loss of personal information, even possible → 立即 remedial measures
// and notice to the authority that protects personal information and to the individuals; the individuals may be
// skipped where the measures effectively avoid the harm (the authority may still require it). Summary from
// ../shared/docs/regimes.md, not the text.
import { firstReport, immediate, loc } from '../common.ts';
import type { ArticleText, Obligation, Regime, RegimeInput } from '../port.ts';

const LAW_ZH = '《中华人民共和国个人信息保护法》';
const LAW_EN = 'Personal Information Protection Law';
const ARTICLE = loc(`${LAW_ZH}第五十七条`, `${LAW_EN} Art. 57`);
const IMMEDIATE = loc('立即：发生时即到期，1 小时内未完成视为逾期（本产品的理解）', 'at once: due when it arises, overdue one hour later if not done (our reading)');
const NOTICE_ITEMS = loc('通知内容：信息种类、原因和可能造成的危害，已采取的补救措施，个人可采取的减轻危害措施，处理者的联系方式', 'the notice says: the kinds of information, the cause and possible harm, the remedies taken, what individuals can do to reduce the harm, and how to reach the handler');

/** Stated for PIPL, or else read from PBoC's data facts: personal information leaked, tampered with or lost, or possibly. */
export function personalInfoInvolved(input: Pick<RegimeInput, 'personalInfoIncident' | 'facts'>): boolean {
  if (input.personalInfoIncident !== undefined) return input.personalInfoIncident;
  const d = input.facts?.data;
  return !!d && (d.personalInfoIncident === true || d.personalInfoIncidentPossible === true || (d.personalInfoRecords ?? 0) > 0 || (d.sensitivePersonalInfoRecords ?? 0) > 0);
}

function obligations(input: RegimeInput): Obligation[] {
  if (!personalInfoInvolved(input)) return [];
  const at = input.discoveredAtMs;
  const of = (kind: string) => immediate(at, input.nowMs, firstReport(input.reports, 'pipl', kind));
  const base = { regime: 'pipl' as const, article: ARTICLE, verified: true };
  const out: Obligation[] = [
    { ...base, kind: 'remedy', title: loc('立即采取补救措施', 'Take remedial measures at once'), ...of('remedy'), recipient: loc('无需报送，由本机构自行采取', 'no one: the institution takes them itself'), basis: IMMEDIATE },
    {
      ...base,
      kind: 'notify-authority',
      title: loc('通知履行个人信息保护职责的部门', 'Notify the personal-information protection authority'),
      ...of('notify-authority'),
      recipient: loc('履行个人信息保护职责的部门', 'the authority responsible for personal-information protection'),
      basis: loc(`${IMMEDIATE['zh-CN']}；${NOTICE_ITEMS['zh-CN']}`, `${IMMEDIATE.en}; ${NOTICE_ITEMS.en}`),
    },
  ];
  if (!input.personalInfoHarmAvoided) {
    out.push({
      ...base,
      kind: 'notify-individuals',
      title: loc('通知个人', 'Notify the individuals'),
      ...of('notify-individuals'),
      recipient: loc('受影响的个人', 'the individuals affected'),
      basis: loc(`${IMMEDIATE['zh-CN']}；${NOTICE_ITEMS['zh-CN']}；采取措施能够有效避免危害的可以不通知个人（监管部门认为可能造成危害的仍有权要求通知）`, `${IMMEDIATE.en}; ${NOTICE_ITEMS.en}; not needed where the measures effectively avoid the harm (the authority may still require it)`),
    });
  }
  return out;
}

const ARTICLES: readonly ArticleText[] = [
  {
    cite: ARTICLE,
    text: '发生或者可能发生个人信息泄露、篡改、丢失的，立即采取补救措施，并通知履行个人信息保护职责的部门和个人；采取措施能够有效避免危害的，可以不通知个人，但部门认为可能造成危害的有权要求通知。（摘要，非原文）',
    verbatim: false,
  },
];

export const pipl: Regime = {
  id: 'pipl',
  name: { 'zh-CN': '个人信息保护（《个人信息保护法》）', en: 'personal-information protection (PIPL)' },
  short: { 'zh-CN': '个人信息保护法', en: 'PIPL' },
  binds: () => true,
  obligations,
  articles: ARTICLES,
};

import { t, type Lang } from '../../i18n/index.ts';
import { otherObligations } from '../../incident/obligations.ts';
import type { IncidentState } from '../../incident/state.ts';
import type { Obligation, RegimeId } from '../../regimes/port.ts';
import { regimeName } from '../card-obligations.ts';
import { regimeWord } from '../commands.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import type { Reply } from '../types.ts';
import { clip, CONTACT_MAX, TEXT_MAX } from './clip.ts';
import type { Handler } from './context.ts';

type OtherRegime = Exclude<RegimeId, 'pboc'>;

/** Each regime's report kinds, with the words users type for them (the kind id itself always works). */
export const REGIME_KINDS: Record<OtherRegime, Record<string, { zh: string; en: string; words: string[] }>> = {
  cac: {
    initial: { zh: '初次报告', en: 'initial report', words: ['初次报告', '初报', '初次', '首报'] },
    supplementary: { zh: '补报', en: 'supplementary report', words: ['补报', '补充报告', '续报'] },
    summary: { zh: '总结报告', en: 'summary report', words: ['总结报告', '总结'] },
  },
  nfra: { report: { zh: '操作风险事件报告', en: 'operational-risk event report', words: ['报告', '操作风险报告', '事件报告'] } },
  csrc: {
    phone: { zh: '电话报告', en: 'phone report', words: ['电话报告', '电话'] },
    written: { zh: '网络安全事件情况报告书', en: 'written incident report', words: ['报告书', '书面报告', '情况报告书', '书面'] },
  },
  police: { report: { zh: '报案', en: 'report to the police', words: ['报案', '报警'] } },
  pipl: {
    remedy: { zh: '补救措施', en: 'remedial measures', words: ['补救', '补救措施', '已补救'] },
    'notify-authority': { zh: '通知履行个人信息保护职责的部门', en: 'notice to the authority', words: ['通知部门', '通知主管部门', '报告部门', '部门'] },
    'notify-individuals': { zh: '通知个人', en: 'notice to the individuals', words: ['通知个人', '告知个人', '个人'] },
  },
};

/** The kind a typed word names under a regime: its static words, or the kind of one of the incident's obligations. */
export function regimeKind(regime: OtherRegime, input: string, obligations: readonly Obligation[]): string | undefined {
  const k = input.toLowerCase();
  const kinds = REGIME_KINDS[regime];
  if (Object.hasOwn(kinds, k)) return k;
  for (const [id, d] of Object.entries(kinds)) if (d.words.includes(input)) return id;
  return obligations.find((o) => o.regime === regime && (o.kind === k || o.title['zh-CN'] === input))?.kind;
}

/** A kind's name: the obligation's title when the incident has it, else the table's. */
export function regimeKindTitle(regime: OtherRegime, kind: string, lang: Lang, obligations: readonly Obligation[] = []): string {
  const o = obligations.find((x) => x.regime === regime && x.kind === kind);
  if (o) return o.title[lang];
  const d = Object.hasOwn(REGIME_KINDS[regime], kind) ? REGIME_KINDS[regime][kind] : undefined;
  return d ? (lang === 'en' ? d.en : d.zh) : kind;
}

/** The next report id: one sequence for PBoC's reports and the other regimes'. */
export function nextReportId(s: IncidentState): string {
  return `R${s.reports.length + s.regimeReports.length + 1}`;
}

/**
 * `report <regime> <kind> via <channel> [to …] [at …] [contact …] [text …]`: a report to the CAC, NFRA, CSRC, the police or
 * under PIPL, recorded on the incident and in the ledger. It meets that regime's obligation, never a PBoC clock.
 */
export const regimeReport: Handler<'regime-report'> = {
  needsIncident: true,
  records: true,
  run: (c, cmd) => {
    const { lang, s, nowMs, a } = c;
    const regime = regimeWord(cmd.regime);
    if (!regime) return c.fail(t(lang, 'err.regime.unknown', { input: cmd.regime }));
    const obligations = otherObligations(s, nowMs, c.ctx.config.assess, a);
    const kind = regimeKind(regime, cmd.kind, obligations);
    const kinds = [...new Set([...Object.keys(REGIME_KINDS[regime]), ...obligations.filter((o) => o.regime === regime).map((o) => o.kind)])];
    if (!kind) {
      return c.fail(t(lang, 'err.regime.kind', {
        regime: regimeName(regime, lang), input: cmd.kind,
        kinds: kinds.map((k) => (lang === 'en' ? `${k} (${regimeKindTitle(regime, k, lang, obligations)})` : `${k}（${regimeKindTitle(regime, k, lang, obligations)}）`)).join(lang === 'en' ? ', ' : '、'),
      }));
    }
    const sentAt = cmd.at ? readTime(lang, cmd.at, nowMs, t(lang, 'field.reportAt'), occurrenceBound(lang, s.values)) : { ok: true as const, value: nowMs };
    if (!sentAt.ok) return c.fail(sentAt.message);
    const owed = obligations.find((o) => o.regime === regime && o.kind === kind);
    const recipient = clip(lang, t(lang, 'field.recipient'), cmd.recipient ?? owed?.recipient['zh-CN'] ?? regimeName(regime, 'zh-CN'), CONTACT_MAX);
    const text = cmd.text !== undefined ? clip(lang, t(lang, 'field.text'), cmd.text, TEXT_MAX) : null;
    const contact = cmd.contact !== undefined ? clip(lang, t(lang, 'field.contact'), cmd.contact, CONTACT_MAX) : null;
    const reportId = nextReportId(s);
    const e = c.ev({
      type: 'regime-report-submitted', reportId, regime, kind, channel: cmd.channel, recipient: recipient.text,
      ...(text ? { summary: text.text, ...(text.cut ? { summaryCut: text.cut } : {}) } : {}),
      ...(cmd.at ? { reportedAt: sentAt.value } : {}), ...(contact ? { contact: contact.text } : {}),
    });
    const channel = /^(phone|im|email|fax|system|written)$/.test(cmd.channel) ? t(lang, `channel.${cmd.channel}` as 'channel.email') : t(lang, `regimeChannel.${cmd.channel}` as 'regimeChannel.web');
    const replies: Reply[] = [{
      type: 'text',
      text: t(lang, 'ok.regimeReport', { id: reportId, regime: regimeName(regime, lang), title: regimeKindTitle(regime, kind, lang, obligations), channel, to: recipient.text, at: t(lang, 'report.at', { at: formatShanghai(sentAt.value) }) }),
    }];
    for (const x of [recipient, text, contact]) if (x?.notice) replies.push({ type: 'text', text: x.notice });
    return c.done([e], replies);
  },
};

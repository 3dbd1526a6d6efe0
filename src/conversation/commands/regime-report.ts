import { t, type Lang } from '../../i18n/index.ts';
import { otherObligations } from '../../incident/obligations.ts';
import type { IncidentState } from '../../incident/state.ts';
import type { Obligation } from '../../regimes/port.ts';
import { regimeName } from '../card-obligations.ts';
import { regimeWord } from '../commands.ts';
import { formatShanghai } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import type { Reply } from '../types.ts';
import { clip, CONTACT_MAX, TEXT_MAX } from './clip.ts';
import type { Handler } from './context.ts';
import { OTHER_REGIME_KINDS, regimeKindName, type OtherRegime } from '../../regimes/kinds.ts';


/** The kind a typed word names under a regime: its static words, or the kind of one of the incident's obligations. */
export function regimeKind(regime: OtherRegime, input: string, obligations: readonly Obligation[]): string | undefined {
  const k = input.toLowerCase();
  const kinds = OTHER_REGIME_KINDS[regime];
  if (Object.hasOwn(kinds, k)) return k;
  for (const [id, d] of Object.entries(kinds)) if (d.words.includes(input)) return id;
  return obligations.find((o) => o.regime === regime && (o.kind === k || o.title['zh-CN'] === input))?.kind;
}

/** A kind's name: the obligation's title when the incident has it, else the table's. */
export function regimeKindTitle(regime: OtherRegime, kind: string, lang: Lang, obligations: readonly Obligation[] = []): string {
  const o = obligations.find((x) => x.regime === regime && x.kind === kind);
  if (o) return o.title[lang];
  return regimeKindName(regime, kind, lang);
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
    const kinds = [...new Set([...Object.keys(OTHER_REGIME_KINDS[regime]), ...obligations.filter((o) => o.regime === regime).map((o) => o.kind)])];
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

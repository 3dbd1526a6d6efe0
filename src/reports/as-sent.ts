// The content of a report as it was sent (Art. 25 对应的报告内容): the report's items as the record stood at
// the moment of sending, without the draft's header, fill-in commands or advice. Pure.
import type { InstitutionConfig } from '../config/institution.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { IncidentState } from '../incident/state.ts';
import { chineseNumber, draftItems, draftTitle, type DraftKind } from './draft.ts';
import { minute } from './format.ts';

export interface SentContent {
  text: string;
  missing: string[]; // labels of required items that had no value when sent
  cut: number; // characters cut beyond the ledger's cap (0 when whole)
}

/** The content kept whole up to this many characters (as a user's own text is). */
const SENT_MAX = 20_000;

export function contentAsSent(kind: DraftKind, s: IncidentState, sentAtMs: number, config: InstitutionConfig, lang: Lang = 'zh-CN'): SentContent {
  const items = draftItems(kind, s, sentAtMs, config, lang);
  const colon = lang === 'en' ? ': ' : '：';
  const lines = [draftTitle(kind, s, config, lang), t(lang, 'sent.reportedAt', { at: minute(sentAtMs) })];
  items.forEach((item, n) => {
    const num = lang === 'en' ? `${n + 1}. ` : `${chineseNumber(n + 1)}、`;
    // What was sent says 无 for an optional item not given, never the bot's own note about it.
    lines.push(`${num}${item.label}${colon}${item.assumedNone ? t(lang, 'sent.none') : item.value ?? t(lang, 'sent.missing')}`);
  });
  const text = lines.join('\n');
  return { text: text.slice(0, SENT_MAX), cut: Math.max(0, text.length - SENT_MAX), missing: items.filter((i) => i.value === null).map((i) => i.label) };
}

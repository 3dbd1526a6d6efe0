// Small formatting helpers shared by drafts, the DOCX and the ledger.
import { t, type Lang } from '../i18n/index.ts';
import type { Channel } from '../regimes/pboc-2025-4/channels.ts';
import type { ReportKind } from '../regimes/pboc-2025-4/deadlines.ts';
import { GRADE_EN, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import { formatShanghaiMinute } from '../calendar/time.ts';
import { regimeKindName, type OtherRegime } from '../regimes/kinds.ts';
import { regimeShort } from '../regimes/registry.ts';

/** A grade as a report states it: the Chinese grade, with its English name in English texts. */
export function gradeText(grade: Grade, lang: Lang): string {
  return lang === 'en' ? `${GRADE_EN[grade]} (${grade})` : grade;
}

export function kindText(kind: ReportKind | `${string}.${string}`, lang: Lang): string {
  // Another regime's obligation, as an acknowledged reminder names it: `cac.initial` → 网信部门 初次报告.
  const other = /^(cac|nfra|csrc|police|pipl)\.(.+)$/.exec(kind) as [string, OtherRegime, string] | null;
  if (other) return `${regimeShort(other[1], lang)} ${regimeKindName(other[1], other[2], lang)}`;
  return t(lang, `report.${kind as ReportKind}`);
}

export function channelText(channel: Channel, lang: Lang): string {
  return t(lang, `channel.${channel}`);
}

/** A channel of a report under another regime: PBoC's words for PBoC's channels, else the CAC's (12387 hotline, …). */
export function anyChannelText(channel: string, lang: Lang): string {
  if (/^(phone|im|email|fax|system|written)$/.test(channel)) return t(lang, `channel.${channel as Channel}`);
  if (/^(hotline|web|wechat|in-person)$/.test(channel)) return t(lang, `regimeChannel.${channel as 'web'}`);
  return channel;
}

/** "2026-11-29 10:05", Shanghai time. */
export const minute = formatShanghaiMinute;

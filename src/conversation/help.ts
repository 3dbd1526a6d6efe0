import { regimeReadings } from '../regimes/readings.ts';
import { t, type Lang } from '../i18n/index.ts';
import { z } from 'zod';
import { FIELDS } from '../incident/fields.ts';
import { FactsSchema } from '../regimes/pboc-2025-4/facts.ts';
import { shanghaiDate } from '../calendar/time.ts';
import { missingSchedules, type Calendar } from '../calendar/working-days.ts';
import { peakLines } from './peak-text.ts';
import type { BotConfig } from './types.ts';
import { DEFAULT_POLICY, type ReminderPolicy } from '../reminders/planner.ts';
import { roleName } from '../reminders/message.ts';
import { formatDurationMs } from './parse-duration.ts';

/** `/incident help reminders`: the policy the bot runs with, from the institution file or the defaults. */
export function remindersHelp(lang: Lang, p: ReminderPolicy = DEFAULT_POLICY): string {
  const sep = lang === 'en' ? ', ' : '、';
  const ladder = [...p.escalation].sort((a, b) => a.afterMinutes - b.afterMinutes).map((e) => t(lang, 'help.remindersRung', {
    after: e.afterMinutes === 0 ? t(lang, 'help.remindersAtOnce') : t(lang, 'help.remindersAfter', { after: formatDurationMs(e.afterMinutes * 60_000, lang) }),
    role: roleName(e, lang),
    mentions: e.mentions.length ? ` (@${e.mentions.join(' @')})` : '',
  }));
  const quiet = p.quiet.nightPosts ? t(lang, 'help.remindersNight') : t(lang, 'help.remindersQuiet', { hours: p.quiet.afterOverdueHours, from: p.quiet.from, to: p.quiet.to });
  return t(lang, 'help.reminders', {
    before: p.hourStepsMinutes.join(sep), workdays: p.workdayStepsDays.join(sep), at: p.workdayHour,
    ladder: ladder.join(lang === 'en' ? '; ' : '；'), digest: p.digestAt.join(sep) || '-', quiet,
  });
}

/** Said before it bites: the holiday schedule of this year, or (from 1 November) of the next, is not loaded. */
export function missingScheduleNote(lang: Lang, calendar: Calendar, nowMs: number): string | null {
  const years = missingSchedules(calendar, shanghaiDate(nowMs));
  return years.length ? t(lang, 'help.scheduleMissing', { years: years.join(lang === 'en' ? ', ' : '、') }) : null;
}

/** `/incident help [commands|rules|fields|reminders]`; rules end with each network's peak hours and how they were found. */
export function helpText(lang: Lang, topic?: string, now?: { calendar: Calendar; nowMs: number }, config?: BotConfig): string {
  const k = (topic ?? '').toLowerCase();
  if (k === 'rules' || k === '规则' || k === '口径') {
    const note = now ? missingScheduleNote(lang, now.calendar, now.nowMs) : null;
    return [t(lang, 'help.rules'), ...(note ? [`⚠ ${note}`] : []), ...(config ? peakLines(lang, config.institution.networks) : []), '', ...regimeReadings(lang)].join('\n');
  }
  if (k === 'reminders' || k === 'reminder' || k === '提醒') return remindersHelp(lang, config?.reminders);
  if (k === 'fields' || k === '字段' || k === 'set' || k === '设置') {
    const lines = FIELDS.map((f) => `  ${f.path.replace('networks.N.', 'networks.0.')}  ${f.label[lang]}  (${f.aliases.slice(0, 3).join(' / ')})${inGradeFacts(f.path) ? '' : t(lang, 'help.chatOnly')}`);
    return `${t(lang, 'help.fieldsHead')}\n${t(lang, 'help.chatOnlyNote')}\n${lines.join('\n')}`;
  }
  return t(lang, 'help.commands');
}

/** Whether a chat field path is also a field of `pboc-incident grade`'s Facts (design.md's contract); else chat-only. */
export function inGradeFacts(path: string): boolean {
  let schema: z.ZodTypeAny | undefined = FactsSchema;
  for (const seg of path.split('.')) {
    while (schema instanceof z.ZodOptional || schema instanceof z.ZodEffects) schema = schema instanceof z.ZodOptional ? schema.unwrap() : schema.innerType();
    if (schema instanceof z.ZodArray && (seg === 'N' || /^\d+$/.test(seg))) schema = schema.element;
    else if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodTypeAny>)[seg];
    else return false;
    if (!schema) return false;
  }
  return true;
}

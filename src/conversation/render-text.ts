import { t, type Lang } from '../i18n/index.ts';
import type { IncidentCard, QuestionView, Reply } from './types.ts';

/** Plain-text rendering of replies, for the console and for platforms' fallback text. */
export function renderCardText(c: IncidentCard): string {
  const lang: Lang = c.lang;
  const lines: string[] = [];
  const sep = lang === 'en' ? ': ' : '：';
  lines.push(`━━ ${c.drill ? `${t(lang, 'card.drill')} ` : ''}${c.incidentId} ${c.title} ━━ ${c.gradeText} · ${c.status}`);
  if (c.exampleConfig) lines.push(`  ${t(lang, 'card.example')}`);
  lines.push(`${t(lang, 'card.basis')}${sep}`);
  for (const b of c.basis) lines.push(`  • ${b}`);
  for (const r of c.record ?? []) lines.push(`  · ${r}`);
  if (c.unsettled.length) lines.push(`${t(lang, 'card.unsettled')}${sep}${c.unsettled.join(lang === 'en' ? ', ' : '、')}`);
  if (c.escalation) lines.push(`⏱ ${c.escalation}`);
  if (c.reminders) lines.push(c.reminders);
  if (c.sources?.length) {
    lines.push(`${t(lang, 'card.sources')}${sep}`);
    for (const x of c.sources) lines.push(`  • ${x}`);
  }
  if (c.deadlines.length) {
    lines.push(`${t(lang, 'card.deadlines')}${sep}`);
    for (const d of c.deadlines) {
      const mark = d.status === 'met' ? '✓' : d.status === 'overdue' ? '✗' : '○';
      lines.push(`  ${mark} ${d.label}  ${d.dueText}${d.provisional ? t(lang, 'card.provisional') : ''}  ${d.leftText}`);
    }
  }
  if (c.awaiting.length) {
    lines.push(`${t(lang, 'card.awaitingHead')}${sep}`);
    for (const a of c.awaiting) lines.push(`  ! ${a}`);
  }
  lines.push(`${t(lang, 'card.route')}${sep}${c.route.join(lang === 'en' ? '; ' : '；')}`);
  if (c.warnings.length) for (const w of c.warnings) lines.push(`⚠ ${w}`);
  if (c.parallel.length) {
    lines.push(`${t(lang, 'card.parallel')}${sep}`);
    for (const p of c.parallel) lines.push(`  • ${p}`);
  }
  if (c.next.length) {
    lines.push(`${t(lang, 'card.next')}${sep}`);
    for (const n of c.next) lines.push(`  → ${n}`);
  }
  return lines.join('\n');
}

/** One header line plus open deadlines: for answers that changed neither grade nor obligations. */
export function renderCompactText(c: IncidentCard): string {
  const open = c.deadlines.filter((d) => d.status !== 'met').map((d) => `  ${d.status === 'overdue' ? '✗' : '○'} ${d.label}  ${d.dueText}  ${d.leftText}`);
  return [`━━ ${c.incidentId} ━━ ${c.gradeText}`, ...(c.escalation ? [`⏱ ${c.escalation}`] : []), ...open].join('\n');
}

export function renderQuestionText(q: QuestionView): string {
  const opts = q.options.map((o, i) => `  ${i + 1}. ${o.label}`);
  return [`? ${q.prompt}`, ...opts, `  (${q.hint})`].join('\n');
}

export function renderText(replies: readonly Reply[]): string {
  return replies
    .map((r) => {
      switch (r.type) {
        case 'text': return r.text;
        case 'error': return `✗ ${r.text}`;
        case 'card': return r.compact ? renderCompactText(r.card) : renderCardText(r.card);
        case 'question': return renderQuestionText(r.question);
        case 'file': return `📎 ${r.title} (${r.filename})`;
      }
    })
    .join('\n');
}

import { LANGS, t, type Lang } from '../../src/i18n/index.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import type { DeadlineView, IncidentCard, QuestionView, Reply } from '../../src/conversation/types.ts';

/** One element of a Feishu card (JSON 2.0). */
export type CardElement = Record<string, unknown>;

/** A Feishu card in JSON 2.0: header colour by grade, markdown body, callback buttons and forms. */
export interface CardJson {
  schema: '2.0';
  config: { update_multi: true; width_mode: 'fill'; summary?: { content: string } };
  header?: { title: PlainText; subtitle?: PlainText; template: HeaderColour };
  body: { elements: CardElement[] };
}

interface PlainText { tag: 'plain_text'; content: string }
export type HeaderColour = 'red' | 'orange' | 'yellow' | 'blue' | 'grey';

/** What a button (or a form's submit button) sends back in card.action.trigger's action.value. */
export interface ActionValue {
  kind: 'answer';
  incidentId: string;
  questionId: string;
  value?: string; // absent on a form submit: the typed answer arrives in form_value
  label?: string;
}

/** The adapter's own words: button labels and toasts (the core's catalog holds everything else). */
export const UI: Record<Lang, {
  unknown: string; skip: string; submit: string; recorded: string; working: string; notAllowed: string; duplicate: string;
  answered: (a: string) => string; fileFailed: (name: string) => string;
}> = {
  'zh-CN': {
    unknown: '不确定', skip: '跳过', submit: '提交', recorded: '已记录', working: '正在处理，结果稍后更新到这张卡片',
    notAllowed: '本群未启用事件机器人（FEISHU_ALLOWED_CHATS）', duplicate: '已处理',
    answered: (a) => `已回答：${a}`,
    fileFailed: (name) => `文件 ${name} 未能发送到飞书，请稍后重新发送该命令`,
  },
  en: {
    unknown: 'Not sure', skip: 'Skip', submit: 'Submit', recorded: 'Recorded', working: 'Working on it; this card will be updated',
    notAllowed: 'The incident bot is not enabled in this chat (FEISHU_ALLOWED_CHATS)', duplicate: 'Already handled',
    answered: (a) => `Answered: ${a}`,
    fileFailed: (name) => `The file ${name} could not be sent to Feishu; send the command again later`,
  },
};

// Card markdown (JSON 2.0) decodes HTML entities; entities keep user text from becoming tags, links or emphasis.
const MD_ENTITY: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '*': '&#42;', '_': '&#95;', '~': '&#126;', '`': '&#96;',
  '[': '&#91;', ']': '&#93;', '\\': '&#92;', '#': '&#35;', '$': '&#36;', '|': '&#124;',
};

/** Escapes text for card markdown: no <at>, <font>, links, emphasis, code, headings, lists or tables from user input. */
export function escapeMd(text: string): string {
  return text
    .replace(/[&<>*_~`[\]\\#$|]/g, (c) => MD_ENTITY[c] ?? c)
    .replace(/^(\s*)([-+=])/gm, (_m, sp: string, c: string) => `${sp}&#${c.charCodeAt(0)};`)
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1&#46;');
}

/** Escapes text for a text message, whose only markup is tags such as <at user_id="...">. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A text-message mention: <at> for Feishu open ids (ou_...), a plain escaped @name for anything else. */
export function mentionText(who: string): string {
  const id = who.replace(/^feishu:/, '');
  return /^ou_[A-Za-z0-9_-]+$/.test(id) ? `<at user_id="${id}"></at>` : `@${escapeText(id)}`;
}

/** 特别重大 red, 重大 orange, 较大 yellow, 一般 blue; anything else grey. */
export function headerColour(level: number): HeaderColour {
  return level === 1 ? 'red' : level === 2 ? 'orange' : level === 3 ? 'yellow' : level === 4 ? 'blue' : 'grey';
}

const md = (content: string, extra: Record<string, unknown> = {}): CardElement => ({ tag: 'markdown', content, ...extra });
const plain = (content: string): PlainText => ({ tag: 'plain_text', content });

function deadlineLine(d: DeadlineView, lang: Lang): string {
  const mark = d.status === 'met' ? '✓' : d.status === 'overdue' ? '✗' : '○';
  const left = escapeMd(d.leftText);
  const coloured = d.status === 'overdue' ? `<font color='red'>${left}</font>` : d.status === 'met' ? `<font color='green'>${left}</font>` : `**${left}**`;
  return `${mark} ${escapeMd(d.label)}\u3000${escapeMd(d.dueText)}${d.provisional ? escapeMd(t(lang, 'card.provisional')) : ''}\u3000${coloured}`;
}

function section(head: string, lines: string[], bullet: string): CardElement | null {
  return lines.length ? md(`**${escapeMd(head)}**\n${lines.map((l) => `${bullet} ${escapeMd(l)}`).join('\n')}`) : null;
}

/** The incident card's body: grade basis, deadlines, route, duties, next steps. Compact: open deadlines only. */
function incidentElements(c: IncidentCard, compact: boolean): CardElement[] {
  const lang = c.lang;
  const sep = lang === 'en' ? ': ' : '：';
  const open = c.deadlines.filter((d) => !compact || d.status !== 'met');
  const deadlines = open.length ? md(`**${escapeMd(t(lang, 'card.deadlines'))}**\n${open.map((d) => deadlineLine(d, lang)).join('\n')}`) : null;
  const escalation = c.escalation ? md(`⏱ ${escapeMd(c.escalation)}`) : null;
  if (compact) return [escalation, deadlines].filter((e): e is CardElement => e !== null);
  const out: Array<CardElement | null> = [
    c.exampleConfig ? md(escapeMd(t(lang, 'card.example')), { text_size: 'notation' }) : null,
    section(t(lang, 'card.basis'), c.basis, '•'),
    c.unsettled.length ? md(`**${escapeMd(t(lang, 'card.unsettled'))}**${sep}${escapeMd(c.unsettled.join(lang === 'en' ? ', ' : '、'))}`) : null,
    escalation,
    section(t(lang, 'card.sources'), c.sources ?? [], '•'), // monitoring alerts (src/alerts)
    { tag: 'hr' },
    deadlines,
    section(t(lang, 'card.awaitingHead'), c.awaiting, '!'),
    md(`**${escapeMd(t(lang, 'card.route'))}**${sep}${escapeMd(c.route.join(lang === 'en' ? '; ' : '；'))}`),
    ...c.warnings.map((w) => md(`⚠ ${escapeMd(w)}`)),
    section(t(lang, 'card.parallel'), c.parallel, '•'),
    section(t(lang, 'card.next'), c.next, '→'),
  ];
  return out.filter((e): e is CardElement => e !== null);
}

function button(label: string, value: ActionValue, type: 'default' | 'primary' = 'default'): CardElement {
  return { tag: 'button', text: plain(label), type, behaviors: [{ type: 'callback', value }] };
}

/** A question: buttons for its options (and "not sure"/"skip"), a form input for numbers, times and text. */
export function questionElements(q: QuestionView, lang: Lang): CardElement[] {
  const base = { kind: 'answer' as const, incidentId: q.incidentId, questionId: q.id };
  const choices = q.options.map((o) => ({ value: o.value, label: o.label }));
  if (q.allowUnknown && !choices.some((o) => o.value === 'unknown')) choices.push({ value: 'unknown', label: UI[lang].unknown });
  choices.push({ value: 'skip', label: UI[lang].skip });
  const buttons = choices.map((o) => button(o.label, { ...base, value: o.value, label: o.label }));
  const typed = q.answerType !== 'choice' && q.answerType !== 'yesno';
  const out: CardElement[] = [
    { tag: 'hr' },
    md(`**❓ ${escapeMd(q.prompt)}**`),
    { tag: 'column_set', flex_mode: 'flow', horizontal_spacing: '8px', columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })) },
  ];
  if (typed) {
    out.push({
      tag: 'form',
      name: `form_${q.id}`,
      elements: [
        { tag: 'input', name: 'answer', required: true, max_length: 200, placeholder: plain(q.hint) },
        { ...button(UI[lang].submit, base, 'primary'), name: 'submit', form_action_type: 'submit' },
      ],
    });
  } else {
    out.push(md(escapeMd(q.hint), { text_size: 'notation' })); // a form shows the hint in its input instead
  }
  return out;
}

/**
 * The language replies are in: the first card's; else a file's, told by its title (the core words the written
 * report's title in the report's language, which is the asker's unless they asked for the other); else the fallback.
 */
export function langOf(replies: readonly Reply[], fallback: Lang): Lang {
  const card = replies.find((r): r is Extract<Reply, { type: 'card' }> => r.type === 'card');
  if (card) return card.card.lang;
  for (const r of replies) {
    if (r.type !== 'file') continue;
    const lang = LANGS.find((l) => t(l, 'file.finalDocx', { id: r.incidentId }) === r.title);
    if (lang) return lang;
  }
  return fallback;
}

/** All replies to one input as one card; `answered` marks the answer a button or form just gave. */
export function renderCard(replies: readonly Reply[], opts: { lang: Lang; answered?: string }): CardJson {
  const elements: CardElement[] = [];
  if (opts.answered !== undefined) elements.push(md(`✓ ${escapeMd(UI[opts.lang].answered(opts.answered))}`));
  let header: CardJson['header'];
  for (const r of replies) {
    if (r.type === 'text') elements.push(md(escapeMd(r.text)));
    else if (r.type === 'error') elements.push(md(`<font color='red'>✗ ${escapeMd(r.text)}</font>`));
    else if (r.type === 'question') elements.push(...questionElements(r.question, opts.lang));
    else if (r.type === 'file') elements.push(md(`📎 ${escapeMd(r.title)}`)); // the file itself is sent as a file message
    else {
      const c = r.card;
      if (!header) {
        header = {
          title: plain(`${c.drill ? t(c.lang, 'card.drill') : ''}${c.incidentId} ${c.title}`),
          subtitle: plain(`${c.gradeText} · ${c.status}`),
          template: headerColour(c.level),
        };
      } else {
        elements.push({ tag: 'hr' }, md(`**${escapeMd(`${c.incidentId} ${c.title}`)}** · ${escapeMd(c.gradeText)}`));
      }
      elements.push(...incidentElements(c, r.compact === true));
    }
  }
  const summary = renderText(replies).split('\n')[0]?.slice(0, 100) ?? '';
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', ...(summary ? { summary: { content: summary } } : {}) },
    ...(header ? { header } : {}),
    body: { elements },
  };
}

/** A reminder as a text message: the text escaped, then the responsible people mentioned. */
export function renderReminderText(replies: readonly Reply[], mentions: readonly string[]): string {
  const who = mentions.map(mentionText).join(' ');
  return `${escapeText(renderText(replies))}${who ? `\n${who}` : ''}`;
}

export interface Toast { type: 'success' | 'error' | 'info' | 'warning'; content: string }

/** The toast a card callback answers with: the first error, else "recorded" and the answer. */
export function toastFor(replies: readonly Reply[], lang: Lang, answered: string): Toast {
  const error = replies.find((r) => r.type === 'error');
  if (error) return { type: 'error', content: error.text.slice(0, 200) };
  return { type: 'success', content: `${UI[lang].recorded}${lang === 'en' ? ': ' : '：'}${answered}`.slice(0, 200) };
}

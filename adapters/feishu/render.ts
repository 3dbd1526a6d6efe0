import { t, type Lang } from '../../src/i18n/index.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import { cut, splitText, utf8Bytes } from '../text.ts';
import type { DeadlineView, IncidentCard, QuestionView, Reply } from '../../src/conversation/types.ts';
import { langOf } from '../../src/conversation/reply-lang.ts';
import type { Outbound } from '../../src/reminders/message.ts';
import { isAckCommand } from '../ack.ts';
import type { OutMessage } from './transport/api.ts';
import type { FeishuTarget } from './transport/send.ts';
import type { FeishuSettings } from './settings.ts';
import type { PlatformRender, Rendered } from '../kit/platform.ts';

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

/** What a reminder's acknowledge button sends back: the `ack` command the ticker wrote (checked on the way back). */
export interface AckValue {
  kind: 'ack';
  command: string;
}

/** The adapter's own words: button labels and toasts (the core's catalog holds everything else). */
export const UI: Record<Lang, {
  unknown: string; skip: string; submit: string; choose: string; continued: string; tooLong: string; textFile: (name: string) => string; recorded: string; working: string; duplicate: string;
  answered: (a: string) => string; fileFailed: (name: string) => string;
}> = {
  'zh-CN': {
    unknown: '不确定', skip: '跳过', submit: '提交', choose: '请选择…', continued: '（续）',
    tooLong: '消息过长（超过 20,000 个字符），未处理。请分几条发送，或用 /incident set 分别设置各项。',
    textFile: (name) => `全文另附文件 ${name}`, recorded: '已记录', working: '正在处理，结果稍后更新到这张卡片',
    duplicate: '已处理',
    answered: (a) => `已回答：${a}`,
    fileFailed: (name) => `文件 ${name} 未能发送到飞书，请稍后重新发送该命令`,
  },
  en: {
    unknown: 'Not sure', skip: 'Skip', submit: 'Submit', choose: 'Choose…', continued: '(continued)',
    tooLong: 'The message is too long (over 20,000 characters) and was not handled. Send it in parts, or set each item with /incident set.',
    textFile: (name) => `The full text is also attached as ${name}`, recorded: 'Recorded', working: 'Working on it; this card will be updated',
    duplicate: 'Already handled',
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
    // Horizontal white space only: `\s*` under the m flag spans line breaks, and a run of them made this quadratic.
    .replace(/^([ \t]*)([-+=])/gm, (_m, sp: string, c: string) => `${sp}&#${c.charCodeAt(0)};`)
    .replace(/^([ \t]*\d+)\.(?=\s)/gm, '$1&#46;');
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

/** Margins under Feishu's limits (30 KB a card, 200 components, markdown cut near 10,000 characters). */
const CARD_BYTES = 25_000;
const COMPONENTS = 150;
const MD_MAX = 3000;
const TITLE_MAX = 200;
const BUTTONS_MAX = 12; // more choices than this: a select menu
/** What the bot echoes of a user's answer at most ("answered: …", toasts). */
export const ECHO_MAX = 200;

const md = (content: string, extra: Record<string, unknown> = {}): CardElement => ({ tag: 'markdown', content, ...extra });
const plain = (content: string): PlainText => ({ tag: 'plain_text', content });

function deadlineLine(d: DeadlineView, lang: Lang): string {
  const mark = d.status === 'met' ? '✓' : d.status === 'overdue' ? '✗' : '○';
  const left = escapeMd(d.leftText);
  const coloured = d.status === 'overdue' ? `<font color='red'>${left}</font>` : d.status === 'met' ? `<font color='green'>${left}</font>` : `**${left}**`;
  return `${mark} ${escapeMd(d.label)}\u3000${escapeMd(d.dueText)}${d.provisional ? escapeMd(t(lang, 'card.provisional')) : ''}\u3000${coloured}`;
}

/** Markdown in the fewest elements of at most MD_MAX characters each: lines (already escaped) are kept whole where they fit. */
function mdLines(lines: readonly string[], extra: Record<string, unknown> = {}, wrap: (s: string) => string = (x) => x): CardElement[] {
  const out: CardElement[] = [];
  let cur = '';
  for (const l of lines) {
    splitText(l, MD_MAX).forEach((piece, i) => {
      const sep = i === 0 ? '\n' : '';
      if (cur && cur.length + sep.length + piece.length > MD_MAX) {
        out.push(md(wrap(cur), extra));
        cur = '';
      }
      cur = cur ? `${cur}${sep}${piece}` : piece;
    });
  }
  if (cur || out.length === 0) out.push(md(wrap(cur), extra));
  return out;
}

function section(head: string, lines: string[], bullet: string): CardElement[] {
  return lines.length ? mdLines([`**${escapeMd(head)}**`, ...lines.map((l) => `${bullet} ${escapeMd(l)}`)]) : [];
}

/** The incident card's body: grade basis, deadlines, route, duties, next steps. Compact: open deadlines only. */
function incidentElements(c: IncidentCard, compact: boolean): CardElement[] {
  const lang = c.lang;
  const sep = lang === 'en' ? ': ' : '：';
  const open = c.deadlines.filter((d) => !compact || d.status !== 'met');
  const deadlines = open.length ? mdLines([`**${escapeMd(t(lang, 'card.deadlines'))}**`, ...open.map((d) => deadlineLine(d, lang))]) : [];
  const escalation = c.escalation ? md(cut(`⏱ ${escapeMd(c.escalation)}`, MD_MAX)) : null;
  if (compact) return [escalation, ...deadlines].filter((e): e is CardElement => e !== null);
  const out: Array<CardElement | null> = [
    c.exampleConfig ? md(escapeMd(t(lang, 'card.example')), { text_size: 'notation' }) : null,
    ...section(t(lang, 'card.basis'), c.basis, '•'),
    ...section(t(lang, 'card.record'), c.record ?? [], '·'),
    ...(c.unsettled.length ? mdLines([`**${escapeMd(t(lang, 'card.unsettled'))}**${sep}${escapeMd(c.unsettled.join(lang === 'en' ? ', ' : '、'))}`]) : []),
    escalation,
    c.reminders ? md(cut(escapeMd(c.reminders), MD_MAX)) : null,
    ...section(t(lang, 'card.sources'), c.sources ?? [], '•'), // monitoring alerts (src/alerts)
    { tag: 'hr' },
    ...deadlines,
    ...section(t(lang, 'card.awaitingHead'), c.awaiting, '!'),
    ...mdLines([`**${escapeMd(t(lang, 'card.route'))}**${sep}${escapeMd(c.route.join(lang === 'en' ? '; ' : '；'))}`]),
    ...c.warnings.flatMap((w) => mdLines([`⚠ ${escapeMd(w)}`])),
    ...section(t(lang, 'card.parallel'), c.parallel, '•'),
    ...section(t(lang, 'card.next'), c.next, '→'),
  ];
  return out.filter((e): e is CardElement => e !== null);
}

function button(label: string, value: ActionValue | AckValue, type: 'default' | 'primary' = 'default'): CardElement {
  return { tag: 'button', text: plain(label), type, behaviors: [{ type: 'callback', value }] };
}

/** A question's choices as its buttons (or menu) offer them: its options, "not sure" where allowed, and "skip". */
function choicesOf(q: QuestionView, lang: Lang): Array<{ label: string; value: string }> {
  const choices = q.options.map((o) => ({ value: o.value, label: o.label }));
  if (q.allowUnknown && !choices.some((o) => o.value === 'unknown')) choices.push({ value: 'unknown', label: UI[lang].unknown });
  choices.push({ value: 'skip', label: UI[lang].skip });
  return choices;
}

/** A question: buttons for its options (and "not sure"/"skip"), a form input for numbers, times and text. */
export function questionElements(q: QuestionView, lang: Lang): CardElement[] {
  const base = { kind: 'answer' as const, incidentId: q.incidentId, questionId: q.id };
  const choices = choicesOf(q, lang);
  const typed = q.answerType !== 'choice' && q.answerType !== 'yesno';
  const choose: CardElement = choices.length > BUTTONS_MAX
    // A long list is one select menu (two components) rather than a column and a button per option.
    ? {
      tag: 'select_static', placeholder: plain(UI[lang].choose),
      options: choices.map((o) => ({ text: plain(cut(o.label, 100)), value: o.value })),
      behaviors: [{ type: 'callback', value: base }],
    }
    : { tag: 'column_set', flex_mode: 'flow', horizontal_spacing: '8px', columns: choices.map((o) => ({ tag: 'column', width: 'auto', elements: [button(o.label, { ...base, value: o.value, label: o.label })] })) };
  const out: CardElement[] = [
    { tag: 'hr' },
    md(cut(`**❓ ${escapeMd(q.prompt)}**`, MD_MAX)),
    choose,
  ];
  if (typed) {
    out.push({
      tag: 'form',
      name: `form_${q.id}`,
      elements: [
        { tag: 'input', name: 'answer', required: true, max_length: 1000, placeholder: plain(cut(q.hint, 100)) },
        { ...button(UI[lang].submit, base, 'primary'), name: 'submit', form_action_type: 'submit' },
      ],
    });
  } else {
    out.push(md(cut(escapeMd(q.hint), MD_MAX), { text_size: 'notation' })); // a form shows the hint in its input instead
  }
  return out;
}


/**
 * All replies to one input as cards, as few as the limits allow: each under CARD_BYTES (Feishu refuses a card over
 * 30 KB, the fallback too) and COMPONENTS (Feishu allows 200), markdown elements under MD_MAX (Feishu cuts them
 * near 10,000 characters). Only the first card has the header; `answered` marks the answer a button or form just gave.
 */
export function renderCards(replies: readonly Reply[], opts: { lang: Lang; answered?: string }): CardJson[] {
  const groups: CardElement[][] = [];
  if (opts.answered !== undefined) groups.push([md(cut(`✓ ${escapeMd(UI[opts.lang].answered(cut(opts.answered, ECHO_MAX)))}`, MD_MAX))]);
  let header: CardJson['header'];
  for (const r of replies) {
    if (r.type === 'text') groups.push(...mdLines(r.text.split('\n').map(escapeMd)).map((e) => [e]));
    else if (r.type === 'error') groups.push(...mdLines(`✗ ${r.text}`.split('\n').map(escapeMd), {}, (x) => `<font color='red'>${x}</font>`).map((e) => [e]));
    else if (r.type === 'question') groups.push(questionElements(r.question, opts.lang)); // kept together on one card
    else if (r.type === 'file') groups.push([md(cut(`📎 ${escapeMd(r.title)}`, MD_MAX))]); // the file itself is sent as a file message
    else {
      const c = r.card;
      if (!header) {
        header = {
          title: plain(cut(`${c.drill ? t(c.lang, 'card.drill') : ''}${c.incidentId} ${c.title}`, TITLE_MAX)),
          subtitle: plain(cut(`${c.gradeText} · ${c.status}`, TITLE_MAX)),
          template: headerColour(c.level),
        };
        if (c.title.length + c.incidentId.length + 1 > TITLE_MAX) groups.push(...mdLines([escapeMd(c.title)]).map((e) => [e])); // the whole title
      } else {
        groups.push([{ tag: 'hr' }], ...mdLines([`**${escapeMd(`${c.incidentId} ${c.title}`)}** · ${escapeMd(c.gradeText)}`]).map((e) => [e]));
      }
      groups.push(...incidentElements(c, r.compact === true).map((e) => [e]));
    }
  }
  const summary = cut(renderText(replies).split('\n')[0] ?? '', 100);
  const card = (elements: CardElement[], first: boolean): CardJson => ({
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', ...(summary ? { summary: { content: first ? summary : cut(`${UI[opts.lang].continued}${summary}`, 100) } } : {}) },
    ...(header && first ? { header } : {}),
    body: { elements },
  });
  const overhead = utf8Bytes(JSON.stringify(card([], true)));
  const cards: CardElement[][] = [];
  let cur: CardElement[] = [];
  let bytes = overhead;
  let components = 0;
  for (const g of groups) {
    const gBytes = g.reduce((n, e) => n + utf8Bytes(JSON.stringify(e)) + 1, 0);
    const gComponents = countComponents(g);
    if (cur.length > 0 && (bytes + gBytes > CARD_BYTES || components + gComponents > COMPONENTS)) {
      cards.push(cur);
      cur = [];
      bytes = overhead;
      components = 0;
    }
    cur.push(...g);
    bytes += gBytes;
    components += gComponents;
  }
  if (cur.length || cards.length === 0) cards.push(cur.length ? cur : [md(' ')]);
  return cards.map((elements, i) => card(elements, i === 0));
}

/** One card: the first of renderCards (for replies known to be short). */
export function renderCard(replies: readonly Reply[], opts: { lang: Lang; answered?: string }): CardJson {
  return renderCards(replies, opts)[0]!;
}

/** Elements, columns and form children, however deep: what Feishu counts against its 200 components. */
function countComponents(elements: readonly CardElement[]): number {
  let n = 0;
  for (const e of elements) {
    n += 1;
    if (Array.isArray(e.elements)) n += countComponents(e.elements as CardElement[]);
    if (Array.isArray(e.columns)) n += countComponents(e.columns as CardElement[]);
  }
  return n;
}

/** A reminder as a text message: the text escaped, then the responsible people mentioned. */
export function renderReminderText(replies: readonly Reply[], mentions: readonly string[]): string {
  const who = mentions.map(mentionText).join(' ');
  return `${escapeText(renderText(replies))}${who ? `\n${who}` : ''}`;
}

/** A card-markdown mention: <at id=…> for Feishu open ids (it notifies them), an escaped @name for anything else. */
export function mentionMd(who: string): string {
  const id = who.replace(/^feishu:/, '');
  return /^ou_[A-Za-z0-9_-]+$/.test(id) ? `<at id=${id}></at>` : `@${escapeMd(id)}`;
}

/**
 * A reminder with an acknowledge button, as cards (a text message cannot carry a button): the text, the responsible
 * people mentioned, and under the last part the button, whose value is only the ticker's `ack` command.
 */
export function renderReminderCards(replies: readonly Reply[], mentions: readonly string[], ack: { command: string; label: string }, lang: Lang): CardJson[] {
  const cards = renderCards(replies, { lang });
  const last = cards[cards.length - 1]!;
  const who = mentions.map(mentionMd).join(' ');
  const value: AckValue = { kind: 'ack', command: ack.command };
  last.body.elements.push(
    ...(who ? [md(cut(who, MD_MAX))] : []),
    { tag: 'column_set', flex_mode: 'flow', columns: [{ tag: 'column', width: 'auto', elements: [button(cut(ack.label, 40), value, 'primary')] }] },
  );
  return cards;
}

/** Text messages are limited to 150 KB; a reminder longer than this goes as cards instead. */
export const REMINDER_TEXT_MAX = 20_000;

export interface Toast { type: 'success' | 'error' | 'info' | 'warning'; content: string }

/** The toast a card callback answers with: the first error, else "recorded" and the answer. */
export function toastFor(replies: readonly Reply[], lang: Lang, answered: string): Toast {
  const error = replies.find((r) => r.type === 'error');
  if (error) return { type: 'error', content: cut(error.text, 200) };
  return { type: 'success', content: cut(`${UI[lang].recorded}${lang === 'en' ? ': ' : '：'}${answered}`, 200) };
}

/** Incidents the replies are about (cards, questions and files carry their incident's id). */
export function incidentsOf(replies: readonly Reply[]): string[] {
  const ids = replies.flatMap((r) => (r.type === 'card' ? [r.card.incidentId] : r.type === 'question' ? [r.question.incidentId] : r.type === 'file' ? [r.incidentId] : []));
  return [...new Set(ids)];
}

/** A text reply at least this long (a report draft) is also sent as a file, to copy or forward whole. */
export const DRAFT_FILE_MIN = 3000;

/** The replies plus a .txt file for each long text, named after the incident it is about. */
export function withDraftFiles(replies: readonly Reply[], lang: Lang): Reply[] {
  const incidentId = incidentsOf(replies)[0] ?? /\b(?:INC|DRILL)-\d{8}-\d+\b/.exec(replies.map((r) => (r.type === 'text' ? r.text : '')).join('\n'))?.[0] ?? 'reply';
  const out: Reply[] = [];
  replies.forEach((r, i) => {
    out.push(r);
    if (r.type !== 'text' || r.text.length < DRAFT_FILE_MIN) return;
    const filename = `${incidentId}-text-${i + 1}.txt`;
    out.push({ type: 'file', filename, mimeType: 'text/plain; charset=utf-8', data: new TextEncoder().encode(r.text), title: UI[lang].textFile(filename), incidentId });
  });
  return out;
}

/**
 * A reminder as a text message mentioning the responsible people; a reminder with an acknowledge button, anything
 * with a card, or anything too long for text, as cards.
 */
export function reminderMessages(m: Outbound, lang: Lang): OutMessage[] {
  const plainText = m.replies.every((r) => r.type === 'text' || r.type === 'error');
  if (plainText && m.ack && isAckCommand(m.ack.command)) return renderReminderCards(m.replies, m.mentions, m.ack, lang).map((card) => ({ msgType: 'interactive', card }));
  const text = plainText ? renderReminderText(m.replies, m.mentions) : '';
  if (plainText && text.length <= REMINDER_TEXT_MAX) return [{ msgType: 'text', text }];
  const mentions: Reply[] = m.mentions.length ? [{ type: 'text', text: m.mentions.map((x) => `@${x.replace(/^feishu:/, '')}`).join(' ') }] : [];
  return renderCards([...m.replies, ...mentions], { lang }).map((card) => ({ msgType: 'interactive', card }));
}

export { langOf }; // one definition for every adapter: src/conversation/reply-lang.ts

/** One message to Feishu, and what the transport needs to send it once (see transport/send.ts). */
export type FeishuMessage = OutMessage & SendNotes;

/** What the transport needs to send a message once, and where. */
export interface SendNotes {
  /** Feishu's de-duplication uuid, from the event the message answers. */
  uuid?: string;
  /** A reminder's key and the message's part in it: the uuid is made with the store's identity. */
  reminder?: { key: string; part: string };
  /** Under this incident's root message when it is in the chat, else a new message (files, reminders). */
  incident?: string;
  /** The incidents a first answer is about: it becomes their root message. */
  about?: string[];
  /** What the log calls it. */
  what?: string;
}

/** A card callback's answer (a toast, the card replacing the clicked one), or the card patched when it came too late. */
export interface FeishuUpdate {
  toast: Toast;
  card?: CardJson;
  /** Cards that follow under the clicked one (a long answer; who acknowledged). */
  more?: CardJson[];
  /** Cards posted under the clicked one only when the toast could not be shown (a refusal after "working"). */
  instead?: CardJson[];
  /** The incidents the answer is about: the clicked card becomes their root message if they have none. */
  about?: string[];
}

/** A file reply whose file Feishu has taken (transport.prepare), to be sent as a file message. */
export type UploadedFile = Extract<Reply, { type: 'file' }> & { fileKey: string };
const uploadedKey = (r: Reply): string | undefined => (r as Partial<UploadedFile>).fileKey;

const cardMessage = (card: CardJson, extra: SendNotes = {}): FeishuMessage => ({ msgType: 'interactive', card, ...extra });

/** Feishu's render as the kit runs it: cards (the first replying to the message), then the answer's files. */
export const render: PlatformRender<FeishuSettings, FeishuMessage, FeishuUpdate, FeishuTarget> = {
  limits: { textChars: MD_MAX },
  replies(_s, replies, o) {
    // The uuids come from the message answered, so that an attempt Feishu took but did not confirm is not posted
    // twice (nor when a restart resumes a message whose reply went out just before the crash).
    const from = o.seed.replace(/^msg:/, '');
    const uuid = (prefix: string) => `${prefix}-${from}`.slice(0, 50);
    const asks = replies.some((r) => r.type === 'question');
    const cards: Rendered<FeishuMessage>[] = renderCards(replies, { lang: o.lang }).map((card, i) => ({
      message: cardMessage(card, i === 0 ? { uuid: uuid('ev'), about: incidentsOf(replies) } : { uuid: uuid(`e${i}`) }),
      ...(asks ? { card: {} } : {}),
    }));
    const files = replies.flatMap((r) => (r.type === 'file' && uploadedKey(r) ? [r] : []));
    return [
      ...cards,
      ...files.map((f, i): Rendered<FeishuMessage> => ({
        message: { msgType: 'file', fileKey: uploadedKey(f)!, uuid: uuid(`f${i}`), incident: f.incidentId, what: `sending ${f.filename}` },
        file: f.filename,
      })),
    ];
  },
  reminder(_s, m, o) {
    const out = reminderMessages(m, o.lang);
    const ack = m.ack && isAckCommand(m.ack.command) ? m.ack : null;
    return out.map((message, i): Rendered<FeishuMessage> => ({
      message: { ...message, reminder: { key: o.seed, part: i === 0 ? 'r' : `m${i}` }, ...(i === 0 ? { incident: m.incidentId, what: `the reminder for ${m.incidentId}` } : {}) },
      // The acknowledge button is on the last card.
      ...(ack && message.msgType === 'interactive' && i === out.length - 1 ? { card: { ack: { label: ack.label, command: ack.command, value: ack.command, incidentId: m.incidentId } } } : {}),
    }));
  },
  text: (text) => ({ msgType: 'text', text }),
  clicked(replies, lang, answered) {
    const toast = toastFor(replies, lang, answered);
    // A refused answer leaves the question card as it was, so it can be answered again.
    if (replies.every((x) => x.type === 'error')) return { toast, instead: renderCards(replies, { lang }) };
    const [card, ...more] = renderCards(replies, { lang, answered });
    return { toast, card: card!, more, about: incidentsOf(replies) };
  },
  acknowledged(said, _label, lang = 'zh-CN') {
    // The reminder keeps its button, for the others; the chat sees who acknowledged, under it.
    return { toast: { type: 'success', content: cut(said || UI[lang].recorded, ECHO_MAX) }, more: said ? renderCards([{ type: 'text', text: said }], { lang }) : [] };
  },
  working: (_answered, lang) => ({ toast: { type: 'info', content: UI[lang].working } }),
  options: (replies, lang) => replies.flatMap((r) => (r.type === 'question' ? choicesOf(r.question, lang) : [])),
  fileFailed: (names, lang) => cardMessage(renderCards(names.map((n): Reply => ({ type: 'error', text: UI[lang].fileFailed(n) })), { lang })[0]!),
};

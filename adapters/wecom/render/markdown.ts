import { t, type Lang } from '../../../src/i18n/index.ts';
import type { DeadlineView, IncidentCard, QuestionView, Reply } from '../../../src/conversation/types.ts';
import { langOf } from '../../../src/conversation/reply-lang.ts';

// WeCom markdown for stream replies and pushed messages. Pure.

/** A stream reply's content and, by our own cap, a pushed markdown message: at most this many UTF-8 bytes; a longer answer goes as several. */
export const MARKDOWN_MAX_BYTES = 20_480;

// Characters WeCom markdown gives a meaning (mentions and <font> tags, emphasis, links, code, quotes, tables)
// become their full-width forms: shown as typed to a reader, inert to the renderer. WeCom documents no escape
// character, so a backslash or an HTML entity could not be relied on.
const FULLWIDTH: Record<string, string> = {
  '<': '＜', '>': '＞', '*': '＊', '_': '＿', '`': '｀', '[': '［', ']': '］', '#': '＃', '~': '～', '|': '｜', '\\': '＼', '$': '＄',
};

/** Makes text inert in WeCom markdown: no <@userid> mention, <font> tag, link, emphasis, code, heading, quote or list. */
export function escapeMd(text: string): string {
  return text
    .replace(/[<>*_`[\]#~|\\$]/g, (c) => FULLWIDTH[c] ?? c)
    // Horizontal space only: `\s*` after `^` crossed line breaks and backtracked over every one of them (quadratic).
    .replace(/^([ \t\u3000]*)([-+=])/gm, (_m, sp: string, c: string) => `${sp}${String.fromCharCode(c.charCodeAt(0) + 0xfee0)}`)
    .replace(/^([ \t\u3000]*\d+)\.(?=\s)/gm, '$1．');
}

/**
 * Another platform's id: a platform prefix (`slack:`, `dingtalk:` ...; every registry id is a lowercase word) other
 * than `wecom:`. WeCom userids never hold a colon. Not read from the registry, which imports this declaration.
 */
const OTHER_PLATFORM = /^(?!wecom:)[a-z]+:/;

/** A responsible person in a group: `wecom:zhangsan` or a bare userid → `<@zhangsan>`; a name → plain `@name`; other platforms' ids are left out. */
export function mention(who: string): string | null {
  if (OTHER_PLATFORM.test(who)) return null;
  const id = who.replace(/^wecom:/, '');
  return /^[A-Za-z0-9_.@-]{1,64}$/.test(id) ? `<@${id}>` : `@${escapeMd(id)}`;
}

/** Cuts `s` to at most `max` UTF-8 bytes on a character boundary, ending in … when cut (a welcome: one message only). */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

const bold = (s: string) => `**${s}**`;
// No <font> colours: the smart robot's markdown subset is not documented to take them; marks carry the status.

function deadlineLine(d: DeadlineView, lang: Lang): string {
  const mark = d.status === 'met' ? '✓' : d.status === 'overdue' ? '✗' : '○';
  const left = escapeMd(d.leftText);
  const shown = d.status === 'met' ? left : bold(left);
  return `${mark} ${escapeMd(d.label)}\u3000${escapeMd(d.dueText)}${d.provisional ? escapeMd(t(lang, 'card.provisional')) : ''}\u3000${shown}`;
}

function section(head: string, lines: readonly string[], bullet: string): string[] {
  return lines.length ? [bold(escapeMd(head)), ...lines.map((l) => `${bullet} ${escapeMd(l)}`)] : [];
}

/** The incident card as markdown: title, grade basis, deadlines, route, duties, next steps; compact: open deadlines only. */
export function incidentMarkdown(c: IncidentCard, compact: boolean): string[] {
  const lang = c.lang;
  const sep = lang === 'en' ? ': ' : '：';
  const title = `${c.drill ? t(lang, 'card.drill') : ''}${c.incidentId} ${c.title}`;
  const head = `${bold(escapeMd(title))}\u3000${escapeMd(`${c.gradeText} · ${c.status}`)}`;
  const open = c.deadlines.filter((d) => !compact || d.status !== 'met');
  const deadlines = open.length ? [bold(escapeMd(t(lang, 'card.deadlines'))), ...open.map((d) => deadlineLine(d, lang))] : [];
  const escalation = c.escalation ? [`⏱ ${escapeMd(c.escalation)}`] : [];
  if (compact) return [head, ...escalation, ...deadlines];
  return [
    head,
    ...(c.exampleConfig ? [escapeMd(t(lang, 'card.example'))] : []),
    ...section(t(lang, 'card.basis'), c.basis, '•'),
    ...(c.unsettled.length ? [`${bold(escapeMd(t(lang, 'card.unsettled')))}${sep}${escapeMd(c.unsettled.join(lang === 'en' ? ', ' : '、'))}`] : []),
    ...escalation,
    ...(c.reminders ? [escapeMd(c.reminders)] : []),
    ...deadlines,
    ...section(t(lang, 'card.awaitingHead'), c.awaiting, '!'),
    `${bold(escapeMd(t(lang, 'card.route')))}${sep}${escapeMd(c.route.join(lang === 'en' ? '; ' : '；'))}`,
    ...c.warnings.map((w) => `⚠ ${escapeMd(w)}`),
    ...section(t(lang, 'card.parallel'), c.parallel, '•'),
    ...section(t(lang, 'card.next'), c.next, '→'),
  ];
}

/** A question in the text: its prompt, its options, and how to answer by typing (buttons are on the card below it). */
export function questionMarkdown(q: QuestionView, group: boolean, lang: Lang): string[] {
  const opts = q.options.map((o, i) => `${i + 1}. ${escapeMd(o.label)}`);
  const how = group ? UI[lang].typeInGroup : UI[lang].typeInChat;
  return [bold(`❓ ${escapeMd(q.prompt)}`), ...opts, `${escapeMd(q.hint)}${lang === 'en' ? ' — ' : '；'}${escapeMd(how)}`];
}

/** The adapter's own words: card buttons, card states, file notes (the core's catalog holds everything else). */
export const UI: Record<Lang, {
  unknown: string; skip: string; choose: string; submit: string; recorded: string; working: string; answered: (a: string) => string;
  typeInGroup: string; typeInChat: string; fileFailed: (name: string) => string;
  /** A reminder's acknowledge button where the core's label is longer than a WeCom button takes (10 characters). */
  ack: string;
}> = {
  'zh-CN': {
    unknown: '不确定', skip: '跳过', choose: '请选择', submit: '提交', recorded: '已记录', working: '正在处理，结果将另行发送',
    answered: (a) => `已回答：${a}`,
    typeInGroup: '也可 @机器人 后直接输入答案', typeInChat: '也可直接输入答案', ack: '知悉',
    fileFailed: (name) => `文件 ${name} 未能发送到企业微信，请稍后重新发送该命令`,
  },
  en: {
    unknown: 'Not sure', skip: 'Skip', choose: 'Choose one', submit: 'Submit', recorded: 'Recorded', working: 'Working on it; the result follows as a message', ack: 'Got it',
    answered: (a) => `Answered: ${a}`,
    typeInGroup: 'or @-mention the bot with the answer', typeInChat: 'or type the answer',
    fileFailed: (name) => `The file ${name} could not be sent to WeCom; send the command again later`,
  },
};


const bytesOf = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Splits `text` into parts of at most `max` UTF-8 bytes, in order, losing nothing: at line ends where it can, and a
 * line longer than a part on character boundaries.
 */
export function splitBytes(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  let curBytes = 0;
  const flush = () => {
    if (cur !== '') out.push(cur);
    cur = '';
    curBytes = 0;
  };
  for (const line of text.split('\n')) {
    const n = bytesOf(line);
    if (cur !== '' && curBytes + 1 + n <= max) {
      cur += `\n${line}`;
      curBytes += 1 + n;
      continue;
    }
    flush();
    if (n <= max) {
      cur = line;
      curBytes = n;
      continue;
    }
    for (const ch of line) {
      const c = bytesOf(ch);
      if (curBytes + c > max) flush();
      cur += ch;
      curBytes += c;
    }
  }
  flush();
  return out.length ? out : [''];
}

/**
 * All replies to one input as markdown (a question's buttons go on a template card beside it), in parts of at most
 * MARKDOWN_MAX_BYTES each; the mentions end the last part, whole.
 */
export function renderMarkdown(replies: readonly Reply[], opts: { lang: Lang; group: boolean; answered?: string; mentions?: readonly string[] }): string[] {
  const blocks: string[][] = [];
  if (opts.answered !== undefined) blocks.push([`✓ ${escapeMd(UI[opts.lang].answered(opts.answered))}`]);
  for (const r of replies) {
    if (r.type === 'text') blocks.push([escapeMd(r.text)]);
    else if (r.type === 'error') blocks.push([`✗ ${escapeMd(r.text)}`]);
    else if (r.type === 'question') blocks.push(questionMarkdown(r.question, opts.group, opts.lang));
    else if (r.type === 'file') blocks.push([`📎 ${escapeMd(r.title)}`]); // the file itself follows as a file message
    else blocks.push(incidentMarkdown(r.card, r.compact === true));
  }
  const who = (opts.mentions ?? []).map(mention).filter((m): m is string => m !== null);
  if (who.length) blocks.push([who.join(' ')]);
  // Mentions come last, whole, so that splitting an over-long text never cuts one in half.
  const body = blocks.slice(0, who.length ? -1 : undefined).map((b) => b.join('\n')).join('\n\n');
  const parts = splitBytes(body, MARKDOWN_MAX_BYTES);
  if (!who.length) return parts;
  const tail = `\n\n${who.join(' ')}`;
  const last = parts.length - 1;
  if (bytesOf(parts[last]!) + bytesOf(tail) <= MARKDOWN_MAX_BYTES) parts[last] += tail;
  else parts.push(who.join(' '));
  return parts;
}

export { langOf }; // one definition for every adapter: src/conversation/reply-lang.ts

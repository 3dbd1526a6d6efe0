import { CHANNELS, CONFIRM_CHANNELS, type Channel, type ConfirmChannel } from '../regimes/pboc-2025-4/channels.ts';
import { GRADES, type Grade } from '../regimes/pboc-2025-4/grades.ts';

export type ReportCommandKind = 'brief' | 'incident' | 'progress' | 'immediate' | 'final' | 'preliminary' | 'revision' | 'risk-feedback';

/** A parsed `/incident ...` command. Values stay raw text: the step parses them against `now`. */
export type Command =
  | { name: 'new'; title: string }
  | { name: 'status'; id?: string }
  | { name: 'set'; field: string; value: string }
  | { name: 'answer'; value: string }
  | { name: 'skip' }
  | { name: 'report'; kind: ReportCommandKind; channel: Channel; recipient?: string; committedDate?: string; at?: string; contact?: string; text?: string }
  // A report under another regime (CAC, NFRA, CSRC, police, PIPL): regime and kind as typed, checked by the handler.
  | { name: 'regime-report'; regime: string; kind: string; channel: string; recipient?: string; at?: string; contact?: string; text?: string }
  | { name: 'confirm'; report: string; channel: ConfirmChannel; contact: string; at?: string }
  | { name: 'resolve'; at?: string }
  | { name: 'reopen' }
  | { name: 'lower'; grade: Grade; reason: string }
  | { name: 't0'; at: string }
  | { name: 'contact'; report: string; contact: string }
  | { name: 'correct'; field: string; value: string; reason: string }
  | { name: 'void'; report: string; reason: string }
  | { name: 'amend'; report: string; reason: string; at?: string; contact?: string; text?: string }
  | { name: 'feedback'; at?: string }
  | { name: 'risk'; due: string; summary: string }
  | { name: 'milestone'; text: string }
  | { name: 'note'; text: string }
  | { name: 'use'; id: string }
  | { name: 'list' }
  | { name: 'lang'; lang: string }
  | { name: 'draft'; kind: string; lang?: string; docx?: boolean }
  | { name: 'ledger'; from?: string; to?: string }
  | { name: 'web'; revoke?: string }
  | { name: 'help'; topic?: string }
  // Acknowledges an obligation's reminder: a report kind word, or a receipt confirmation by report id; `list`: several
  // at once (`ack brief,cac.initial`, what a post of several reminders prints), the first of them also as `obligation`.
  | { name: 'ack'; obligation: string; reportId?: string; list?: AckItem[] };

/** One obligation an `ack` names. */
export interface AckItem { obligation: string; reportId?: string }

export type CommandError =
  | { code: 'empty' }
  | { code: 'unknown-command'; word: string }
  | { code: 'usage'; command: string }
  | { code: 'two-incidents'; ids: string[] };

const ALIASES: Record<string, Command['name']> = {
  new: 'new', 新建: 'new', 新事件: 'new',
  status: 'status', 状态: 'status',
  set: 'set', 设置: 'set',
  answer: 'answer', 回答: 'answer', 答: 'answer',
  skip: 'skip', 跳过: 'skip',
  report: 'report', 报告: 'report', 报送: 'report',
  confirm: 'confirm', 确认: 'confirm',
  resolve: 'resolve', 结束: 'resolve', 处置结束: 'resolve',
  reopen: 'reopen', 重新打开: 'reopen',
  lower: 'lower', 降级: 'lower',
  t0: 't0', 起算: 't0',
  contact: 'contact', 接报人: 'contact', 接报联系人: 'contact',
  correct: 'correct', 更正: 'correct', 纠正: 'correct',
  void: 'void', 作废: 'void',
  amend: 'amend', 修正: 'amend', 修改报告: 'amend', 更改: 'amend',
  feedback: 'feedback', 反馈: 'feedback', 退回: 'feedback',
  risk: 'risk', 风险提示: 'risk',
  milestone: 'milestone', 进展: 'milestone',
  note: 'note', 备注: 'note',
  use: 'use', 切换: 'use',
  list: 'list', 列表: 'list',
  lang: 'lang', 语言: 'lang', language: 'lang',
  draft: 'draft', 草稿: 'draft', 起草: 'draft',
  ledger: 'ledger', 台账: 'ledger',
  web: 'web', 网页: 'web', 合规视图: 'web',
  help: 'help', 帮助: 'help', '?': 'help',
  ack: 'ack', 知悉: 'ack', 已知悉: 'ack',
};

/** The obligation names a reminder prints for `/incident ack` (and their Chinese forms). */
export const ACK_WORDS = (): Record<string, ReportCommandKind> => ({ ...REPORT_WORDS, risk: 'risk-feedback', 风险: 'risk-feedback', 风险提示: 'risk-feedback' });

/** The report kind an `ack` word names, by own-property lookup (`constructor` names nothing); undefined when none. */
export function ackKind(w: string): ReportCommandKind | undefined {
  return word(ACK_WORDS(), w);
}

export const REPORT_WORDS: Record<string, ReportCommandKind> = {
  brief: 'brief', 简要: 'brief', 简要报告: 'brief', 事发简要报告: 'brief',
  incident: 'incident', 事发: 'incident', 事发报告: 'incident',
  progress: 'progress', 进展: 'progress', 进展报告: 'progress', 事中进展报告: 'progress',
  immediate: 'immediate', 立即: 'immediate', 立即报告: 'immediate',
  final: 'final', 总结: 'final', 事后: 'final', 事后调查总结报告: 'final', 总结报告: 'final',
  preliminary: 'preliminary', 初步: 'preliminary', 初步报告: 'preliminary',
  revision: 'revision', 修改: 'revision', 修订: 'revision', 重新报送: 'revision',
  'risk-feedback': 'risk-feedback', 核查反馈: 'risk-feedback',
};

const CHANNEL_WORDS: Record<string, Channel> = {
  phone: 'phone', 电话: 'phone', im: 'im', 即时通信: 'im', 即时通讯: 'im', email: 'email', mail: 'email', 邮件: 'email',
  电子邮件: 'email', fax: 'fax', 传真: 'fax', system: 'system', 系统: 'system', 信息系统: 'system', written: 'written', 书面: 'written',
};

/** The regimes besides PBoC a report may be recorded under, by id and Chinese name. */
export const REGIME_WORDS: Record<string, 'cac' | 'nfra' | 'csrc' | 'police' | 'pipl'> = {
  cac: 'cac', 网信: 'cac', 网信部门: 'cac', 网信办: 'cac',
  nfra: 'nfra', 金融监管总局: 'nfra', 金融监管: 'nfra', 监管总局: 'nfra',
  csrc: 'csrc', 证监会: 'csrc',
  police: 'police', 公安: 'police', 公安机关: 'police',
  pipl: 'pipl', 个人信息: 'pipl', 个人信息保护: 'pipl',
};

/** The regime a word names (own-property lookup), or undefined. */
export function regimeWord(w: string | undefined): (typeof REGIME_WORDS)[string] | undefined {
  return word(REGIME_WORDS, w);
}

/** Channels of the other regimes' reports: PBoC's words, and the CAC's 12387 hotline, website and WeChat, in person. */
const REGIME_CHANNEL_WORDS: Record<string, string> = {
  hotline: 'hotline', '12387': 'hotline', 热线: 'hotline', web: 'web', website: 'web', 网站: 'web', 平台: 'web', 网上: 'web',
  wechat: 'wechat', 微信: 'wechat', 'in-person': 'in-person', 现场: 'in-person', 当面: 'in-person', 上门: 'in-person',
};

const CONNECTORS = new Set(['via', 'by', '通过', '经', 'to', '至', '给', '报送至', 'contact', '联系人', '接报人', '接报联系人', 'date', '承诺', '承诺日期', 'at', '于', '时间', 'reason', '原因', 'text', '内容']);

/** An incident id typed in a command: `INC-20261201-02`, `DRILL-20261201-01`. */
const INCIDENT_ID = /^(INC|DRILL)-\d{8}-\d{2,}$/i;

/** Own-property lookup: user text such as `__proto__` or `constructor` never reaches Object.prototype. */
function lookup<T>(map: Record<string, T>, k: string): T | undefined {
  return Object.hasOwn(map, k) ? map[k] : undefined;
}

function word<T>(map: Record<string, T>, w: string | undefined): T | undefined {
  return w === undefined ? undefined : lookup(map, w.toLowerCase()) ?? lookup(map, w);
}

/** Splits on whitespace (ASCII or ideographic). */
function tokens(s: string): string[] {
  return s.trim().split(/[\s\u3000]+/).filter(Boolean);
}

/** Reads `key value...` options after the fixed words: e.g. `via email to 上海总部 date 2026-12-18`. */
function options(rest: string[], keys: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | null = null;
  for (const t of rest) {
    const k = lookup(keys, t.toLowerCase()) ?? lookup(keys, t);
    if (k) { current = k; out[k] = ''; continue; }
    if (current) out[current] = out[current] ? `${out[current]} ${t}` : t;
  }
  return out;
}

/** Words whose value is content, never a selector: `text`/`reason` run to the end of the line, `contact` to the next option. */
const CONTENT_TO_END = /^(text|内容|reason|原因|因)$/i;
const CONTENT_TO_OPTION = /^(contact|联系人|接报人|接报联系人)$/i;
/** Commands whose words are all content or carry no incident: an id among them selects nothing. */
const NO_SELECTOR: ReadonlySet<Command['name']> = new Set(['new', 'help', 'lang', 'list', 'ledger', 'web']);

/**
 * The incident ids among a command's words that select an incident, and the words without them. Ids inside the
 * value of `text`, `reason` or `contact` are content and stay where they are.
 */
export function selectors(args: readonly string[]): { ids: string[]; rest: string[] } {
  const ids: string[] = [];
  const rest: string[] = [];
  let content: 'end' | 'option' | null = null;
  for (const w of args) {
    if (content !== 'end' && CONTENT_TO_END.test(w)) content = 'end';
    else if (content === null && CONTENT_TO_OPTION.test(w)) content = 'option';
    else if (content === 'option' && CONNECTORS.has(w.toLowerCase())) content = CONTENT_TO_OPTION.test(w) ? 'option' : null;
    if (content === null && INCIDENT_ID.test(w)) {
      if (!ids.includes(w.toUpperCase())) ids.push(w.toUpperCase());
      continue;
    }
    rest.push(w);
  }
  return { ids, rest };
}

/**
 * Parses the text after `/incident` (or `/事件`). An incident id anywhere among the command's words (outside the
 * values of `text`, `reason` and `contact`) names the incident it acts on: `target`. Two different ids are refused.
 */
export function parseCommand(text: string): { ok: true; command: Command; target?: string } | { ok: false; error: CommandError } {
  const t = tokens(text.replace(/^\/(incident|事件)\b/i, '').replace(/^\/事件/, ''));
  if (t.length === 0) return { ok: true, command: { name: 'help' } };
  const [head, ...args] = t as [string, ...string[]];
  const name = word(ALIASES, head);
  if (!name) return { ok: false, error: { code: 'unknown-command', word: head } };
  if (NO_SELECTOR.has(name)) return parseArgs(name, args);
  const { ids, rest } = selectors(args);
  if (ids.length > 1) return { ok: false, error: { code: 'two-incidents', ids } };
  const target = ids[0];
  // `use <id>` and `status <id>` take the id as their argument.
  if (target && (name === 'use' || name === 'status')) return parseArgs(name, [target, ...rest]);
  const r = parseArgs(name, rest);
  return r.ok && target ? { ...r, target } : r;
}

/** The options of `report` (PBoC's and the other regimes'): channel, recipient, time sent and contact. */
const REPORT_OPTIONS: Record<string, string> = {
  via: 'via', 通过: 'via', 经: 'via', to: 'to', 至: 'to', 给: 'to', 报送至: 'to',
  at: 'at', 于: 'at', 时间: 'at', contact: 'contact', 联系人: 'contact', 接报人: 'contact', 接报联系人: 'contact',
};

/**
 * A report command's words after its first `from`: the option words up to `text <content>` (the content as sent, to
 * the end of the line; nothing after it is an option), that content, and the option words that are not connectors.
 * null when `text` has no content after it.
 */
function reportWords(rest: string[], from: number): { words: string[]; content: string; positional: string[] } | null {
  const textAt = rest.findIndex((w, i) => i >= from && /^(text|内容)$/i.test(w));
  const words = textAt >= 0 ? rest.slice(from, textAt) : rest.slice(from);
  const content = textAt >= 0 ? rest.slice(textAt + 1).join(' ') : '';
  if (textAt >= 0 && !content) return null;
  return { words, content, positional: words.filter((w) => !CONNECTORS.has(w.toLowerCase())) };
}

function parseRegimeReport(rest: string[], usage: { ok: false; error: CommandError }): { ok: true; command: Command } | { ok: false; error: CommandError } {
  const fail = { ok: false as const, error: { code: 'usage' as const, command: 'regime-report' } };
  const [regime, kind] = rest;
  if (!regime || !kind) return usage;
  const split = reportWords(rest, 2);
  if (!split) return fail;
  const { words, content, positional } = split;
  const opts = options(words, REPORT_OPTIONS);
  const ch = opts.via ?? positional[0];
  const channel = word(CHANNEL_WORDS, ch) ?? word(REGIME_CHANNEL_WORDS, ch);
  if (!channel || opts.at === '' || opts.contact === '' || opts.to === '') return fail;
  return {
    ok: true,
    command: {
      name: 'regime-report', regime, kind, channel, ...(opts.to ? { recipient: opts.to } : {}), ...(opts.at ? { at: opts.at } : {}),
      ...(opts.contact ? { contact: opts.contact } : {}), ...(content ? { text: content } : {}),
    },
  };
}

function parseArgs(name: Command['name'], rest: string[]): { ok: true; command: Command } | { ok: false; error: CommandError } {
  const usage = { ok: false as const, error: { code: 'usage' as const, command: name } };
  const restText = rest.join(' ');
  switch (name) {
    case 'new':
      return restText ? { ok: true, command: { name, title: restText } } : usage;
    case 'status':
      return { ok: true, command: rest[0] ? { name, id: rest[0].toUpperCase() } : { name } };
    case 'set': {
      const [field, ...value] = rest;
      return field && value.length > 0 ? { ok: true, command: { name, field, value: value.join(' ') } } : usage;
    }
    case 'answer':
      return restText ? { ok: true, command: { name, value: restText } } : usage;
    case 'report': {
      // `report <regime> <kind> via <channel> …`: a report under another regime. A first word that is neither a PBoC
      // report nor a channel, followed by a kind, is taken as a regime the handler names as unknown.
      if (regimeWord(rest[0]) || (rest[0] && !word(REPORT_WORDS, rest[0]) && rest[1] && !CONNECTORS.has(rest[1].toLowerCase()) && !word(CHANNEL_WORDS, rest[1]))) {
        return parseRegimeReport(rest, usage);
      }
      const kind = word(REPORT_WORDS, rest[0]);
      const split = reportWords(rest, 1);
      if (!split) return usage;
      const { words, content, positional } = split;
      const opts = options(words, { ...REPORT_OPTIONS, date: 'date', 承诺: 'date', 承诺日期: 'date' });
      const channel = word(CHANNEL_WORDS, opts.via ?? positional[0]);
      if (!kind || !channel) return usage;
      if (opts.at === '' || opts.contact === '') return usage;
      return {
        ok: true,
        command: {
          name, kind, channel, ...(opts.to ? { recipient: opts.to } : {}), ...(opts.date ? { committedDate: opts.date } : {}),
          ...(opts.at ? { at: opts.at } : {}), ...(opts.contact ? { contact: opts.contact } : {}), ...(content ? { text: content } : {}),
        },
      };
    }
    case 'regime-report':
      return parseRegimeReport(rest, usage);
    case 'confirm': {
      const report = rest[0];
      const opts = options(rest.slice(1), { by: 'by', 通过: 'by', contact: 'contact', 联系人: 'contact', at: 'at', 于: 'at' });
      const positional = rest.slice(1).filter((w) => !CONNECTORS.has(w.toLowerCase()));
      const ch = word(CHANNEL_WORDS, opts.by ?? positional[0]);
      const channel = CONFIRM_CHANNELS.find((c) => c === ch);
      const contact = opts.contact ?? (opts.by === undefined ? positional.slice(1).join(' ') : undefined);
      if (!report || !channel || !contact) return usage;
      return { ok: true, command: { name, report, channel, contact, ...(opts.at ? { at: opts.at } : {}) } };
    }
    case 'resolve':
      return { ok: true, command: restText ? { name, at: restText } : { name } };
    case 'reopen':
      return { ok: true, command: { name } };
    case 'lower': {
      const grade = GRADES.find((g) => g === rest[0]);
      const reason = rest.slice(1).filter((w, i) => !(i === 0 && CONNECTORS.has(w.toLowerCase()))).join(' ');
      return grade && reason ? { ok: true, command: { name, grade, reason } } : usage;
    }
    case 't0':
      return restText ? { ok: true, command: { name, at: restText } } : usage;
    case 'contact': {
      const [report, ...who] = rest;
      return report && who.length > 0 ? { ok: true, command: { name, report, contact: who.join(' ') } } : usage;
    }
    case 'correct': {
      // `correct t0 <time> reason <why>`: a mistaken clock start or occurrence time, corrected with a reason.
      const r = rest.findIndex((w) => /^(reason|原因|因)$/i.test(w));
      const [field, ...value] = r > 0 ? rest.slice(0, r) : [];
      const reason = r > 0 ? rest.slice(r + 1).join(' ') : '';
      return field && value.length > 0 && reason ? { ok: true, command: { name, field, value: value.join(' '), reason } } : usage;
    }
    case 'void': {
      // `void R3 reason <why>`: the reason runs to the end of the line.
      const r = rest.findIndex((w) => /^(reason|原因|因)$/i.test(w));
      const reason = r > 0 ? rest.slice(r + 1).join(' ') : '';
      return r === 1 && reason ? { ok: true, command: { name, report: rest[0]!, reason } } : usage;
    }
    case 'amend': {
      // `amend R3 [at <time>] [contact <name>] [text <content>] reason <why>`: text runs to the last `reason`.
      const r = rest.length - 1 - [...rest].reverse().findIndex((w) => /^(reason|原因)$/i.test(w));
      const reason = r > 1 ? rest.slice(r + 1).join(' ') : '';
      const body = rest.slice(1, r);
      const textAt = body.findIndex((w) => /^(text|内容)$/i.test(w));
      const text = textAt >= 0 ? body.slice(textAt + 1).join(' ') : undefined;
      const opts = options(textAt >= 0 ? body.slice(0, textAt) : body, { at: 'at', 于: 'at', 时间: 'at', contact: 'contact', 联系人: 'contact', 接报人: 'contact', 接报联系人: 'contact' });
      const stray = (textAt >= 0 ? body.slice(0, textAt) : body).length > 0 && Object.keys(opts).length === 0;
      if (!reason || stray || text === '' || opts.at === '' || opts.contact === '' || (text === undefined && !opts.at && !opts.contact)) return usage;
      return { ok: true, command: { name, report: rest[0]!, reason, ...(opts.at ? { at: opts.at } : {}), ...(opts.contact ? { contact: opts.contact } : {}), ...(text ? { text } : {}) } };
    }
    case 'feedback':
      return { ok: true, command: restText ? { name, at: restText } : { name } };
    case 'risk': {
      const [due, ...summary] = rest;
      // The due time may be two tokens: "2026-12-01 18:00".
      if (due && summary[0] && /^\d{1,2}:\d{2}$/.test(summary[0])) {
        return summary.length > 1 ? { ok: true, command: { name, due: `${due} ${summary[0]}`, summary: summary.slice(1).join(' ') } } : usage;
      }
      return due && summary.length > 0 ? { ok: true, command: { name, due, summary: summary.join(' ') } } : usage;
    }
    case 'milestone':
    case 'note':
      return restText ? { ok: true, command: { name, text: restText } } : usage;
    case 'use':
      return rest[0] ? { ok: true, command: { name, id: rest[0].toUpperCase() } } : usage;
    case 'web':
      // `/incident web revoke <person>`: a compliance officer ends that person's page sessions.
      if (rest[0] && /^(revoke|撤销)$/i.test(rest[0])) return rest[1] ? { ok: true, command: { name, revoke: rest[1] } } : usage;
      return { ok: true, command: { name } };
    case 'list':
    case 'skip':
      return { ok: true, command: { name } };
    case 'lang':
      return rest[0] ? { ok: true, command: { name, lang: rest[0] } } : usage;
    case 'ack': {
      // A list, as a post of several reminders prints it: `brief,cac.initial` (a user may type `，` or spaces after commas).
      if (rest.some((w) => /[,，]/.test(w))) {
        const items = rest.join(' ').split(/[,，]/).map((x) => x.trim()).filter(Boolean).map((x) => ackItem(x.split(/\s+/)));
        if (items.length === 0 || items.some((x) => x === null)) return usage;
        const list = [...new Map((items as AckItem[]).map((x) => [`${x.obligation} ${x.reportId ?? ''}`, x])).values()];
        return { ok: true, command: { name, ...list[0]!, ...(list.length > 1 ? { list } : {}) } };
      }
      const item = ackItem(rest);
      return item ? { ok: true, command: { name, ...item } } : usage;
    }
    case 'draft': {
      if (!rest[0]) return usage;
      const kind = word(REPORT_WORDS, rest[0]) ?? rest[0];
      const docx = rest.slice(1).some((w) => /^(docx|word|书面|文档)$/i.test(w));
      const lang = rest.slice(1).find((w) => !/^(docx|word|书面|文档)$/i.test(w));
      return { ok: true, command: { name, kind, ...(lang ? { lang } : {}), ...(docx ? { docx } : {}) } };
    }
    case 'ledger':
      return { ok: true, command: { name, ...(rest[0] ? { from: rest[0] } : {}), ...(rest[1] ? { to: rest[1] } : {}) } };
    case 'help':
      return { ok: true, command: rest[0] ? { name, topic: rest[0] } : { name } };
  }
}

/** One obligation of `ack`: a report kind word, `confirm R3` / `R3`, or another regime's (`cac.initial`, `网信 初次报告`). */
function ackItem(rest: readonly string[]): AckItem | null {
  if (!rest[0] || rest.length > 2) return null;
  if (/^(confirm|确认|收悉确认)$/i.test(rest[0])) return rest[1] ? { obligation: 'confirm', reportId: rest[1].toUpperCase() } : null;
  const dotted = /^([^.]+)\.(.+)$/.exec(rest[0]);
  if (rest.length === 2 && regimeWord(rest[0])) return { obligation: `${regimeWord(rest[0])}.${rest[1]}` };
  if (rest.length === 1 && dotted && regimeWord(dotted[1])) return { obligation: `${regimeWord(dotted[1])}.${dotted[2]}` };
  if (rest.length > 1) return null;
  if (/^R\d+$/i.test(rest[0])) return { obligation: 'confirm', reportId: rest[0].toUpperCase() };
  return { obligation: rest[0] };
}

export { CHANNELS };

// Reads a State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) as published, into the days off
// and make-up working days of the institution file's `holidays:` block. Pure: text in, data or an error out.
//
// Reading: a day is off when the notice names it (a single day or a range, 放假/放假调休, or 补休); 与周末连休 and
// 不调休 add nothing (the adjoining weekend is off anyway); days named with 上班 are make-up working days. A
// sentence that starts with 鼓励 is advice to employers and gives no day off (2024: 鼓励……在除夕（2月9日）休息).
// Every weekday written beside a date (星期一, 周三) and every 共N天 is checked. Any clause it cannot read
// refuses the whole text, naming the line: nothing partial.
import { isValidDate } from './working-days.ts';

export interface NoticeDays {
  /** The year the notice is for (from its title, or given). */
  year: number;
  /** The notice's own title line, when it has one. */
  title?: string;
  /** The issue date line as written (e.g. 2025年11月4日), when present. */
  issued?: string;
  /** Per calendar year (a range may cross into the next): days off and make-up working days, sorted. */
  days: Record<string, { holidays: string[]; workdays: string[] }>;
  /** The statutory holidays the notice's items name, in STATUTORY_HOLIDAYS order. */
  named: string[];
}

/** The seven statutory holidays (全国年节及纪念日放假办法) every year's notice schedules; 中秋节 may share 国庆节's item. */
export const STATUTORY_HOLIDAYS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;

/** The statutory holidays a notice does not name: a notice missing one is not the year's whole schedule. */
export function missingHolidays(n: NoticeDays): string[] {
  return STATUTORY_HOLIDAYS.filter((h) => !n.named.includes(h));
}

export class NoticeError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'NoticeError';
  }
}

const FULL_WIDTH: Record<string, string> = { '（': '(', '）': ')', '：': ':', '，': ',', '；': ';', '．': '.', '～': '~', '\u3000': '' };

/** Half-width digits and punctuation, no spaces: what the grammar below reads. */
function normalise(line: string): string {
  return line
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[（）：，；．～\u3000]/g, (c) => FULL_WIDTH[c] ?? c)
    .replace(/\s+/g, '');
}

const WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const NUMERAL = '[一二三四五六七八九十]+';
const TITLE_RE = /国务院办公厅关于(\d{4})年(?:部分)?节假日安排的通知/;
const ISSUED_RE = /^\d{4}年\d{1,2}月\d{1,2}日$/;
const ITEM_RE = new RegExp(`^(${NUMERAL})[、.](.+?):(.+)$`);
// A date: [YYYY年][M月]D日[(annotation)], the annotation being e.g. 星期一, 周三, 农历除夕、周二.
const DATE_SRC = String.raw`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?`;
const DATE_RE = new RegExp(`^${DATE_SRC}`);
const ANY_DATE_RE = /\d{1,2}月\d{1,2}日/;

interface DateRef {
  y: number;
  m: number;
  d: number;
}

const iso = (r: DateRef) => `${r.y}-${String(r.m).padStart(2, '0')}-${String(r.d).padStart(2, '0')}`;
const dayNumber = (r: DateRef) => Date.UTC(r.y, r.m - 1, r.d) / 86_400_000;
const fromDayNumber = (n: number): DateRef => {
  const d = new Date(n * 86_400_000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
};

class LineReader {
  constructor(
    readonly no: number,
    readonly year: number,
  ) {}

  fail(msg: string): never {
    throw new NoticeError(msg, this.no);
  }

  /** Reads one date at the start of `s`; the month (and year) may be left out and is then taken from `context`. */
  date(s: string, context?: DateRef): { ref: DateRef; rest: string } | null {
    const m = DATE_RE.exec(s);
    if (!m) return null;
    const [whole, yText, mText, dText, note] = m;
    if (mText === undefined && context === undefined) this.fail(`“${whole}” has no month`);
    let y = yText !== undefined ? Number(yText) : context?.y ?? this.year;
    const month = mText !== undefined ? Number(mText) : context!.m;
    // A range end with an earlier month and no year crosses into the next year (12月31日至1月2日).
    if (yText === undefined && context && mText !== undefined && month < context.m) y = context.y + 1;
    const ref = { y, m: month, d: Number(dText) };
    if (!isValidDate(iso(ref))) this.fail(`“${whole}” is not a date of ${y}`);
    if (note !== undefined) this.checkWeekday(ref, note, whole);
    return { ref, rest: s.slice(whole.length) };
  }

  private checkWeekday(ref: DateRef, note: string, whole: string): void {
    const w = /(?:星期|周)([一二三四五六日天])/.exec(note);
    if (!w) {
      if (!/农历|除夕|正月|腊月/.test(note)) this.fail(`cannot read “(${note})” after ${iso(ref)}`);
      return;
    }
    const actual = new Date(Date.UTC(ref.y, ref.m - 1, ref.d)).getUTCDay();
    if (WEEKDAYS[w[1]!] !== actual) this.fail(`“${whole}”: ${iso(ref)} is not a ${w[0]} (check the date)`);
  }
}

/** Parses the whole notice. `year` is used when the text has no title line; a title that disagrees is an error. */
export function parseHolidayNotice(text: string, opts: { year?: number } = {}): NoticeDays {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let year = opts.year;
  let title: string | undefined;
  let issued: string | undefined;
  lines.forEach((raw, i) => {
    const m = TITLE_RE.exec(normalise(raw));
    if (!m || title !== undefined) return;
    title = raw.trim();
    if (year !== undefined && year !== Number(m[1])) throw new NoticeError(`the title is for ${m[1]}, not ${year}`, i + 1);
    year = Number(m[1]);
  });
  if (year === undefined) throw new NoticeError('no title 《国务院办公厅关于YYYY年部分节假日安排的通知》 found: paste the notice with its title, or give the year (--year YYYY)');

  const off = new Map<string, number>(); // date -> line
  const work = new Map<string, number>();
  let items = 0;
  const named = new Set<string>();
  lines.forEach((raw, i) => {
    const s = normalise(raw);
    const no = i + 1;
    if (!s || TITLE_RE.test(s)) return;
    if (ISSUED_RE.test(s)) {
      issued ??= s;
      return;
    }
    const item = ITEM_RE.exec(s);
    if (!item) {
      // Prose before and after the schedule (经国务院批准……, 节假日期间……) names no day; a date outside an item is not understood.
      if (ANY_DATE_RE.test(s)) throw new NoticeError(`a date outside a numbered item (“一、元旦：……”): cannot tell what it means`, no);
      return;
    }
    items++;
    // “国庆节、中秋节”, “中秋节、国庆节”: an item may name several holidays; 劳动节 is also written 五一.
    for (const h of STATUTORY_HOLIDAYS) if (item[2]!.includes(h.replace(/节$/, ''))) named.add(h);
    readItem(new LineReader(no, year!), item[3]!, off, work);
  });
  if (items === 0) throw new NoticeError('no numbered schedule item (“一、元旦：1月1日放假……”) found');
  for (const [d, no] of off) if (work.has(d)) throw new NoticeError(`${d} is both a day off (line ${no}) and a working day`, work.get(d));

  const days: NoticeDays['days'] = {};
  const slot = (d: string) => (days[d.slice(0, 4)] ??= { holidays: [], workdays: [] });
  for (const d of [...off.keys()].sort()) slot(d).holidays.push(d);
  for (const d of [...work.keys()].sort()) slot(d).workdays.push(d);
  return { year: year!, ...(title ? { title } : {}), ...(issued ? { issued } : {}), days, named: STATUTORY_HOLIDAYS.filter((h) => named.has(h)) };
}

/** One item's text after “名称：”: sentences (。) of clauses (，). */
function readItem(r: LineReader, body: string, off: Map<string, number>, work: Map<string, number>): void {
  for (const sentence of body.split(/[。;]/)) {
    if (!sentence) continue;
    if (sentence.startsWith('鼓励')) continue; // advice to employers, no day off
    let lastRange: { from: DateRef; to: DateRef } | null = null;
    for (const clause of sentence.split(',')) {
      if (!clause) continue;
      if (clause === '与周末连休' || clause === '不调休') continue;
      const count = /^共(\d+)天$/.exec(clause);
      if (count) {
        if (!lastRange) r.fail(`“${clause}” follows no range of days off`);
        const n = dayNumber(lastRange.to) - dayNumber(lastRange.from) + 1;
        if (n !== Number(count[1])) r.fail(`${iso(lastRange.from)} to ${iso(lastRange.to)} is ${n} days, but the notice says ${clause}`);
        continue;
      }
      const first = r.date(clause);
      if (!first) r.fail(`cannot read “${clause}”`);
      let rest = first.rest;
      let to = first.ref;
      if (rest.startsWith('至')) {
        const end = r.date(rest.slice(1), first.ref);
        if (!end) r.fail(`cannot read the end of the range in “${clause}”`);
        to = end.ref;
        rest = end.rest;
        const span = dayNumber(to) - dayNumber(first.ref);
        if (span < 1 || span > 31) r.fail(`“${clause}” is not a range of 2 to 32 days`);
      }
      const offMatch = /^放假(?:调休)?(?:(\d+)天)?$/.exec(rest);
      if (offMatch) {
        const range = { from: first.ref, to };
        const n = dayNumber(to) - dayNumber(first.ref) + 1;
        if (offMatch[1] !== undefined && Number(offMatch[1]) !== n) r.fail(`“${clause}” names ${n} days, not ${offMatch[1]}`);
        for (let d = dayNumber(first.ref); d <= dayNumber(to); d++) off.set(iso(fromDayNumber(d)), r.no);
        lastRange = range;
        continue;
      }
      if (rest === '补休' && to === first.ref) {
        off.set(iso(first.ref), r.no);
        continue;
      }
      // 1月22日(星期日)、2月4日(星期六)上班: a list of make-up working days.
      if (to === first.ref) {
        const dates = [first.ref];
        let tail = rest;
        while (tail.startsWith('、')) {
          const next = r.date(tail.slice(1), dates.at(-1));
          if (!next) r.fail(`cannot read the list of dates in “${clause}”`);
          dates.push(next.ref);
          tail = next.rest;
        }
        if (tail === '上班') {
          for (const d of dates) work.set(iso(d), r.no);
          continue;
        }
      }
      r.fail(`cannot read “${clause}”: expected 放假, 放假调休, 补休 or 上班 after the dates`);
    }
  }
}

// Shared pieces of the user-input parsers: the result type, input clean-up and
// Chinese numerals. Pure: no clock, no I/O, never throws on user input.

export type ParseError = { code: 'number' | 'percent' | 'time' | 'duration' | 'yesno' | 'choice'; input: string };
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T>(code: ParseError['code'], input: unknown): Parsed<T> {
  return { ok: false, error: { code, input: typeof input === 'string' ? input : String(input) } };
}

/** Longer inputs are not an answer to a question; refusing them also bounds regex work. */
const MAX_INPUT = 200;

/**
 * NFKC folds fullwidth forms (１２０ -> 120, ， -> ,, ％ -> %, ： -> :, ？ -> ?,
 * ideographic space -> space); then trim, lower-case, collapse spaces and drop
 * trailing sentence punctuation ("是。", "yes!"). Undefined when not a usable string.
 */
export function clean(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT) return undefined;
  const s = input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s。.!~～]+$/u, '')
    .trim();
  return s === '' ? undefined : s;
}

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const CN_SMALL_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** Characters that may appear in a Chinese numeral (点 is the decimal point). */
export const CN_NUM_CHARS = '零〇一二两三四五六七八九十百千万亿点';

/**
 * Chinese integer numeral -> number: 十五 = 15, 一百零五 = 105, 两千 = 2000,
 * 三万五千 = 35000, 一千二百万 = 12000000, 三亿 = 300000000. Undefined if malformed.
 */
export function cnInt(s: string): number | undefined {
  if (s === '') return undefined;
  let total = 0; // completed 亿 groups
  let wan = 0; // completed 万 group inside the current 亿 group
  let section = 0; // below 万
  let num: number | undefined; // pending digit
  let lastUnit = Infinity; // small units must descend inside a section
  let any = false;
  for (const ch of s) {
    const d = CN_DIGIT[ch];
    const u = CN_SMALL_UNIT[ch];
    if (d !== undefined) {
      if (num !== undefined && num !== 0) return undefined; // 一二, 五零: not numerals
      num = d;
      any = true;
    } else if (u !== undefined) {
      if (u >= lastUnit) return undefined;
      // A bare 十 at the start of a section is 一十 (十五 = 15); 百 and 千 need a digit.
      const n = num ?? (u === 10 && section === 0 ? 1 : undefined);
      if (n === undefined || n === 0) return undefined;
      section += n * u;
      num = undefined;
      lastUnit = u;
      any = true;
    } else if (ch === '万' || ch === '亿') {
      const group = section + (num ?? 0);
      if (ch === '万') {
        if (group === 0 || wan !== 0) return undefined;
        wan = group * 1e4;
      } else {
        if (group + wan === 0) return undefined;
        total = (total + wan + group) * 1e8;
        wan = 0;
      }
      section = 0;
      num = undefined;
      lastUnit = Infinity;
    } else {
      return undefined;
    }
  }
  if (!any) return undefined;
  const v = total + wan + section + (num ?? 0);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Chinese numeral, possibly with a decimal point (三点五 = "3.5"), as a decimal string. */
export function cnDecimal(s: string): string | undefined {
  const dot = s.indexOf('点');
  if (dot < 0) {
    const n = cnInt(s);
    return n === undefined ? undefined : String(n);
  }
  const int = cnInt(s.slice(0, dot));
  const frac = [...s.slice(dot + 1)].map((c) => CN_DIGIT[c]);
  if (int === undefined || frac.length === 0 || frac.some((d) => d === undefined)) return undefined;
  return `${int}.${frac.join('')}`;
}

/** A plain decimal ("12", "1.5") or a Chinese numeral ("十五", "一点五") as a finite number. */
export function numberToken(s: string): number | undefined {
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s);
  const dec = cnDecimal(s);
  return dec === undefined ? undefined : Number(dec);
}

// Counts ("1.2万", "12,000", "50k") and percentages ("70%", "百分之七十").
import { CN_NUM_CHARS, clean, cnDecimal, cnInt, fail, numberToken, ok, type Parsed } from './parse-common.ts';

/** Power of ten of each multiplier word. */
const SCALE: Readonly<Record<string, number>> = {
  百: 2, 千: 3, 万: 4, w: 4, 百万: 6, 千万: 7, 亿: 8, 万亿: 12,
  k: 3, thousand: 3, m: 6, mn: 6, million: 6, b: 9, bn: 9, billion: 9,
};
const SCALE_RE = '百万|千万|万亿|万|亿|千|百|w|k|thousand|million|mn|m|billion|bn|b';

// "约1.2万人": an approximate prefix and a trailing measure word do not change the number.
const APPROX_RE = '(?:约|大约|大概|近|about|approx|approximately|around|~)?';
const MEASURE_RE = '(?:个|人|人次|条|条记录|笔|户|家|次|名|位|台|份|people|persons|users|records|accounts|customers)?';

const DIGITS = new RegExp(
  `^${APPROX_RE}\\s*(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?\\s*(${SCALE_RE})?\\s*${MEASURE_RE}$`,
);
const CHINESE = new RegExp(`^${APPROX_RE}\\s*([${CN_NUM_CHARS}]+)\\s*${MEASURE_RE}$`);
const CN_DECIMAL_SCALED = /^(.+点.+?)(万亿|千万|百万|万|亿)?$/;

/**
 * intDigits.fracDigits × 10^exp, exactly (no floating point: 1.15 × 100 must be 115),
 * as a safe integer; undefined if the product is not a whole number or is too large.
 */
function scaleExact(intDigits: string, fracDigits: string, exp: number): number | undefined {
  if (/[1-9]/.test(fracDigits.slice(exp))) return undefined; // 1.23456万 = 12345.6
  const digits = (intDigits + fracDigits.slice(0, exp).padEnd(exp, '0')).replace(/^0+(?=\d)/, '');
  if (BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(digits);
}

/**
 * A non-negative whole count: 12000, 12,000, 12，000, 1.2万, 120万, 3亿, 5千, 1.2w,
 * 50k, 1.2m, 1.2 million, ３万, 三万五千, 一点二万, 约1.2万人. Rejects negatives,
 * exponents (1e6), fractions that stay fractional after scaling (12.5, 1.23456万)
 * and anything above Number.MAX_SAFE_INTEGER.
 */
export function parseCount(input: string): Parsed<number> {
  const s = clean(input);
  if (s === undefined) return fail('number', input);
  const m = DIGITS.exec(s);
  if (m) {
    const exp = m[3] === undefined ? 0 : (SCALE[m[3]] ?? 0);
    const v = scaleExact((m[1] ?? '').replaceAll(',', ''), m[2] ?? '', exp);
    return v === undefined ? fail('number', input) : ok(v);
  }
  const c = CHINESE.exec(s)?.[1];
  if (c === undefined) return fail('number', input);
  if (!c.includes('点')) {
    const v = cnInt(c);
    return v === undefined ? fail('number', input) : ok(v);
  }
  // 一点二万: the decimal part, then an optional multiplier.
  const d = CN_DECIMAL_SCALED.exec(c);
  const dec = d?.[1] === undefined ? undefined : cnDecimal(d[1]);
  if (!d || dec === undefined) return fail('number', input);
  const [intPart = '', fracPart = ''] = dec.split('.');
  const v = scaleExact(intPart, fracPart, d[2] === undefined ? 0 : (SCALE[d[2]] ?? 0));
  return v === undefined ? fail('number', input) : ok(v);
}

/** An amount of money in yuan: 1200万元, 1,200万, ¥12,000,000, 1.2亿元, 500万 RMB. Whole yuan, as a count. */
export function parseYuan(input: string): Parsed<number> {
  const s = clean(input);
  if (s === undefined) return fail('number', input);
  const body = s.replace(/^(?:¥|￥|RMB|CNY|人民币)\s*/i, '').replace(/\s*(?:元|元人民币|块|yuan|RMB|CNY)$/i, '');
  const r = parseCount(body);
  return r.ok ? r : fail('number', input);
}

const PERCENT = /^(.+?)\s*(?:%|percent|pct)?$/;

/**
 * A percentage in 0..100: 70, 70%, 70.5%, ７０％, 70 percent, 百分之七十, 百分之70.5,
 * 七十%. A bare number is read as percent points: "0.7" is 0.7%, not 70%.
 */
export function parsePercent(input: string): Parsed<number> {
  const s = clean(input);
  if (s === undefined) return fail('percent', input);
  const body = s.startsWith('百分之') ? s.slice(3).trim() : PERCENT.exec(s)?.[1];
  const v = body === '百' ? 100 : body === undefined ? undefined : numberToken(body); // 百分之百
  if (v === undefined || !Number.isFinite(v) || v < 0 || v > 100) return fail('percent', input);
  return ok(v);
}

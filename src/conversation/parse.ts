// Pure parsers for what users type while the bot collects incident facts.
// No clock reads (`now` is always an argument), no I/O, and no parser throws on user
// input: each returns a Parsed<T> whose error names the kind of answer expected.
import { clean, cnInt, fail, ok, type Parsed } from './parse-common.ts';

export type { ParseError, Parsed } from './parse-common.ts';
export { parseCount, parsePercent } from './parse-number.ts';
export { parseDuration, formatDurationMs } from './parse-duration.ts';
export { parseTime, formatShanghai, FUTURE_TOLERANCE_MS } from './parse-time.ts';

const YES = new Set(['是', '是的', '对', '对的', '有', '有的', '确定', '确认', '肯定', 'y', 'yes', 'yeah', 'yep', 'true']);
const NO = new Set(['否', '不是', '不', '不对', '没有', '没', '无', 'n', 'no', 'nope', 'false']);
const UNKNOWN = new Set([
  '不确定', '不知道', '未知', '不清楚', '待确认', '待定', '不详', '说不准',
  'unknown', 'unsure', 'not sure', 'idk', "don't know", 'dont know',
]);

/**
 * 是/有/对/y/yes/true -> true; 否/没有/无/不是/n/no/false -> false;
 * 不确定/不知道/未知/unknown/? -> 'unknown'. Case-insensitive, fullwidth-tolerant
 * (`ＹＥＳ`, `？`), trailing 。/!/. ignored.
 */
export function parseYesNo(input: string): Parsed<boolean | 'unknown'> {
  const s = clean(input);
  if (s === undefined) return fail('yesno', input);
  if (YES.has(s)) return ok(true);
  if (NO.has(s)) return ok(false);
  if (UNKNOWN.has(s) || /^\?+$/.test(s)) return ok('unknown');
  return fail('yesno', input);
}

// "2", "2)", "(2)", "2、", "第2个", "第二项", "②" (NFKC folds ② to 2).
const INDEX = /^\(?(?:第\s*)?(\d+|[一二两三四五六七八九十]+)\s*(?:个|项)?\s*[)、]?$/;

/**
 * One of `options`: by value, by any label (both compared trimmed, case-insensitive,
 * fullwidth-folded), or by 1-based index. Values and labels win over the index, so an
 * option labelled "2" is chosen by "2" even if it is not the second.
 */
export function parseChoice<T extends string>(
  input: string,
  options: ReadonlyArray<{ value: T; labels: string[] }>,
): Parsed<T> {
  const s = clean(input);
  if (s === undefined) return fail('choice', input);
  const byValue = options.find((o) => clean(o.value) === s);
  if (byValue) return ok(byValue.value);
  const byLabel = options.find((o) => o.labels.some((l) => clean(l) === s));
  if (byLabel) return ok(byLabel.value);
  const m = INDEX.exec(s)?.[1];
  const n = m === undefined ? undefined : /^\d+$/.test(m) ? Number(m) : cnInt(m);
  const byIndex = n === undefined ? undefined : options[n - 1];
  return byIndex ? ok(byIndex.value) : fail('choice', input);
}

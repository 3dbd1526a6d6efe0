// Chinese numerals for citations in the regulation's own style: 第九条第（四）项, 第十五条第二款.
const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1-99 as the regulation writes them: 九, 十, 十五, 二十三. */
export function cnNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

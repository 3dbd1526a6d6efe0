// Long, awkward report narratives for the "every reply whole" tests: CJK, emoji (surrogate pairs), entities'
// characters, emphasis marks and line breaks, exactly `length` UTF-16 units long.

const PIECE = '根因：负载均衡配置错误 😀 导致 <会话> & “重试风暴”，*未* 及时_限流_；';

export function narrative(tag: string, length = 3900): string {
  let s = `【${tag}】`;
  for (let i = 0; s.length < length; i++) s += i % 7 === 6 ? '\n' : PIECE;
  let out = s.slice(0, length);
  if (/[\uD800-\uDBFF]$/.test(out)) out = `${out.slice(0, -1)}。`; // never end on half an emoji
  return out;
}

/** Text with all white space removed: what must survive splitting across blocks, cards and messages. */
export const squash = (s: string): string => s.replace(/\s+/g, '');

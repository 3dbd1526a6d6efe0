// Text cutting and splitting shared by the chat adapters. Pure.
// Lengths are UTF-16 code units (what JavaScript, Slack and Feishu count as characters, or more), but a cut
// never falls inside a surrogate pair, an HTML entity (`&amp;`, `&#42;`) or a `<...>` token (`<!date^...|...>`,
// `<@U1>`, `<at user_id="...">`), so every piece is well-formed text on its own.

const ENTITY_MAX = 10; // `&#126;` is 6; named entities we write are at most `&amp;`
const TOKEN_MAX = 300; // a `<!date^…|fallback>` token is under 200

/** The largest index ≤ limit at which `s` may be cut: not inside a surrogate pair, an entity or a `<...>` token. */
export function safeCutIndex(s: string, limit: number): number {
  let i = Math.min(limit, s.length);
  if (i <= 0) return 0;
  const code = s.charCodeAt(i - 1);
  if (code >= 0xd800 && code <= 0xdbff && i < s.length) i -= 1; // a high surrogate whose pair would be cut off
  const amp = s.lastIndexOf('&', i - 1);
  if (amp >= 0 && i - amp <= ENTITY_MAX && !s.slice(amp, i).includes(';') && /^&#?[a-z0-9]*$/i.test(s.slice(amp, i))) {
    const end = s.indexOf(';', amp);
    if (end >= i && end - amp <= ENTITY_MAX) i = amp;
  }
  const lt = s.lastIndexOf('<', i - 1);
  if (lt >= 0 && i - lt <= TOKEN_MAX && !s.slice(lt, i).includes('>')) {
    const end = s.indexOf('>', lt);
    if (end >= i && end - lt <= TOKEN_MAX) i = lt;
  }
  return i;
}

/** `s` cut to at most `max` code units with `…` at the end when cut; never splits a code point, entity or token. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, safeCutIndex(s, Math.max(0, max - 1)))}…`;
}

/** Where to break a chunk of at most `max` units: after the last line break, else the last space, else a safe cut. */
function breakAt(s: string, max: number): number {
  const nl = s.lastIndexOf('\n', max - 1);
  if (nl >= max / 2) return nl + 1;
  const head = s.slice(0, max);
  const space = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\u3000'), head.lastIndexOf('，'), head.lastIndexOf('。'));
  if (space >= max / 2) {
    const at = space + 1;
    if (safeCutIndex(s, at) === at) return at;
  }
  const safe = safeCutIndex(s, max);
  return safe > 0 ? safe : Math.min(max, s.length); // a single token longer than max: cut it rather than loop
}

/**
 * Splits `s` into pieces of at most `max` code units, at line breaks where it can; `pieces.join('')` is `s`
 * (nothing is dropped or added). Used instead of cutting wherever a platform caps a text's length.
 */
export function splitText(s: string, max: number): string[] {
  if (max < 1) throw new RangeError('splitText: max must be at least 1');
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const at = breakAt(rest, max);
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest || out.length === 0) out.push(rest);
  return out;
}

/** UTF-8 size in bytes (Feishu's card limit is in bytes). */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Incoming text longer than this is refused by the adapters before any parsing (and never echoed whole). */
export const INCOMING_TEXT_MAX = 20_000;

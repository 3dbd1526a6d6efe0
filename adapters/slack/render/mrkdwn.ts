import type { types } from '@slack/bolt';
import type { Lang } from '../../../src/i18n/index.ts';
import { cut, splitText } from '../../text.ts';

// Text primitives for Block Kit: escaping, limits, date tokens, mentions. Pure.

export type Block = types.KnownBlock;

export interface RenderOptions {
  command: string; // the configured slash command; the core's texts say `/incident`
  lang: Lang; // for texts the adapter adds
}

/** Block Kit: a section's text (docs.slack.dev/reference/block-kit/blocks/section-block). */
export const SECTION_MAX = 3000;

const ZWSP = '\u200B';

/**
 * Makes text inert in mrkdwn: `<!channel>`, `<@U1>` and `<https://x|y>` cannot ping or link, and `*`, `_`, `~`
 * and backticks cannot open or close emphasis or code. Slack has no escape character for these, so each gets a
 * zero-width space on both sides: whether Slack counts that space as a word character or as white space, the
 * mark then has no word boundary on one side and no text on the other, which emphasis needs.
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(EMPHASIS, (c) => `${ZWSP}${c}${ZWSP}`);
}

/**
 * `~` and backticks anywhere; `*` and `_` unless between two letters or digits, where Slack never reads them as
 * marks (so `SLACK_ALLOWED_CHANNELS` stays as typed and can be copied).
 */
const EMPHASIS = /[~`]|(?<![\p{L}\p{N}])[*_]|[*_](?![\p{L}\p{N}])/gu;

/** What the reader sees of escaped text: entities decoded, the zero-width spaces gone. */
export function unescapeMrkdwn(s: string): string {
  return s.replace(/\u200B/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Our own bold: Slack renders `*x*` only at word boundaries, and CJK text or punctuation right beside a mark
 * (`*报送对象*：`) is not one, so the asterisks would show. The known remedy: a zero-width space on each side.
 */
export function bold(s: string): string {
  return `${ZWSP}*${s}*${ZWSP}`;
}

/** The core's `/incident` in user-facing text, renamed to the configured command. */
export function renameCommand(s: string, command: string): string {
  return command === '/incident' ? s : s.replace(/\/incident\b/g, command);
}

/** Escaped and renamed; never cut (sections() splits long lines instead). */
export function safe(s: string, o: RenderOptions): string {
  return escapeMrkdwn(renameCommand(s, o.command));
}

/** Cut to `max` code units with `…`, never inside a code point, an entity or a `<...>` token. */
export function truncate(s: string, max: number): string {
  return cut(s, max);
}

/**
 * `<!date^UNIX^{date_short_pretty} {time}|fallback>`: each reader's client shows the instant in
 * their own time zone; clients that cannot render it show the (Beijing-time) fallback.
 */
export function slackDate(iso: string, fallback: string): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${escapeMrkdwn(fallback).replace(/\|/g, '/')}>`;
}

/** A responsible person: `U0123`/`slack:U0123` → `<@U0123>`, `S0123` → user group, anything else → plain `@name`. */
export function mention(m: string): string {
  const id = m.replace(/^slack:/, '');
  if (/^[UW][A-Z0-9]{2,}$/.test(id)) return `<@${id}>`;
  if (/^S[A-Z0-9]{2,}$/.test(id)) return `<!subteam^${id}>`;
  return `@${escapeMrkdwn(m)}`;
}

export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });
export const plain = (text: string, max = 75): types.PlainTextElement => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

/** Lines (already safe) in as few section blocks as the 3000-character limit allows; a longer line is split, not cut. */
export function sections(lines: readonly string[]): Block[] {
  const out: Block[] = [];
  let cur = '';
  for (const l of lines) {
    splitText(l, SECTION_MAX).forEach((piece, i) => {
      const sep = i === 0 ? '\n' : ''; // a piece of a split line continues it
      if (cur && cur.length + sep.length + piece.length > SECTION_MAX) {
        out.push({ type: 'section', text: mrkdwn(cur) });
        cur = '';
      }
      cur = cur ? `${cur}${sep}${piece}` : piece;
    });
  }
  if (cur) out.push({ type: 'section', text: mrkdwn(cur) });
  return out;
}

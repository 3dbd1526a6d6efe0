import type { types } from '@slack/bolt';
import type { Lang } from '../../src/i18n/index.ts';

// Text primitives for Block Kit: escaping, limits, date tokens, mentions. Pure.

export type Block = types.KnownBlock;

export interface RenderOptions {
  command: string; // the configured slash command; the core's texts say `/incident`
  lang: Lang; // for texts the adapter adds
}

const SECTION_MAX = 3000; // Block Kit: a section's text

/** Makes text inert in mrkdwn: `<!channel>`, `<@U1>` and `<https://x|y>` cannot ping or link. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The core's `/incident` in user-facing text, renamed to the configured command. */
export function renameCommand(s: string, command: string): string {
  return command === '/incident' ? s : s.replace(/\/incident\b/g, command);
}

/** Escaped, renamed, and cut to `max` characters (Slack rejects longer fields). */
export function safe(s: string, o: RenderOptions, max = SECTION_MAX): string {
  return truncate(escapeMrkdwn(renameCommand(s, o.command)), max);
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
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

/** Lines (already safe) in as few section blocks as the 3000-character limit allows. */
export function sections(lines: readonly string[]): Block[] {
  const out: Block[] = [];
  let cur = '';
  for (const l of lines) {
    const line = truncate(l, SECTION_MAX);
    if (cur && cur.length + 1 + line.length > SECTION_MAX) {
      out.push({ type: 'section', text: mrkdwn(cur) });
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) out.push({ type: 'section', text: mrkdwn(cur) });
  return out;
}

import { expect } from 'vitest';
import { createBot, type Bot } from '../../src/bot.ts';
import { botConfigOf, loadInstitutionConfig, type InstitutionConfig } from '../../src/config/institution.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import type { BotConfig, ChatInput, Reply } from '../../src/conversation/types.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { checkLanguage, configNames } from './language-check.ts';
import type { Store } from '../../src/store/types.ts';

/** A settable clock: tests move time, nothing sleeps. */
export class FixedClock {
  constructor(public ms: number) {}
  now = () => this.ms;
  set(iso: string) { this.ms = parseIso(iso); }
  advanceMinutes(m: number) { this.ms += m * 60_000; }
}

/**
 * The bundled example's institution, by default without its `profile:` (PBoC's rules alone, as these transcripts were
 * written); a test of the other regimes passes `profile` (and `regimes`) in the overrides.
 */
export function botConfig(overrides: Partial<InstitutionConfig> = {}): BotConfig {
  const { config } = loadInstitutionConfig({});
  const { profile: _profile, regimes: _regimes, ...pbocOnly } = config;
  const institution = { ...pbocOnly, ...overrides };
  return botConfigOf(institution, true);
}

/** One turn of a transcript: awaiting it gives the rendered text; expectReply asserts on it. */
export class Turn implements PromiseLike<string> {
  constructor(readonly replies: Promise<Reply[]>, private readonly check?: (text: string) => void) {}
  get text(): Promise<string> {
    return this.replies.then((r) => {
      const text = renderText(r);
      this.check?.(text);
      return text;
    });
  }
  then<A = string, B = never>(ok?: ((v: string) => A | PromiseLike<A>) | null, ko?: ((e: unknown) => B | PromiseLike<B>) | null) {
    return this.text.then(ok, ko);
  }
  async expectReply(pattern: RegExp | string): Promise<string> {
    const text = await this.text;
    if (typeof pattern === 'string') expect(text).toContain(pattern);
    else expect(text).toMatch(pattern);
    return text;
  }
  async expectError(pattern: RegExp | string): Promise<string> {
    const replies = await this.replies;
    expect(replies.map((r) => r.type)).toEqual(['error']);
    return new Turn(Promise.resolve(replies)).expectReply(pattern);
  }
}

/** A transcript driver over the real bot and a real store. */
export class FakeChat {
  /** The language this user's replies come in, and everything quoted back that is not ours to translate. */
  lang: 'zh-CN' | 'en' = 'zh-CN';
  readonly quoted: string[] = [];
  constructor(readonly bot: Bot, readonly store: Store, readonly clock: FixedClock, readonly conversation = 'console:test', readonly user = 'console:alice') {}

  /** A chat with the bot at `nowIso`; with lang 'en', the user has switched it to English first (`/incident lang en`). */
  static async start(nowIso: string, opts: { store?: Store; config?: BotConfig; drill?: boolean; lang?: 'zh-CN' | 'en' } = {}): Promise<FakeChat> {
    const clock = new FixedClock(parseIso(nowIso));
    const store = opts.store ?? createSqliteStore(':memory:');
    const config = opts.config ?? botConfig();
    const bot = createBot({ store, config, now: clock.now, ...(opts.drill ? { drill: true } : {}) });
    const chat = new FakeChat(bot, store, clock);
    chat.lang = config.institution.language;
    chat.quoted.push(...configNames(config.institution), chat.user);
    if (opts.lang === 'en') await chat.say('/incident lang en');
    return chat;
  }

  private checker(line: string): (text: string) => void {
    // What the user typed may come back quoted: the whole line and each word of it.
    this.quoted.push(line, ...line.split(/\s+/).filter((w) => w.length > 0));
    const lang = /^\/(?:incident|事件)\s+lang\s+en\b/i.test(line.trim()) ? 'en' : /^\/(?:incident|事件)\s+lang\s+zh/i.test(line.trim()) ? 'zh-CN' : null;
    return (text) => {
      if (lang && !text.startsWith('✗')) this.lang = lang;
      checkLanguage(text, this.lang, this.quoted);
    };
  }

  say(line: string): Turn {
    const m = /^\/(?:incident|事件)(?:\s+|$)(.*)$/i.exec(line.trim());
    const input: ChatInput = m
      ? { kind: 'command', text: m[1] ?? '', user: this.user, conversation: this.conversation }
      : { kind: 'message', text: line, user: this.user, conversation: this.conversation };
    return new Turn(this.bot.handle(input), this.checker(line));
  }

  click(incidentId: string, questionId: string, value: string): Turn {
    return new Turn(this.bot.handle({ kind: 'action', text: value, questionId, incidentId, user: this.user, conversation: this.conversation }), this.checker(value));
  }

  /** Answers each line in order, returning the last turn's text. */
  async answers(...lines: string[]): Promise<string> {
    let last = '';
    for (const l of lines) last = await this.say(l);
    return last;
  }
}

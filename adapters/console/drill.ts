import { parseDuration } from '../../src/conversation/parse.ts';
import { t, type Lang } from '../../src/i18n/index.ts';
import type { Ticker } from '../../src/reminders/ticker.ts';
import { formatShanghaiMinute, isoShanghai, parseIso } from '../../src/calendar/time.ts';

/** The simulated clock of a drill: it moves only when told to. */
export class DrillClock {
  constructor(public ms: number) {}
  now = () => this.ms;
}

export type DrillOutcome = { ok: true; text: string } | { ok: false; text: string };

/** A drill start as typed (`2026-09-30T16:30`, `2026-09-30 16:30`, with or without an offset; Beijing time when none). NaN when invalid. */
export function parseDrillTime(input: string): number {
  return parseIso(input.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'));
}

/** `2026-09-30T16:30`: the form `/drill at` and `--at` take, for examples in messages. */
export function drillTimeExample(ms: number): string {
  return isoShanghai(ms).slice(0, 16);
}

/**
 * Where a drill starts: `--at <time>` (or `--at=<time>`) on the command line, else DRILL_START, else `fallbackMs`
 * (the real time). Throws with a message naming the option when the time does not parse.
 */
export function drillStartOf(argv: readonly string[], env: { DRILL_START?: string }, fallbackMs: number): number {
  let raw: string | undefined;
  let source = 'DRILL_START';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--at') {
      raw = argv[i + 1] ?? '';
      source = '--at';
    } else if (a.startsWith('--at=')) {
      raw = a.slice(5);
      source = '--at';
    }
  }
  if (raw === undefined && env.DRILL_START) raw = env.DRILL_START;
  if (raw === undefined) return fallbackMs;
  const ms = parseDrillTime(raw);
  if (Number.isNaN(ms)) throw new RangeError(`${source} ${JSON.stringify(raw)} is not a time: use e.g. ${source === '--at' ? '--at ' : 'DRILL_START='}2026-09-30T16:30 (Beijing time) or 2026-09-30T16:30+08:00`);
  return ms;
}

export interface DrillDeps {
  clock: DrillClock;
  ticker: Ticker;
  stepMs: number;
  lang: Lang;
  /** True once the drill has an incident: from then on its clock only moves forward. */
  hasIncidents: () => Promise<boolean>;
}

/**
 * `/drill advance 45m` or `/drill at 2026-11-29T13:00`: moves the clock forward, running the ticker
 * every `stepMs` of simulated time so whatever falls due is posted in time order. Before the drill's
 * first incident, `/drill at` may set any time, earlier ones included.
 */
export async function runDrillCommand(line: string, deps: DrillDeps): Promise<DrillOutcome | null> {
  const { clock, ticker, stepMs, lang } = deps;
  const m = /^\/(?:drill|演练)(?:\s+(\S+))?(?:\s+(.*))?$/i.exec(line.trim());
  if (!m) return null;
  const [, verb = 'now', arg = ''] = m;
  let target: number;
  if (/^(advance|快进|前进)$/i.test(verb)) {
    const d = parseDuration(arg);
    if (!d.ok || d.value <= 0) return { ok: false, text: t(lang, 'drill.badDuration', { input: arg }) };
    target = clock.ms + d.value * 60_000;
  } else if (/^(at|到)$/i.test(verb)) {
    target = parseDrillTime(arg);
    if (Number.isNaN(target)) return { ok: false, text: t(lang, 'drill.badTime', { input: arg, example: drillTimeExample(clock.ms + 3600_000) }) };
    if (target < clock.ms) {
      if (await deps.hasIncidents()) return { ok: false, text: t(lang, 'drill.backwards', { at: formatShanghaiMinute(clock.ms), example: drillTimeExample(target) }) };
      // No incident yet: nothing can have fallen due, so the clock is simply set.
      clock.ms = target;
      return { ok: true, text: t(lang, 'drill.now', { at: formatShanghaiMinute(clock.ms) }) };
    }
  } else if (/^(now|时间)$/i.test(verb)) {
    return { ok: true, text: t(lang, 'drill.now', { at: formatShanghaiMinute(clock.ms) }) };
  } else {
    return { ok: false, text: t(lang, 'drill.usage') };
  }
  while (clock.ms < target) {
    clock.ms = Math.min(target, clock.ms + stepMs);
    await ticker.tick();
  }
  return { ok: true, text: t(lang, 'drill.now', { at: formatShanghaiMinute(clock.ms) }) };
}

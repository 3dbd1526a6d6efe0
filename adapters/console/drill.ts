import { parseDuration } from '../../src/conversation/parse.ts';
import { t, type Lang } from '../../src/i18n/index.ts';
import type { Ticker } from '../../src/reminders/ticker.ts';
import { formatShanghaiMinute, parseIso } from '../../src/rules/time.ts';

/** The simulated clock of a drill: it moves only when told to. */
export class DrillClock {
  constructor(public ms: number) {}
  now = () => this.ms;
}

export type DrillOutcome = { ok: true; text: string } | { ok: false; text: string };

/**
 * `/drill advance 45m` or `/drill at 2026-11-29T13:00`: moves the clock forward, running the ticker
 * every `stepMs` of simulated time so whatever falls due is posted in time order.
 */
export async function runDrillCommand(line: string, clock: DrillClock, ticker: Ticker, stepMs: number, lang: Lang): Promise<DrillOutcome | null> {
  const m = /^\/drill(?:\s+(\S+))?(?:\s+(.*))?$/i.exec(line.trim());
  if (!m) return null;
  const [, verb = 'now', arg = ''] = m;
  let target: number;
  if (/^(advance|快进|前进)$/i.test(verb)) {
    const d = parseDuration(arg);
    if (!d.ok || d.value <= 0) return { ok: false, text: t(lang, 'drill.badDuration', { input: arg }) };
    target = clock.ms + d.value * 60_000;
  } else if (/^(at|到)$/i.test(verb)) {
    target = parseIso(arg.replace(' ', 'T'));
    if (Number.isNaN(target)) return { ok: false, text: t(lang, 'drill.badTime', { input: arg }) };
    if (target < clock.ms) return { ok: false, text: t(lang, 'drill.backwards') };
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

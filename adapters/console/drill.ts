import { parseDuration } from '../../src/conversation/parse.ts';
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
export async function runDrillCommand(line: string, clock: DrillClock, ticker: Ticker, stepMs: number, lang: 'zh-CN' | 'en'): Promise<DrillOutcome | null> {
  const m = /^\/drill(?:\s+(\S+))?(?:\s+(.*))?$/i.exec(line.trim());
  if (!m) return null;
  const [, verb = 'now', arg = ''] = m;
  const zh = lang === 'zh-CN';
  let target: number;
  if (/^(advance|快进|前进)$/i.test(verb)) {
    const d = parseDuration(arg);
    if (!d.ok || d.value <= 0) return { ok: false, text: zh ? `“${arg}”不是有效的时长，例如 /drill advance 45m` : `"${arg}" is not a duration, e.g. /drill advance 45m` };
    target = clock.ms + d.value * 60_000;
  } else if (/^(at|到)$/i.test(verb)) {
    target = parseIso(arg.replace(' ', 'T'));
    if (Number.isNaN(target)) return { ok: false, text: zh ? `“${arg}”不是有效的时间，例如 /drill at 2026-11-29T13:00` : `"${arg}" is not a time, e.g. /drill at 2026-11-29T13:00` };
    if (target < clock.ms) return { ok: false, text: zh ? '演练时钟只能向前' : 'The drill clock only moves forward' };
  } else if (/^(now|时间)$/i.test(verb)) {
    return { ok: true, text: `${zh ? '演练时间' : 'Drill time'} ${formatShanghaiMinute(clock.ms)}` };
  } else {
    return { ok: false, text: zh ? '用法：/drill advance <时长> | /drill at <时间> | /drill now' : 'Usage: /drill advance <duration> | /drill at <time> | /drill now' };
  }
  while (clock.ms < target) {
    clock.ms = Math.min(target, clock.ms + stepMs);
    await ticker.tick();
  }
  return { ok: true, text: `${zh ? '演练时间' : 'Drill time'} ${formatShanghaiMinute(clock.ms)}` };
}

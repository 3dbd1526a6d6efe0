// The bot's clock. Production runs on the machine's clock; BOT_CLOCK_START starts the bot's clock at a chosen
// instant that then runs forward in real time (rehearsals on a real store, and tests that spawn the bot with
// their time chosen). A drill has its own simulated clock instead (adapters/console/drill.ts).
import { parseIso } from '../src/calendar/time.ts';

export interface BotClock {
  now: () => number;
  /** Set when BOT_CLOCK_START moved the clock: said loudly at start-up. */
  shiftedTo?: number;
}

export function botClockOf(env: { BOT_CLOCK_START?: string }, realNow: () => number = Date.now): BotClock {
  const raw = env.BOT_CLOCK_START;
  if (!raw) return { now: realNow };
  const startMs = parseIso(raw.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'));
  if (Number.isNaN(startMs)) throw new RangeError(`BOT_CLOCK_START=${JSON.stringify(raw)} is not a time: use e.g. BOT_CLOCK_START=2026-09-30T16:30 (Beijing time) or 2026-09-30T16:30+08:00`);
  const offset = startMs - realNow();
  return { now: () => realNow() + offset, shiftedTo: startMs };
}

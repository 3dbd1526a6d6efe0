// Shanghai time as the bot writes and reads it: fixed +08:00, whatever the process's own zone does.
import { afterEach, describe, expect, it } from 'vitest';
import { formatShanghaiMinute, isoShanghai, parseIso, shanghaiDate } from '../../src/calendar/time.ts';
import { formatShanghai } from '../../src/conversation/parse-time.ts';

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('Shanghai time', () => {
  it('writes an instant as Beijing time with +08:00', () => {
    const ms = Date.parse('2026-11-29T02:05:09Z');
    expect(isoShanghai(ms)).toBe('2026-11-29T10:05:09+08:00');
    expect(formatShanghaiMinute(ms)).toBe('2026-11-29 10:05');
    expect(formatShanghai(ms, true)).toBe('2026-11-29 10:05:09');
    expect(shanghaiDate(Date.parse('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
  });

  it('is not moved by the process zone changing to or from summer time', () => {
    process.env.TZ = 'America/Los_Angeles';
    // 01:30 PST on the morning Los Angeles springs forward; 17:30 in Beijing.
    const ms = Date.parse('2026-03-08T09:30:00Z');
    expect(isoShanghai(ms)).toBe('2026-03-08T17:30:00+08:00');
    expect(parseIso('2026-03-08 17:30')).toBe(ms);
    process.env.TZ = 'Europe/London';
    expect(isoShanghai(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T08:30:00+08:00');
  });

  it('reads ISO times with or without an offset, a time without one as Beijing time', () => {
    expect(parseIso('2026-11-29T10:05:00+08:00')).toBe(Date.parse('2026-11-29T02:05:00Z'));
    expect(parseIso('2026-11-29 10:05')).toBe(Date.parse('2026-11-29T02:05:00Z'));
    expect(parseIso(' 2026-11-29 ')).toBe(Date.parse('2026-11-28T16:00:00Z'));
    expect(parseIso('2026-11-29T02:05:00.1234Z')).toBe(Date.parse('2026-11-29T02:05:00.123Z'));
    expect(parseIso('2026-11-29T10:05-0130')).toBe(Date.parse('2026-11-29T11:35:00Z'));
  });

  it('refuses dates and times that do not exist rather than rolling them over', () => {
    for (const bad of ['2026-02-30', '2026-02-29T10:00Z', '2026-13-01', '2026-11-29T24:00', '2026-11-29T10:60', '2026-11-29T10:05:60', '2026-11-29T1:05', '26-11-29', '2026/11/29', '2026-11-29T10:05+8:00', ''])
      expect(parseIso(bad), bad).toBeNaN();
  });
});

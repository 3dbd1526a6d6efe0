import { describe, expect, it } from 'vitest';
import { nextEscalation, outageAt, peakMinutesBetween, peakProvisional, peakReachedAt, type PeakWindow } from '../../../src/regimes/pboc-2025-4/outage-clock.ts';
import { createCalendar } from '../../../src/calendar/working-days.ts';
import { formatShanghaiMinute, parseIso } from '../../../src/calendar/time.ts';

const at = (s: string) => parseIso(`${s}+08:00`);
const weekdays: PeakWindow[] = [
  { start: '09:00', end: '11:30', weekdays: [1, 2, 3, 4, 5] },
  { start: '13:30', end: '17:00', weekdays: [1, 2, 3, 4, 5] },
];

describe('peak minutes (Art. 31(3) windows, Shanghai time)', () => {
  it.each([
    ['inside one window', '2026-11-30T09:00', '2026-11-30T09:45', 45],
    ['across the lunch gap', '2026-11-30T11:00', '2026-11-30T14:00', 60],
    ['a whole weekday', '2026-11-30T00:00', '2026-12-01T00:00', 360],
    ['a weekend day counts nothing', '2026-11-29T00:00', '2026-11-30T00:00', 0],
    ['Friday evening to Monday 10:00', '2026-11-27T16:00', '2026-11-30T10:00', 120],
  ])('%s', (_l, from, to, minutes) => {
    expect(peakMinutesBetween(at(from), at(to), weekdays)).toBe(minutes);
  });

  it('overlapping windows count once', () => {
    const w: PeakWindow[] = [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }];
    expect(peakMinutesBetween(at('2026-11-29T08:00'), at('2026-11-29T14:00'), w)).toBe(240);
  });

  it('the exact instant a peak duration is reached, across the lunch gap and the weekend', () => {
    expect(formatShanghaiMinute(peakReachedAt(at('2026-11-30T11:00'), 60, weekdays)!)).toBe('2026-11-30 14:00');
    expect(formatShanghaiMinute(peakReachedAt(at('2026-11-27T16:30'), 90, weekdays)!)).toBe('2026-11-30 10:00');
    expect(peakReachedAt(at('2026-11-30T09:00'), 60, [])).toBeNull();
  });

  it('does not depend on the process time zone', () => {
    // 09:00-11:30 Shanghai is 01:00-03:30 UTC whatever TZ says.
    expect(peakMinutesBetween(Date.parse('2026-11-30T01:00:00Z'), Date.parse('2026-11-30T03:30:00Z'), weekdays)).toBe(150);
  });
});

describe('live outage: facts at now and the next threshold', () => {
  const live = { startMs: at('2026-11-30T10:00'), provinces: 1, failureRatePercent: 90 };
  const facts = { networks: [{ name: '支付', keyNetwork: true, financialService: true }] };

  it('outage facts stop growing at restoration', () => {
    expect(outageAt({ ...live, restoredAtMs: at('2026-11-30T10:40') }, at('2026-11-30T16:00'), weekdays)).toEqual({ provinces: 1, failureRatePercent: 90, peakMinutes: 40, totalMinutes: 40 });
  });

  it('one province: 较大 at 30 peak minutes, then 重大 at 180 (the lunch gap does not count)', () => {
    const first = nextEscalation(facts, 0, live, at('2026-11-30T10:05'), weekdays)!;
    expect([formatShanghaiMinute(first.atMs), first.grade]).toEqual(['2026-11-30 10:30', '较大']);
    const second = nextEscalation(facts, 0, live, at('2026-11-30T10:31'), weekdays)!;
    // 90 minutes until 11:30, the other 90 from 13:30.
    expect([formatShanghaiMinute(second.atMs), second.grade]).toEqual(['2026-11-30 15:00', '重大']);
    expect(second.basis[0]).toMatchObject({ article: 8, item: 1 });
  });

  it('nothing ahead once restored, or at the top grade', () => {
    expect(nextEscalation(facts, 0, { ...live, restoredAtMs: at('2026-11-30T10:20') }, at('2026-11-30T10:25'), weekdays)).toBeNull();
    expect(nextEscalation({ ...facts, data: { coreData: true } }, 0, live, at('2026-11-30T10:05'), weekdays)).toBeNull();
  });

  it('70% is not whole interruption: no threshold lies ahead', () => {
    expect(nextEscalation(facts, 0, { ...live, failureRatePercent: 70 }, at('2026-11-30T10:05'), weekdays)).toBeNull();
    expect(nextEscalation(facts, 0, { ...live, failureRatePercent: 70.5 }, at('2026-11-30T10:05'), weekdays)).not.toBeNull();
  });
});

describe('peak windows that follow the calendar (Art. 31(3))', () => {
  const workdays: PeakWindow[] = [
    { start: '09:00', end: '11:30', days: ['workdays'] },
    { start: '13:30', end: '17:00', days: ['workdays'] },
  ];
  const cal = createCalendar();
  const facts = { networks: [{ name: '核心', keyNetwork: true, financialService: true }] };
  const live = { startMs: at('2026-12-31T16:00'), provinces: 2, failureRatePercent: 95 };

  it('元旦 is a Friday but not a working day: 重大 waits for Monday 4 January, on a provisional calendar', () => {
    const e = nextEscalation(facts, 0, live, at('2026-12-31T17:00'), workdays, [], cal)!;
    expect([formatShanghaiMinute(e.atMs), e.grade]).toEqual(['2027-01-04 09:30', '重大']);
    // Weekday windows knew no holidays: they escalated on 元旦 itself.
    expect(formatShanghaiMinute(nextEscalation(facts, 0, live, at('2026-12-31T17:00'), weekdays)!.atMs)).toBe('2027-01-01 09:30');
    expect(peakProvisional(live.startMs, e.atMs, workdays, cal)).toBe(true);
    expect(peakProvisional(at('2026-12-01T09:00'), at('2026-12-31T17:00'), workdays, cal)).toBe(false);
    expect(peakProvisional(at('2027-01-04T09:00'), at('2027-01-04T17:00'), weekdays, cal)).toBe(false); // weekday windows need no calendar
  });

  it('the make-up Saturday counts, the 国庆 weekdays do not, and an institution override wins', () => {
    expect(peakMinutesBetween(at('2026-10-10T00:00'), at('2026-10-11T00:00'), workdays, cal)).toBe(360);
    expect(peakMinutesBetween(at('2026-10-01T00:00'), at('2026-10-08T00:00'), workdays, cal)).toBe(0);
    expect(peakMinutesBetween(at('2026-10-10T00:00'), at('2026-10-11T00:00'), weekdays, cal)).toBe(0);
    const overridden = createCalendar({ 2026: { holidays: ['2026-10-10'] } });
    expect(peakMinutesBetween(at('2026-10-10T00:00'), at('2026-10-11T00:00'), workdays, overridden)).toBe(0);
    const holidayPeak: PeakWindow[] = [{ start: '10:00', end: '12:00', days: ['holidays'] }, { start: '08:00', end: '09:00', dates: ['2026-10-11'] }];
    expect(peakMinutesBetween(at('2026-10-03T00:00'), at('2026-10-04T00:00'), holidayPeak, cal)).toBe(120); // a Saturday inside 国庆
    expect(peakMinutesBetween(at('2026-10-10T00:00'), at('2026-10-12T00:00'), holidayPeak, cal)).toBe(60); // the named date only
    expect(peakMinutesBetween(at('2026-10-10T00:00'), at('2026-10-11T00:00'), holidayPeak, overridden)).toBe(120);
  });

  it('an institution rule on outage minutes is an escalation point of its own (Art. 6)', () => {
    const rule = { id: 'r', name: '20分钟', grade: '较大' as const, when: { path: 'networks.*.outage.totalMinutes', op: '>=' as const, value: 20 } };
    const one = { ...live, provinces: 1, startMs: at('2026-09-30T16:40') };
    expect(formatShanghaiMinute(nextEscalation(facts, 0, one, at('2026-09-30T16:41'), workdays, [rule], cal)!.atMs)).toBe('2026-09-30 17:00');
  });
});

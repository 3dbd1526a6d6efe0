import { describe, expect, it } from 'vitest';
import { nextEscalation, outageAt, peakMinutesBetween, peakReachedAt, type PeakWindow } from '../../src/rules/outage-clock.ts';
import { formatShanghaiMinute, parseIso } from '../../src/rules/time.ts';

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

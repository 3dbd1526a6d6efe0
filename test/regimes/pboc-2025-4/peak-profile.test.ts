import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { derivePeakWindows, parseHourlyProfileCsv } from '../../../src/regimes/pboc-2025-4/peak-profile.ts';
import { parseInstitutionConfig, ConfigError } from '../../../src/config/institution.ts';
import { peakMinutesBetween } from '../../../src/regimes/pboc-2025-4/outage-clock.ts';
import { createCalendar } from '../../../src/calendar/working-days.ts';

// A year of working-day volume by hour: a morning and an afternoon peak, a lunch dip.
const WORKDAYS = [5, 3, 2, 2, 2, 3, 6, 15, 25, 60, 70, 65, 15, 50, 60, 62, 55, 30, 20, 15, 12, 10, 8, 6];

describe('peak windows by the 3% rule (Art. 31(3))', () => {
  it('marks the hours above 3% of the daily volume and joins them into windows', () => {
    const total = WORKDAYS.reduce((a, b) => a + b, 0); // 601: the threshold is 18.03
    expect(total).toBe(601);
    const { windows, derivation } = derivePeakWindows({ workdays: WORKDAYS });
    // 12:00 holds 15 and 19:00 holds 15, below 18.03; 08:00 (25) and 18:00 (20) are above it.
    expect(derivation[0]).toMatchObject({ days: 'workdays', dailyVolume: 601, peakHours: [8, 9, 10, 11, 13, 14, 15, 16, 17, 18] });
    expect(derivation[0]!.thresholdVolume).toBeCloseTo(18.03, 2);
    expect(windows).toEqual([
      { start: '08:00', end: '12:00', days: ['workdays'] },
      { start: '13:00', end: '19:00', days: ['workdays'] },
    ]);
  });

  it('an hour exactly at 3% is not a peak hour ("超过": strictly more)', () => {
    const v = new Array<number>(24).fill(0);
    v[9] = 97; v[10] = 3; // 3 is exactly 3% of 100
    expect(derivePeakWindows({ workdays: v }).windows).toEqual([{ start: '09:00', end: '10:00', days: ['workdays'] }]);
  });

  it('reads a CSV per kind of day, and the windows follow the calendar', () => {
    const csv = ['hour,workdays,holidays', ...WORKDAYS.map((v, h) => `${h},${v * 1000},${h === 23 ? 900 : 10}`)].join('\n');
    const { windows } = derivePeakWindows(parseHourlyProfileCsv(csv));
    expect(windows).toEqual([
      { start: '08:00', end: '12:00', days: ['workdays'] },
      { start: '13:00', end: '19:00', days: ['workdays'] },
      { start: '23:00', end: '24:00', days: ['holidays'] },
    ]);
    const cal = createCalendar();
    const day = (d: string, from: string, to: string) => peakMinutesBetween(Date.parse(`${d}T${from}:00+08:00`), Date.parse(`${d}T${to}:00+08:00`), windows, cal);
    expect(day('2026-09-30', '00:00', '23:59')).toBe(600); // a Wednesday: working day
    expect(day('2026-10-01', '00:00', '23:59')).toBe(59); // 国庆: the holiday window only
    expect(day('2026-10-10', '00:00', '23:59')).toBe(600); // make-up Saturday: a working day
    expect(day('2026-10-11', '00:00', '23:59')).toBe(0); // an ordinary Sunday: neither
  });

  it.each([
    ['hour,workdays\n0,1', /hour 1 is missing/],
    ['hours,workdays\n', /line 1: expected a header/],
    ['hour,weekdays\n', /"weekdays" is not one of workdays, restdays, holidays/],
    ['hour,workdays\n24,5', /line 2: hour "24" is not 0-23/],
    ['hour,workdays\n3,-1', /line 2: workdays volume "-1" is not a non-negative number/],
    ['hour,workdays\n3,1\n3,2', /line 3: hour 3 is listed twice/],
  ])('refuses a malformed CSV, naming the line: %j', (csv, message) => {
    expect(() => parseHourlyProfileCsv(csv)).toThrow(message);
  });
});

describe('peakProfile in the institution file', () => {
  const base = {
    institution: { name: '某银行', type: 'other' },
    recipients: [{ name: '中国人民银行上海总部' }],
  };
  const net = { id: 'core', name: '核心', protectionLevel: 4, keyNetwork: true, financialService: true };

  it('replaces the profile by the derived windows and keeps the derivation for help rules', () => {
    const c = parseInstitutionConfig({ ...base, networks: [{ ...net, peakProfile: { workdays: WORKDAYS } }] }, 'test');
    expect(c.networks[0]!.peakWindows).toEqual([{ start: '08:00', end: '12:00', days: ['workdays'] }, { start: '13:00', end: '19:00', days: ['workdays'] }]);
    expect(c.networks[0]!.peakDerivation?.[0]?.dailyVolume).toBe(601);
  });

  it('refuses a profile beside explicit windows, and a bad CSV naming the field and line', () => {
    const both = { ...net, peakProfile: { workdays: WORKDAYS }, peakWindows: [{ start: '09:00', end: '10:00' }] };
    expect(() => parseInstitutionConfig({ ...base, networks: [both] }, 'test')).toThrow(/networks\.0\.peakProfile: give peakProfile .* or peakWindows .*, not both/);
    expect(() => parseInstitutionConfig({ ...base, networks: [{ ...net, peakProfile: { workdays: [1, 2] } }] }, 'test')).toThrow(ConfigError);
    const dir = new URL('../../../config/', import.meta.url).pathname;
    expect(readFileSync(`${dir}online-banking-volume.csv`, 'utf8')).toMatch(/^# /);
    expect(() => parseInstitutionConfig({ ...base, networks: [{ ...net, peakProfile: { file: 'institution.example.yaml' } }] }, 'test', dir))
      .toThrow(/networks\.0\.peakProfile\.file institution\.example\.yaml: line 1: expected a header/);
  });
});

describe('the bundled example', () => {
  it('its CSV gives the same windows as the volumes written inline in institution.example.yaml', () => {
    const dir = new URL('../../../config/', import.meta.url).pathname;
    const fromCsv = derivePeakWindows(parseHourlyProfileCsv(readFileSync(`${dir}online-banking-volume.csv`, 'utf8'))).windows;
    const inline = parseInstitutionConfig({
      institution: { name: '某银行', type: 'other' }, recipients: [{ name: '中国人民银行上海总部' }],
      networks: [{ id: 'ob', name: '网上银行', protectionLevel: 3, keyNetwork: false, financialService: true, peakProfile: { file: 'online-banking-volume.csv' } }],
    }, 'test', dir).networks[0]!.peakWindows;
    expect(inline).toEqual(fromCsv);
    expect(fromCsv[0]).toEqual({ start: '09:00', end: '12:00', days: ['workdays'] });
  });
});

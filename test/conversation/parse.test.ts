import { afterEach, describe, expect, it } from 'vitest';
import {
  FUTURE_TOLERANCE_MS,
  formatDurationMs,
  formatShanghai,
  parseChoice,
  parseCount,
  parseDuration,
  parsePercent,
  parseTime,
  parseYesNo,
  type Parsed,
} from '../../src/conversation/parse.ts';

// 2026-11-29 11:00 in Shanghai.
const NOW = Date.parse('2026-11-29T03:00:00Z');
/** Shanghai wall clock "YYYY-MM-DDTHH:mm[:ss]" as epoch ms. */
const sh = (local: string): number => Date.parse(`${local}+08:00`);

function value<T>(r: Parsed<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('parseCount', () => {
  it.each([
    ['12000', 12000],
    ['0', 0],
    ['12,000', 12000],
    ['12，000', 12000],
    ['1,234,567', 1234567],
    ['1.2万', 12000],
    ['120万', 1200000],
    ['3亿', 300000000],
    ['1.5亿', 150000000],
    ['3千万', 30000000],
    ['2百万', 2000000],
    ['5千', 5000],
    ['1.2w', 12000],
    ['1.2m', 1200000],
    ['1.2M', 1200000],
    ['1.2 million', 1200000],
    ['3 billion', 3000000000],
    ['50k', 50000],
    ['50K', 50000],
    ['2 thousand', 2000],
    ['１２０', 120],
    ['１．２万', 12000],
    ['  12000  ', 12000],
    ['12.0', 12],
    ['1.15百', 115], // exact decimal scaling: 1.15 * 100 is 114.99999999999999 in floats
    ['三万', 30000],
    ['三万五千', 35000],
    ['一千二百万', 12000000],
    ['十五', 15],
    ['一百零五', 105],
    ['两亿', 200000000],
    ['一点二万', 12000],
    ['约1.2万', 12000],
    ['大约3000人', 3000],
    ['5000条', 5000],
    ['12000 users', 12000],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%s -> %d', (input, expected) => {
    expect(parseCount(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    '   ',
    'abc',
    '-5',
    '-1.2万',
    '12.5',
    '1.23456万',
    '1e6',
    '1E6',
    'NaN',
    'Infinity',
    '9007199254740992',
    '99999999999亿',
    '12,00',
    '1,2000',
    '12..5',
    '1.2.3',
    '万',
    '一二',
    '五零',
    '12 34',
    '0x10',
    '+5',
    '1.2万万',
  ])('rejects %j', (input) => {
    expect(parseCount(input)).toEqual({ ok: false, error: { code: 'number', input } });
  });

  it('never throws on non-string input at runtime', () => {
    expect(parseCount(undefined as unknown as string).ok).toBe(false);
    expect(parseCount('1'.repeat(500)).ok).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['0', 0],
    ['1.5', 1.5],
    ['90m', 90],
    ['90 m', 90],
    ['90min', 90],
    ['90 mins', 90],
    ['90 minutes', 90],
    ['90分钟', 90],
    ['90分', 90],
    ['９０分钟', 90],
    ['1.5h', 90],
    ['1.5H', 90],
    ['1.5hr', 90],
    ['1.5 hours', 90],
    ['1.5小时', 90],
    ['0.1h', 6],
    ['2h30m', 150],
    ['2H30M', 150],
    ['1h 30m', 90],
    ['1h, 30m', 90],
    ['1 hour and 30 minutes', 90],
    ['1h30', 90],
    ['1小时30分钟', 90],
    ['1小时30分', 90],
    ['1小时30', 90],
    ['1小时零5分钟', 65],
    ['2天', 2880],
    ['2d', 2880],
    ['2 days', 2880],
    ['1d 2h 3m', 1440 + 120 + 3],
    ['1天又3小时', 1440 + 180],
    ['一小时', 60],
    ['两小时', 120],
    ['两个小时', 120],
    ['三十分钟', 30],
    ['一小时零五分钟', 65],
    ['一百二十分钟', 120],
    ['十天', 14400],
    ['半小时', 30],
    ['半个小时', 30],
    ['一个半小时', 90],
    ['1个半小时', 90],
    ['两天半', 3600],
    ['3个钟头', 180],
    ['1.5m', 1.5],
  ])('%s -> %d min', (input, expected) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    'abc',
    '-5',
    '-1h',
    '45s',
    '45 seconds',
    '1m30s',
    '30m1h',
    '1h2h',
    '1h 1h',
    '1d30',
    '30m5',
    '1h and',
    'h',
    '半',
    '2个半',
    '1..5h',
    '1e3',
    '90秒',
    '1 hour ago',
  ])('rejects %j', (input) => {
    expect(parseDuration(input)).toEqual({ ok: false, error: { code: 'duration', input } });
  });
});

describe('parseTime', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it.each([
    ['10:05', sh('2026-11-29T10:05')],
    ['10:05:30', sh('2026-11-29T10:05:30')],
    ['１０：０５', sh('2026-11-29T10:05')],
    ['00:00', sh('2026-11-29T00:00')],
    ['9:05', sh('2026-11-29T09:05')],
    // within the 5-minute skew tolerance: still today
    ['11:05', sh('2026-11-29T11:05')],
    // more than 5 minutes ahead: it was yesterday
    ['11:06', sh('2026-11-28T11:06')],
    ['23:50', sh('2026-11-28T23:50')],
    ['2026-11-29 10:05', sh('2026-11-29T10:05')],
    ['2026-11-29 10:05:30', sh('2026-11-29T10:05:30')],
    ['2026-11-29T10:05', sh('2026-11-29T10:05')],
    ['2026/11/29 10:05', sh('2026-11-29T10:05')],
    ['2026.11.29 10:05', sh('2026-11-29T10:05')],
    ['2026-1-5 8:00', sh('2026-01-05T08:00')],
    ['2024-02-29 10:00', sh('2024-02-29T10:00')],
    ['2026年11月29日 10:05', sh('2026-11-29T10:05')],
    ['2026年11月29日10点05分', sh('2026-11-29T10:05')],
    ['11-29 10:05', sh('2026-11-29T10:05')],
    ['11/28 23:00', sh('2026-11-28T23:00')],
    ['11月28日 23:00', sh('2026-11-28T23:00')],
    ['11月28号 23:00', sh('2026-11-28T23:00')],
    // a month-day still ahead this year means last year
    ['12-25 10:00', sh('2025-12-25T10:00')],
    ['2026-11-29T02:05:00Z', sh('2026-11-29T10:05')],
    ['2026-11-29T02:05Z', sh('2026-11-29T10:05')],
    ['2026-11-29T02:05:00.250Z', sh('2026-11-29T10:05:00') + 250],
    ['2026-11-29T10:05:00+08:00', sh('2026-11-29T10:05')],
    ['2026-11-29T10:05+0800', sh('2026-11-29T10:05')],
    ['2026-11-28T18:05:00-08:00', sh('2026-11-29T10:05')],
    ['2026-11-29 02:05:00 Z', sh('2026-11-29T10:05')],
    ['30分钟前', NOW - 30 * 60_000],
    ['30 分钟前', NOW - 30 * 60_000],
    ['30分钟之前', NOW - 30 * 60_000],
    ['30m ago', NOW - 30 * 60_000],
    ['30 minutes ago', NOW - 30 * 60_000],
    ['2小时前', NOW - 2 * 3_600_000],
    ['2h ago', NOW - 2 * 3_600_000],
    ['1.5小时前', NOW - 90 * 60_000],
    ['半小时前', NOW - 30 * 60_000],
    ['1h30m ago', NOW - 90 * 60_000],
    ['2天前', NOW - 2 * 86_400_000],
    ['now', NOW],
    ['NOW', NOW],
    ['just now', NOW],
    ['现在', NOW],
    ['刚才', NOW],
    ['刚刚', NOW],
    ['今天 10:05', sh('2026-11-29T10:05')],
    ['今天10:05', sh('2026-11-29T10:05')],
    ['today 10:05', sh('2026-11-29T10:05')],
    ['昨天 23:50', sh('2026-11-28T23:50')],
    ['昨天23:50', sh('2026-11-28T23:50')],
    ['yesterday 23:50', sh('2026-11-28T23:50')],
    ['Yesterday at 23:50', sh('2026-11-28T23:50')],
    ['前天 9:00', sh('2026-11-27T09:00')],
    ['10点', sh('2026-11-29T10:00')],
    ['10点05分', sh('2026-11-29T10:05')],
    ['10点5分', sh('2026-11-29T10:05')],
    ['10点05', sh('2026-11-29T10:05')],
    ['十点半', sh('2026-11-29T10:30')],
    ['上午10点', sh('2026-11-29T10:00')],
    ['凌晨2点', sh('2026-11-29T02:00')],
    ['中午12点', sh('2026-11-28T12:00')],
    ['下午3点半', sh('2026-11-28T15:30')],
    ['昨天下午3点', sh('2026-11-28T15:00')],
    ['昨天晚上11点20', sh('2026-11-28T23:20')],
    ['下午3:05', sh('2026-11-28T15:05')],
    ['下午15:00', sh('2026-11-28T15:00')],
    ['12pm', sh('2026-11-28T12:00')],
    ['3pm', sh('2026-11-28T15:00')],
    ['10:05 am', sh('2026-11-29T10:05')],
    ['12am', sh('2026-11-29T00:00')],
  ])('%s', (input, expected) => {
    expect(parseTime(input, NOW)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    'abc',
    'yesterday',
    '2026-11-29',
    '10',
    '2026-02-30 10:00',
    '2026-13-01 10:00',
    '2025-02-29 10:00',
    '02-30 10:00',
    '25:00',
    '24:00',
    '10:60',
    '10:05:60',
    '10:5',
    '13pm',
    '0pm',
    '晚上12点', // midnight of which day? ambiguous
    '上午13点',
    // explicit dates and times in the future (beyond the 5-minute tolerance)
    '今天 12:00',
    'today 11:06',
    '2026-11-29 11:06',
    '2026-11-30 09:00',
    '2027-01-01 00:00',
    '2026-11-29T03:06:00Z',
    '2026-11-29T11:06+08:00',
    '2026-11-29T10:05+25:00',
    '30分钟后',
    '30前',
    '-30分钟前',
    '45s ago',
    '10:00前',
    '1e3',
  ])('rejects %j', (input) => {
    expect(parseTime(input, NOW)).toEqual({ ok: false, error: { code: 'time', input } });
  });

  it('accepts up to FUTURE_TOLERANCE_MS ahead of now, not one minute more', () => {
    expect(FUTURE_TOLERANCE_MS).toBe(5 * 60_000);
    expect(value(parseTime('2026-11-29 11:05', NOW))).toBe(NOW + FUTURE_TOLERANCE_MS);
    expect(parseTime('2026-11-29 11:06', NOW).ok).toBe(false);
  });

  it('rolls a bare time back across a month and a year boundary', () => {
    const newYear = sh('2026-01-01T00:10');
    expect(value(parseTime('23:55', newYear))).toBe(sh('2025-12-31T23:55'));
    expect(value(parseTime('00:05', newYear))).toBe(sh('2026-01-01T00:05'));
    expect(value(parseTime('昨天 8:00', newYear))).toBe(sh('2025-12-31T08:00'));
    expect(value(parseTime('12-31 23:00', newYear))).toBe(sh('2025-12-31T23:00'));
  });

  it('uses the Shanghai calendar day, not the UTC one', () => {
    // 2026-11-29 07:30 Shanghai is still 2026-11-28 in UTC.
    const early = sh('2026-11-29T07:30');
    expect(value(parseTime('7:00', early))).toBe(sh('2026-11-29T07:00'));
    expect(value(parseTime('今天 1:00', early))).toBe(sh('2026-11-29T01:00'));
    expect(value(parseTime('昨天 23:00', early))).toBe(sh('2026-11-28T23:00'));
  });

  it.each(['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'gives the same instants when process TZ is %s',
    (tz) => {
      process.env.TZ = tz;
      expect(value(parseTime('10:05', NOW))).toBe(sh('2026-11-29T10:05'));
      expect(value(parseTime('23:50', NOW))).toBe(sh('2026-11-28T23:50'));
      expect(value(parseTime('2026-11-29 10:05', NOW))).toBe(sh('2026-11-29T10:05'));
      expect(value(parseTime('11-29 10:05', NOW))).toBe(sh('2026-11-29T10:05'));
      expect(value(parseTime('昨天 23:50', NOW))).toBe(sh('2026-11-28T23:50'));
      expect(formatShanghai(NOW)).toBe('2026-11-29 11:00');
    },
  );

  it('rejects a non-finite now instead of throwing', () => {
    expect(parseTime('10:05', Number.NaN).ok).toBe(false);
  });
});

describe('parseYesNo', () => {
  it.each([
    ...['是', '是的', '对', '有', '确认', 'y', 'Y', 'yes', 'YES', 'Yes', 'ｙｅｓ', 'true', ' yes ', '是。', 'yes!'].map(
      (s) => [s, true] as const,
    ),
    ...['否', '不是', '没有', '无', '没', '不', 'n', 'N', 'no', 'No', 'false', 'FALSE'].map((s) => [s, false] as const),
    ...['不确定', '不知道', '未知', '不清楚', '待确认', 'unknown', 'UNKNOWN', 'not sure', '?', '？', '??'].map(
      (s) => [s, 'unknown'] as const,
    ),
  ])('%s -> %s', (input, expected) => {
    expect(parseYesNo(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', 'maybe', 'yess', '是否', '1', '0', 'abc'])('rejects %j', (input) => {
    expect(parseYesNo(input)).toEqual({ ok: false, error: { code: 'yesno', input } });
  });
});

describe('parsePercent', () => {
  it.each([
    ['70', 70],
    ['0', 0],
    ['100', 100],
    ['100%', 100],
    ['70%', 70],
    ['70 %', 70],
    ['70.5%', 70.5],
    ['0.5%', 0.5],
    ['０.５', 0.5],
    ['７０％', 70],
    ['70 percent', 70],
    ['百分之七十', 70],
    ['百分之七十五', 75],
    ['百分之三点五', 3.5],
    ['百分之70', 70],
    ['百分之百', 100],
    ['七十%', 70],
  ])('%s -> %d', (input, expected) => {
    expect(parsePercent(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', 'abc', '-1', '-1%', '100.1', '101%', '150', '%', '70%%', '1e2', '百分之', '百分之一百零一', '七十'.repeat(100)])(
    'rejects %j',
    (input) => {
      expect(parsePercent(input)).toEqual({ ok: false, error: { code: 'percent', input } });
    },
  );
});

describe('parseChoice', () => {
  type Channel = 'email' | 'phone' | 'onsite';
  const options: ReadonlyArray<{ value: Channel; labels: string[] }> = [
    { value: 'email', labels: ['邮件', 'E-mail'] },
    { value: 'phone', labels: ['电话', 'Telephone'] },
    { value: 'onsite', labels: ['现场', 'On site'] },
  ];

  it.each([
    ['email', 'email'],
    ['EMAIL', 'email'],
    ['  phone ', 'phone'],
    ['邮件', 'email'],
    ['e-mail', 'email'],
    ['TELEPHONE', 'phone'],
    ['on site', 'onsite'],
    ['ON  SITE', 'onsite'],
    ['现场', 'onsite'],
    ['1', 'email'],
    ['2', 'phone'],
    ['３', 'onsite'],
    ['2.', 'phone'],
    ['(2)', 'phone'],
    ['第2个', 'phone'],
    ['第三项', 'onsite'],
  ])('%s -> %s', (input, expected) => {
    expect(parseChoice(input, options)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '0', '4', '-1', 'fax', '1.5', 'emai'])('rejects %j', (input) => {
    expect(parseChoice(input, options)).toEqual({ ok: false, error: { code: 'choice', input } });
  });

  it('prefers a matching label over the index', () => {
    const weird = [
      { value: 'a', labels: ['2'] },
      { value: 'b', labels: [] },
    ] as const satisfies ReadonlyArray<{ value: string; labels: string[] }>;
    expect(value(parseChoice('2', weird))).toBe('a');
    expect(value(parseChoice('1', weird))).toBe('a');
  });

  it('rejects everything when there are no options', () => {
    expect(parseChoice('1', []).ok).toBe(false);
  });
});

describe('formatShanghai', () => {
  it.each([
    [NOW, false, '2026-11-29 11:00'],
    [sh('2026-11-29T10:05:30'), false, '2026-11-29 10:05'],
    [sh('2026-11-29T10:05:30'), true, '2026-11-29 10:05:30'],
    [Date.parse('2026-12-31T16:00:00Z'), false, '2027-01-01 00:00'],
    [Date.parse('2026-01-01T15:59:59Z'), true, '2026-01-01 23:59:59'],
  ])('%d (seconds: %s) -> %s', (ms, withSeconds, expected) => {
    expect(formatShanghai(ms, withSeconds)).toBe(expected);
  });

  it('round-trips with parseTime', () => {
    const t = value(parseTime('2026-11-29 10:05:30', NOW));
    expect(value(parseTime(formatShanghai(t, true), NOW))).toBe(t);
  });

  it('throws on a non-finite time (a programming error, not user input)', () => {
    expect(() => formatShanghai(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatDurationMs', () => {
  const MIN = 60_000;
  it.each([
    [65 * MIN, '1小时5分钟', '1h 5m'],
    [(3 * 1440 + 2 * 60 + 40) * MIN, '3天2小时', '3d 2h'],
    [3 * 1440 * MIN, '3天', '3d'],
    [45 * MIN, '45分钟', '45m'],
    [45 * MIN + 59_999, '45分钟', '45m'],
    [2 * 60 * MIN, '2小时', '2h'],
    [1440 * MIN + 5 * MIN, '24小时5分钟', '24h 5m'], // under two days: exact, never a rounded "1天"
    [(1440 - 1) * MIN, '23小时59分钟', '23h 59m'],
    [2 * 1440 * MIN + 5 * MIN, '2天', '2d'],
    [59_999, '不到1分钟', '<1m'],
    [0, '不到1分钟', '<1m'],
    [-65 * MIN, '1小时5分钟', '1h 5m'],
    [-(3 * 1440 + 2 * 60) * MIN, '3天2小时', '3d 2h'],
  ])('%d ms -> %s / %s', (ms, zh, en) => {
    expect(formatDurationMs(ms, 'zh-CN')).toBe(zh);
    expect(formatDurationMs(ms, 'en')).toBe(en);
  });

  it('throws on a non-finite duration', () => {
    expect(() => formatDurationMs(Number.POSITIVE_INFINITY, 'en')).toThrow(RangeError);
  });
});

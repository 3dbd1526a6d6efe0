import { describe, expect, it } from 'vitest';
import { computeDeadlines, type Timeline } from '../../../src/regimes/pboc-2025-4/deadlines.ts';
import { isoShanghai, parseIso } from '../../../src/calendar/time.ts';
import { createCalendar } from '../../../src/calendar/working-days.ts';

const cal = createCalendar();
const at = (s: string) => parseIso(s);
const find = (r: ReturnType<typeof computeDeadlines>, kind: string) => r.deadlines.find((d) => d.kind === kind);
const tl = (t: Partial<Timeline>): Timeline => ({ grade: '较大', t0Ms: at('2026-11-29T10:05+08:00'), reports: [], ...t });

describe('post-incident report: end of the 10th working day after handling ended (Art. 17)', () => {
  // [case, resolvedAt (Shanghai), due date]: expectations from the State Council 2026 schedule.
  it.each([
    ['Spring Festival, make-up Saturdays 02-14 and 02-28 count', '2026-02-12T15:00', '2026-03-04'],
    ['Labour Day, make-up Saturday 05-09 counts', '2026-04-29T10:00', '2026-05-15'],
    ['Dragon Boat 06-19..21', '2026-06-17T09:00', '2026-07-02'],
    ['National Day 10-01..07, make-up 10-10 counts', '2026-09-30T18:00', '2026-10-20'],
    ['late evening: the Shanghai date counts (23:30 on 02-13)', '2026-02-13T23:30', '2026-03-05'],
    ['just after midnight Shanghai (still 02-13 in UTC)', '2026-02-14T00:30', '2026-03-06'],
    ['late evening on a Friday before a make-up Saturday', '2026-10-09T23:50', '2026-10-22'],
    ['ordinary weeks', '2026-11-16T12:00', '2026-11-30'],
  ])('%s', (_label, resolved, dueDate) => {
    const r = computeDeadlines(tl({ grade: '一般', resolvedAtMs: at(`${resolved}+08:00`) }), at('2026-02-01T00:00+08:00'), cal);
    const final = find(r, 'final')!;
    expect(final.dueDate).toBe(dueDate);
    expect(isoShanghai(final.dueAtMs)).toBe(isoShanghai(at(`${dueDate}T00:00+08:00`) + 86_400_000));
    expect(final.provisional).toBeFalsy();
  });

  it('a deadline that crosses into a year without official data is provisional and says so', () => {
    const r = computeDeadlines(tl({ grade: '一般', resolvedAtMs: at('2026-12-24T10:00+08:00') }), at('2026-12-24T12:00+08:00'), cal);
    const final = find(r, 'final')!;
    // 12-25 Fri=1, 12-28..31 = 2..5, 2027-01-01 is New Year's Day (certain), 01-04..08 = 6..10.
    expect(final.dueDate).toBe('2027-01-08');
    expect(final.provisional).toBe(true);
    expect(r.warnings[0]!['zh-CN']).toContain('暂定');
  });
});

describe('brief and incident reports (Art. 15)', () => {
  it('较大: brief within 1 h and incident report within 24 h of T0, exact times', () => {
    const r = computeDeadlines(tl({}), at('2026-11-29T10:30+08:00'), cal);
    expect(r.deadlines.map((d) => [d.kind, isoShanghai(d.dueAtMs), d.article, d.status])).toEqual([
      ['brief', '2026-11-29T11:05:00+08:00', 15, 'pending'],
      ['incident', '2026-11-30T10:05:00+08:00', 15, 'pending'],
    ]);
  });

  it('met, late and overdue against now', () => {
    const r = computeDeadlines(
      tl({ reports: [{ kind: 'brief', atMs: at('2026-11-29T11:20+08:00') }] }),
      at('2026-11-30T10:06+08:00'),
      cal,
    );
    expect(find(r, 'brief')).toMatchObject({ status: 'met', late: true });
    expect(find(r, 'incident')).toMatchObject({ status: 'overdue' });
  });

  it('exactly at the deadline is still on time', () => {
    const r = computeDeadlines(tl({ reports: [{ kind: 'brief', atMs: at('2026-11-29T11:05+08:00') }] }), at('2026-11-29T11:05+08:00'), cal);
    expect(find(r, 'brief')).toMatchObject({ status: 'met', late: false });
    expect(find(r, 'incident')!.status).toBe('pending');
  });

  it('一般 has no hour clocks, unless it caused 较大舆情 (Art. 15 ¶2)', () => {
    expect(computeDeadlines(tl({ grade: '一般' }), at('2026-11-29T10:30+08:00'), cal).deadlines).toEqual([]);
    const r = computeDeadlines(tl({ grade: '一般', publicOpinion: true }), at('2026-11-29T10:30+08:00'), cal);
    expect(r.deadlines.map((d) => d.kind)).toEqual(['brief', 'incident']);
  });
});

describe('progress and immediate reports (Art. 16)', () => {
  it('重大: the first progress report 2 h after reaching 重大, then 2 h after the latest report', () => {
    const base = tl({ grade: '重大', t0Ms: at('2026-11-29T10:00+08:00') });
    expect(isoShanghai(find(computeDeadlines(base, at('2026-11-29T10:10+08:00'), cal), 'progress')!.dueAtMs)).toBe('2026-11-29T12:00:00+08:00');
    const later = { ...base, reports: [{ kind: 'brief' as const, atMs: at('2026-11-29T10:40+08:00') }, { kind: 'progress' as const, atMs: at('2026-11-29T12:30+08:00') }] };
    const r = computeDeadlines(later, at('2026-11-29T14:31+08:00'), cal);
    expect(r.deadlines.filter((d) => d.kind === 'progress')).toHaveLength(1);
    expect(find(r, 'progress')).toMatchObject({ status: 'overdue' });
    expect(isoShanghai(find(r, 'progress')!.dueAtMs)).toBe('2026-11-29T14:30:00+08:00');
  });

  it('escalation from 较大 to 重大: an immediate report, and progress 2 h after escalation', () => {
    const t = tl({
      grade: '重大', t0Ms: at('2026-11-29T09:00+08:00'), majorAtMs: at('2026-11-29T11:30+08:00'),
      escalations: [{ atMs: at('2026-11-29T11:30+08:00'), grade: '重大' }],
      reports: [{ kind: 'brief', atMs: at('2026-11-29T09:30+08:00') }],
    });
    const before = computeDeadlines(t, at('2026-11-29T11:31+08:00'), cal);
    expect(before.immediate).toMatchObject([{ kind: 'immediate', status: 'pending', article: 16 }]);
    expect(isoShanghai(find(before, 'progress')!.dueAtMs)).toBe('2026-11-29T13:30:00+08:00');
    const after = computeDeadlines({ ...t, reports: [...t.reports, { kind: 'immediate', atMs: at('2026-11-29T11:40+08:00') }] }, at('2026-11-29T11:41+08:00'), cal);
    expect(after.immediate[0]).toMatchObject({ status: 'met', late: false });
    expect(isoShanghai(find(after, 'progress')!.dueAtMs)).toBe('2026-11-29T13:40:00+08:00');
  });

  it('an immediate report made more than an hour after the raise is late (迟报); within the hour it is not', () => {
    const t = tl({
      grade: '重大', t0Ms: at('2026-11-29T09:00+08:00'), majorAtMs: at('2026-11-29T11:30+08:00'),
      escalations: [{ atMs: at('2026-11-29T11:30+08:00'), grade: '重大' }],
      reports: [{ kind: 'brief', atMs: at('2026-11-29T09:30+08:00') }],
    });
    const report = (clock: string) => computeDeadlines({ ...t, reports: [...t.reports, { kind: 'immediate', atMs: at(`2026-11-29T${clock}+08:00`) }] }, at('2026-11-29T15:00+08:00'), cal).immediate[0];
    expect(report('12:30')).toMatchObject({ status: 'met', late: false });
    expect(report('12:31')).toMatchObject({ status: 'met', late: true });
  });

  it('no progress report once handling has ended', () => {
    const r = computeDeadlines(tl({ grade: '特别重大', resolvedAtMs: at('2026-11-29T15:00+08:00') }), at('2026-11-29T18:00+08:00'), cal);
    expect(r.deadlines.map((d) => d.kind)).toEqual(['brief', 'incident', 'final']);
  });

  it('较大 has no progress clock', () => {
    expect(find(computeDeadlines(tl({}), at('2026-11-29T10:30+08:00'), cal), 'progress')).toBeUndefined();
  });
});

describe('preliminary and revised reports (Art. 17, 23)', () => {
  const resolved = at('2026-11-16T12:00+08:00');

  it('a timely preliminary report moves the post-incident report to the committed date', () => {
    const r = computeDeadlines(
      tl({ resolvedAtMs: resolved, reports: [{ kind: 'preliminary', atMs: at('2026-11-27T10:00+08:00'), committedDate: '2026-12-18' }] }),
      at('2026-12-01T10:00+08:00'),
      cal,
    );
    expect(r.preliminary).toMatchObject({ status: 'met', committedDate: '2026-12-18', withinLimit: true });
    expect(find(r, 'final')).toMatchObject({ dueDate: '2026-12-18', status: 'pending' });
    expect(r.warnings).toEqual([]);
  });

  it('a committed date beyond 40 working days is warned about', () => {
    const r = computeDeadlines(
      tl({ resolvedAtMs: resolved, reports: [{ kind: 'preliminary', atMs: at('2026-11-27T10:00+08:00'), committedDate: '2027-02-01' }] }),
      at('2026-12-01T10:00+08:00'),
      cal,
    );
    expect(r.preliminary!.withinLimit).toBe(false);
    expect(r.warnings.some((w) => w.en.includes('40 working days'))).toBe(true);
  });

  it('revision: 10 working days after PBoC feedback was received', () => {
    const r = computeDeadlines(
      tl({ resolvedAtMs: resolved, reports: [{ kind: 'final', atMs: at('2026-11-27T10:00+08:00') }], feedbackReceivedAtMs: at('2026-09-24T16:00+08:00') }),
      at('2026-09-25T10:00+08:00'),
      cal,
    );
    // 09-25..27 Mid-Autumn holiday, 09-28..30 = 1..3, 10-01..07 holiday, 10-08, 09, 10 (make-up), 12, 13, 14, 15 = 4..10.
    expect(find(r, 'revision')).toMatchObject({ dueDate: '2026-10-15', article: 23, status: 'pending' });
    expect(find(r, 'final')).toMatchObject({ status: 'met', late: false });
  });
});

describe('process time zone does not matter', () => {
  it(`runs under TZ=${process.env.TZ ?? '(unset)'} with Shanghai results`, () => {
    const r = computeDeadlines(tl({ grade: '一般', resolvedAtMs: at('2026-02-14T00:30+08:00') }), 0, cal);
    expect(find(r, 'final')!.dueDate).toBe('2026-03-06');
  });
});

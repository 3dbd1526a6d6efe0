import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import schedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import YAML from 'yaml';
import { loadInstitutionConfig } from '../../src/config/institution.ts';
import { NoticeError, parseHolidayNotice } from '../../src/calendar/holiday-notice.ts';
import { addWorkingDays, createCalendar } from '../../src/calendar/working-days.ts';
import { runCli } from '../../adapters/cli/run.ts';

const NOTICES = resolve(import.meta.dirname, '../fixtures/holiday-notices');
const notice = (year: number) => readFileSync(join(NOTICES, `${year}.txt`), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'pboc-holidays-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  // A fixed process clock: the import does not depend on the date it runs.
  const code = await runCli(args, { stdin: (async function* () { yield stdin; })(), stdout: (s) => void (stdout += String(s)), stderr: (s) => void (stderr += s), nowMs: Date.parse('2026-11-15T10:00:00+08:00'), env: {} });
  return { code, stdout, stderr };
}

describe('the four published notices read exactly as chinese-days has them, day by day', () => {
  for (const year of [2017, 2024, 2025, 2026]) {
    it(`${year}`, () => {
      const n = parseHolidayNotice(notice(year));
      expect(n.year).toBe(year);
      expect(Object.keys(n.days)).toEqual([String(year)]);
      const off = new Set(n.days[year]!.holidays);
      const work = new Set(n.days[year]!.workdays);
      const mismatches: string[] = [];
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000) {
        const d = new Date(ms).toISOString().slice(0, 10);
        if (off.has(d) !== d in schedule.holidays) mismatches.push(`${d} off: notice ${off.has(d)}, chinese-days ${d in schedule.holidays}`);
        if (work.has(d) !== d in schedule.workdays) mismatches.push(`${d} make-up: notice ${work.has(d)}, chinese-days ${d in schedule.workdays}`);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('2024: “鼓励……安排职工在除夕（2月9日）休息” gives no day off', () => {
    const n = parseHolidayNotice(notice(2024));
    expect(n.days['2024']!.holidays).not.toContain('2024-02-09');
    expect(n.days['2024']!.holidays).toContain('2024-02-10');
  });

  it('2017: 补休 is a day off; 与周末连休 adds nothing; the issue date line is no holiday', () => {
    const n = parseHolidayNotice(notice(2017));
    expect(n.days['2017']!.holidays.slice(0, 2)).toEqual(['2017-01-01', '2017-01-02']);
    expect(n.days['2017']!.holidays.filter((d) => d.startsWith('2017-05-0'))).toEqual(['2017-05-01']);
    expect(n.issued).toBe('2016年12月1日');
    expect(n.days['2016']).toBeUndefined();
  });
});

describe('pasted as published, in any punctuation', () => {
  const half = '国务院办公厅关于2026年部分节假日安排的通知\n二、春节: 2月15日(农历腊月二十八、周日)至23日(农历正月初七、周一)放假调休, 共9天。2月14日(周六)、2月28日(周六)上班。\n';
  it('half-width punctuation, spaces, full-width digits and 星期 read the same as the notice', () => {
    const full = '国务院办公厅关于２０２６年部分节假日安排的通知\r\n二、春节：２月１５日（星期日）至２３日（星期一）放假调休，共９天。２月１４日（星期六）、２月２８日（星期六）上班。';
    expect(parseHolidayNotice(half).days).toEqual(parseHolidayNotice(full).days);
    expect(parseHolidayNotice(half).days['2026']!.workdays).toEqual(['2026-02-14', '2026-02-28']);
  });

  it('a range across a month and across the year end, and several holidays in one item', () => {
    const n = parseHolidayNotice('国务院办公厅关于2019年部分节假日安排的通知\n一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n二、端午节：5月31日（周五）至6月2日（周日）放假，共3天。\n三、国庆节、中秋节：10月1日至8日放假调休，共8天。');
    expect(n.days['2018']).toEqual({ holidays: ['2018-12-30', '2018-12-31'], workdays: ['2018-12-29'] });
    expect(n.days['2019']!.holidays).toEqual(['2019-01-01', '2019-05-31', '2019-06-01', '2019-06-02', '2019-10-01', '2019-10-02', '2019-10-03', '2019-10-04', '2019-10-05', '2019-10-06', '2019-10-07', '2019-10-08']);
  });
});

describe('text it cannot read completely is refused, naming the line; nothing partial', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a clause it does not know', '国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。\n二、春节：2月15日起放假，具体另行通知。', /line 3: cannot read “2月15日起放假”/],
    ['a weekday that does not match the date', '国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周五）放假。', /line 2: .*2026-01-01 is not a 周五/],
    ['共N天 that does not match the range', '国务院办公厅关于2026年部分节假日安排的通知\n七、国庆节：10月1日至7日放假调休，共8天。', /line 2: 2026-10-01 to 2026-10-07 is 7 days, but the notice says 共8天/],
    ['a date that does not exist', '国务院办公厅关于2026年部分节假日安排的通知\n二、春节：2月30日放假。', /line 2: “2月30日” is not a date of 2026/],
    ['a date outside a numbered item', '国务院办公厅关于2026年部分节假日安排的通知\n另外，12月31日下午放假。', /line 2: a date outside a numbered item/],
    ['no title and no year', '一、元旦：1月1日放假。', /no title/],
    ['a day both off and working', '国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。\n二、其他：1月1日上班。', /2026-01-01 is both a day off/],
  ];
  for (const [what, text, message] of cases) {
    it(what, async () => {
      expect(() => parseHolidayNotice(text)).toThrow(NoticeError);
      expect(() => parseHolidayNotice(text)).toThrow(message);
      const r = await cli(['holidays', 'import'], text);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/nothing was imported/);
    });
  }
});

// The other statutory holidays of the illustrative 2031 notice (not a real schedule).
const REST_OF_2031 = '三、清明节：4月5日放假。\n四、劳动节：5月1日至5日放假调休，共5天。\n五、端午节：6月2日放假。\n六、国庆节、中秋节：10月1日至7日放假调休，共7天。';

describe('a notice must name every statutory holiday of its year, unless --partial', () => {
  const three = '国务院办公厅关于2031年部分节假日安排的通知\n一、元旦：1月1日（周三）放假1天，不调休。\n二、春节：1月22日（周三）至28日（周二）放假调休，共7天。1月18日（周六）、2月8日（周六）上班。\n三、国庆节：10月1日至7日放假调休，共7天。';

  it('the four published notices name all seven (中秋 on 国庆\'s line where they share it)', () => {
    for (const year of [2017, 2024, 2025, 2026]) expect(parseHolidayNotice(notice(year)).named).toHaveLength(7);
  });

  it('3 of 7 is refused, naming what is missing; nothing printed or written', async () => {
    const file = join(dir, 'partial.yaml');
    copyFileSync(resolve(import.meta.dirname, '../../config/institution.example.yaml'), file);
    const before = readFileSync(file, 'utf8');
    const r = await cli(['holidays', 'import', '--write', file], three);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the notice names 3 of the 7 statutory holidays; missing: 清明节、劳动节、端午节、中秋节. Nothing was imported.');
    expect(r.stderr).toContain('--partial');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('--partial prints the block with the year marked provisional, and its deadlines stay 暂定', async () => {
    const r = await cli(['holidays', 'import', '--partial'], three);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# PARTIAL (--partial): the notice does not name 清明节、劳动节、端午节、中秋节; 2031 stays provisional');
    const block = YAML.parse(r.stdout) as { holidays: Record<string, { provisional?: boolean; holidays: string[] }> };
    expect(block.holidays['2031']!.provisional).toBe(true);
    const file = join(dir, 'partial-write.yaml');
    copyFileSync(resolve(import.meta.dirname, '../../config/institution.example.yaml'), file);
    expect((await cli(['holidays', 'import', '--partial', '--write', file], three)).code).toBe(0);
    const cal = createCalendar(loadInstitutionConfig({ INSTITUTION_CONFIG: file }).config.holidays ?? {});
    // The days it names are used (春节 and its make-up Saturday), yet the year stays provisional.
    expect(addWorkingDays('2031-01-20', 3, cal)).toEqual({ date: '2031-01-30', provisional: true });
    expect(cal.isWorkday('2031-01-18')).toBe(true);
  });
});

describe('pboc-incident holidays import', () => {
  it('prints the institution file\'s holidays: block, which the institution schema accepts', async () => {
    const r = await cli(['holidays', 'import', join(NOTICES, '2026.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）/);
    const block = YAML.parse(r.stdout) as { holidays: Record<string, { holidays: string[]; workdays: string[] }> };
    expect(block.holidays['2026']!.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(block.holidays['2026']!.holidays).toHaveLength(33);
  });

  it('reads stdin, and refuses a --year that the title contradicts', async () => {
    expect((await cli(['holidays', 'import'], notice(2025))).stdout).toContain('"2025-01-28"');
    const bad = await cli(['holidays', 'import', '--year', '2027'], notice(2025));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the title is for 2025, not 2027');
  });

  it('--write merges the year into the institution file, keeping its comments, and a deadline across it stops being provisional', async () => {
    // An illustrative notice for a year chinese-days does not know (not a real schedule).
    const year = 2031;
    const text = `国务院办公厅关于${year}年部分节假日安排的通知\n一、元旦：1月1日（周三）放假1天，不调休。\n二、春节：1月22日（周三）至28日（周二）放假调休，共7天。1月18日（周六）、2月8日（周六）上班。\n${REST_OF_2031}`;
    const file = join(dir, 'inst.yaml');
    copyFileSync(resolve(import.meta.dirname, '../../config/institution.example.yaml'), file);
    const env = { INSTITUTION_CONFIG: file };
    const before = createCalendar(loadInstitutionConfig(env).config.holidays ?? {});
    const was = addWorkingDays('2031-01-20', 3, before);
    expect(was).toEqual({ date: '2031-01-28', provisional: true }); // weekends and the statutory 春节 days only

    const r = await cli(['holidays', 'import', '--write', file], text);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`written: holidays for ${year} in ${file}`);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# 放假日 / extra days off'); // the example's comments survive
    const after = createCalendar(loadInstitutionConfig(env).config.holidays ?? {});
    expect(addWorkingDays('2031-01-20', 3, after)).toEqual({ date: '2031-01-30', provisional: false });
    expect(after.isWorkday('2031-01-18')).toBe(true); // the make-up Saturday
  });

  it('--write refuses a missing file and a result the schema rejects, leaving the file as it was', async () => {
    const missing = await cli(['holidays', 'import', '--write', join(dir, 'nope.yaml')], notice(2026));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('file not found');
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'institution: 1\n');
    const r = await cli(['holidays', 'import', '--write', file], notice(2026));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the file was not changed');
    expect(readFileSync(file, 'utf8')).toBe('institution: 1\n');
  });

  it('the real bin reads a notice file', async () => {
    const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/pboc-incident.js'), 'holidays', 'import', join(NOTICES, '2017.txt')], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(out).toContain('"2017-09-30"');
  });
});

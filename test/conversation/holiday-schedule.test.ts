import { describe, expect, it } from 'vitest';
import { botConfigOf, loadInstitutionConfig } from '../../src/config/institution.ts';
import { createCalendar, missingSchedules } from '../../src/calendar/working-days.ts';
import { FakeChat } from '../fakes/chat.ts';

const IMPORT = 'pboc-incident holidays import <通知文本> --write <机构配置文件>';

describe('a missing holiday schedule is said before it bites', () => {
  it('from 1 November, help rules names next year\'s missing schedule and the import command', async () => {
    const chat = await FakeChat.start('2026-11-02T09:00:00+08:00');
    const text = await chat.say('/incident help rules');
    expect(text).toContain(`2027年国务院节假日安排尚未载入`);
    expect(text).toContain(IMPORT);
    const october = await FakeChat.start('2026-10-31T09:00:00+08:00');
    expect(await october.say('/incident help rules')).not.toContain('尚未载入');
  });

  it('once the year is loaded it says nothing; in a year without data it names that year', async () => {
    const { config } = loadInstitutionConfig({});
    const loaded = botConfigOf({ ...config, holidays: { 2027: { holidays: ['2027-01-01'], workdays: [] } } }, true);
    const chat = await FakeChat.start('2026-11-02T09:00:00+08:00', { config: loaded });
    expect(await chat.say('/incident help rules')).not.toContain('尚未载入');
    expect(missingSchedules(createCalendar(), '2031-03-01')).toEqual([2031]);
    expect(missingSchedules(createCalendar(), '2031-11-01')).toEqual([2031, 2032]);
    const en = await FakeChat.start('2031-03-01T09:00:00+08:00', { lang: 'en' });
    expect(await en.say('/incident help rules')).toContain('The State Council holiday schedule for 2031 is not loaded');
  });

  it('a provisional post-incident deadline on the card points to the same command', async () => {
    const chat = await FakeChat.start('2026-12-24T10:00:00+08:00');
    await chat.say('/incident new 网银登录失败');
    await chat.say('/incident set ransomwareHarm 是');
    const card = await chat.say('/incident resolve');
    expect(card).toMatch(/事后调查总结报告 {2}2027-01-\d\d 24:00 （北京时间）（暂定）/);
    expect(card).toContain('为暂定日期');
    expect(card).toContain(IMPORT);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/conversation/commands.ts';

describe('parseCommand: English and Chinese forms', () => {
  it.each([
    ['new 网银中断', { name: 'new', title: '网银中断' }],
    ['新建 网银 登录 失败', { name: 'new', title: '网银 登录 失败' }],
    ['status', { name: 'status' }],
    ['状态 inc-20261130-01', { name: 'status', id: 'INC-20261130-01' }],
    ['set networks.0.affectedNaturalPersons 120万', { name: 'set', field: 'networks.0.affectedNaturalPersons', value: '120万' }],
    ['设置 自然人 12万', { name: 'set', field: '自然人', value: '12万' }],
    ['set outage.start 2026-11-29 10:05', { name: 'set', field: 'outage.start', value: '2026-11-29 10:05' }],
    ['report brief via email to 上海总部', { name: 'report', kind: 'brief', channel: 'email', recipient: '上海总部' }],
    ['报告 简要 邮件', { name: 'report', kind: 'brief', channel: 'email' }],
    ['报告 初步 书面 承诺 2026-12-31', { name: 'report', kind: 'preliminary', channel: 'written', committedDate: '2026-12-31' }],
    ['confirm R1 by phone contact 张三', { name: 'confirm', report: 'R1', channel: 'phone', contact: '张三' }],
    ['确认 R2 即时通讯 李 四', { name: 'confirm', report: 'R2', channel: 'im', contact: '李 四' }],
    ['resolve 17:30', { name: 'resolve', at: '17:30' }],
    ['结束', { name: 'resolve' }],
    ['lower 一般 reason 误报', { name: 'lower', grade: '一般', reason: '误报' }],
    ['risk 2026-12-01 18:00 疑似数据泄露', { name: 'risk', due: '2026-12-01 18:00', summary: '疑似数据泄露' }],
    ['帮助 rules', { name: 'help', topic: 'rules' }],
    ['', { name: 'help' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual({ ok: true, command: expected });
  });

  it.each([
    ['fly away', { code: 'unknown-command', word: 'fly' }],
    ['report brief', { code: 'usage', command: 'report' }],
    ['report weekly via email', { code: 'usage', command: 'report' }],
    ['confirm R1 by email contact x', { code: 'usage', command: 'confirm' }],
    ['set 自然人', { code: 'usage', command: 'set' }],
    ['lower 很低 reason x', { code: 'usage', command: 'lower' }],
  ])('rejects %j', (text, error) => {
    expect(parseCommand(text)).toEqual({ ok: false, error });
  });
});

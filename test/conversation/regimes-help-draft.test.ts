import { describe, expect, it } from 'vitest';
import { FakeChat } from '../fakes/chat.ts';

describe('the other regimes in help and drafts', () => {
  it('help rules ends with the regimes\' readings: records versus persons, 立即 and 及时, in both languages', async () => {
    const chat = await FakeChat.start('2026-12-01T09:00:00+08:00');
    const zh = await chat.say('/incident help rules');
    expect(zh).toContain('人民银行按"条"计数，网信部门按"人"计数');
    expect(zh).toContain('"及时"');
    await chat.say('/incident lang en');
    const en = await chat.say('/incident help rules');
    expect(en).toContain('PBoC counts records, CAC counts persons');
  });

  it('draft cac gives the initial report\'s items for the 网信部门, marked where facts are missing; docx is refused', async () => {
    const chat = await FakeChat.start('2026-12-01T09:00:00+08:00');
    await chat.say('/incident new 客户信息泄露');
    const draft = await chat.say('/incident draft cac');
    expect(draft).toContain('待补充');
    expect(draft).not.toContain('用法');
    const docx = await chat.say('/incident draft cac docx');
    expect(docx).toContain('只有事后调查总结报告有书面 Word 版本');
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answeredCard, CARD_LIMITS, questionCard, taskIdOf } from '../../../adapters/wecom/render/cards.ts';
import { escapeMd, MARKDOWN_MAX_BYTES, mention, renderMarkdown } from '../../../adapters/wecom/render/markdown.ts';
import { parseCardEvent, parseMessage, stripMentions } from '../../../adapters/wecom/parse.ts';
import { PLATFORMS } from '../../../adapters/platforms.ts';
import type { QuestionView } from '../../../src/conversation/types.ts';

const chars = (max: number) => z.string().refine((s) => [...s].length <= max, `at most ${max} characters`);
const bytes = (max: number) => z.string().refine((s) => Buffer.byteLength(s) <= max, `at most ${max} bytes`);
/** WeCom's template card limits, as a schema every card the adapter renders must pass. */
const CardLimits = z.object({
  card_type: z.enum(['button_interaction', 'vote_interaction']),
  main_title: z.object({ title: chars(CARD_LIMITS.titleChars), desc: chars(CARD_LIMITS.descChars).optional() }),
  sub_title_text: chars(CARD_LIMITS.subTitleChars).optional(),
  task_id: z.string().regex(/^[A-Za-z0-9_\-@]{1,128}$/),
  button_list: z.array(z.object({ text: chars(CARD_LIMITS.buttonTextChars), key: bytes(CARD_LIMITS.keyBytes), style: z.number().int().min(1).max(4) })).min(1).max(CARD_LIMITS.buttons).optional(),
  checkbox: z.object({ question_key: z.string(), mode: z.literal(0), option_list: z.array(z.object({ id: bytes(CARD_LIMITS.optionIdBytes), text: chars(CARD_LIMITS.voteOptionChars) })).min(1).max(CARD_LIMITS.voteOptions) }).optional(),
  submit_button: z.object({ text: chars(10), key: bytes(CARD_LIMITS.keyBytes) }).optional(),
}).strict();

const question = (over: Partial<QuestionView> = {}): QuestionView => ({
  id: 'network', incidentId: 'INC-20261130-01', path: 'networks.0.ref', prompt: '受影响的人民银行业务领域网络是哪一个？这是一个很长很长很长的问题文本用于测试截断',
  answerType: 'choice', options: [{ value: 'online-banking', label: '网上银行' }, { value: 'other', label: '其他网络（未在机构配置中登记的名称很长）' }],
  allowUnknown: true, hint: '点按钮或输入', ...over,
});

const clickFrame = (card: Record<string, unknown>, key: string, optionId?: string) => ({
  cmd: 'aibot_event_callback', headers: { req_id: 'r1' },
  body: {
    msgid: 'ev1', chatid: 'wrg', chattype: 'group', from: { userid: 'lisi' }, msgtype: 'event',
    event: { eventtype: 'template_card_event', template_card_event: { card_type: card.card_type, event_key: key, task_id: card.task_id, ...(optionId ? { selected_items: { selected_item: [{ question_key: 'answer', option_ids: { option_id: [optionId] } }] } } : {}) } },
  },
});

describe('WeCom cards', () => {
  it('a question with few choices is a button card within the limits; a click gives the answer back', () => {
    const card = questionCard(question(), 'zh-CN', taskIdOf('m1:q'));
    expect(CardLimits.parse(card).card_type).toBe('button_interaction');
    expect(card.button_list!.map((b) => b.text)).toEqual(['网上银行', '其他网络（未在机构…', '不确定', '跳过']);
    const a = parseCardEvent(clickFrame(card as unknown as Record<string, unknown>, card.button_list![1]!.key));
    expect(a).toMatchObject({ chatId: 'wrg', group: true, userId: 'lisi', answer: '其他网络（未在机构配置中登记的名称很长）', input: { kind: 'action', text: 'other', questionId: 'network', incidentId: 'INC-20261130-01', user: 'wecom:lisi', conversation: 'wecom:wrg' } });
  });

  it('more than six choices become a vote card (one choice, then submit) within the limits', () => {
    const levels = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `第${n}级` }));
    const card = questionCard(question({ id: 'protectionLevel', options: levels }), 'zh-CN', taskIdOf('m2:q'));
    expect(CardLimits.parse(card).card_type).toBe('vote_interaction');
    expect(card.checkbox!.option_list.map((o) => o.text)).toEqual(['第1级', '第2级', '第3级', '第4级', '第5级', '不确定', '跳过']);
    const a = parseCardEvent(clickFrame(card as unknown as Record<string, unknown>, card.submit_button!.key, 'o2'));
    expect(a?.input).toMatchObject({ text: '3', questionId: 'protectionLevel' });
    expect(a?.answer).toBe('第3级');
    expect(parseCardEvent(clickFrame(card as unknown as Record<string, unknown>, card.submit_button!.key))).toBeNull(); // nothing chosen
  });

  it('the answered card and task ids stay within the limits; keys that are not ours are ignored', () => {
    expect(CardLimits.parse(answeredCard('✓ 已记录', '已回答：网上银行', taskIdOf('x')))).toBeTruthy();
    expect(taskIdOf('a')).toBe(taskIdOf('a'));
    expect(taskIdOf('a')).not.toBe(taskIdOf('b'));
    const card = questionCard(question(), 'zh-CN', taskIdOf('m3'));
    expect(parseCardEvent(clickFrame(card as unknown as Record<string, unknown>, 'btn_confirm'))).toBeNull();
    expect(parseCardEvent(clickFrame(card as unknown as Record<string, unknown>, '{"i":"x"}'))).toBeNull();
    expect(parseCardEvent(clickFrame(card as unknown as Record<string, unknown>, 'done'))).toMatchObject({ input: null });
  });
});

describe('WeCom markdown', () => {
  it('escapes every markup character to a full-width look-alike', () => {
    expect(escapeMd('<@all> **b** _i_ `c` [l](u) ~s~ a|b \\ $x$')).toBe('＜@all＞ ＊＊b＊＊ ＿i＿ ｀c｀ ［l］(u) ～s～ a｜b ＼ ＄x＄');
    expect(escapeMd('# h\n> q\n- l\n+ p\n1. n')).toBe('＃ h\n＞ q\n－ l\n＋ p\n1． n');
    // Spaces and line breaks before a marker (the quadratic case; bench/escapers.ts shows it linear): still escaped.
    const spaced = `${' \n'.repeat(50_000)}  - x\n\t12. y`;
    expect(escapeMd(spaced)).toBe(`${' \n'.repeat(50_000)}  － x\n\t12． y`);
  });

  it('mentions userids, names plainly, and leaves other platforms\' ids out', () => {
    expect(mention('wecom:commander01')).toBe('<@commander01>');
    expect(mention('ZhangSan')).toBe('<@ZhangSan>');
    expect(mention('王五')).toBe('@王五');
    expect(mention('<@all>')).toBe('@＜@all＞');
    expect(mention('slack:U123')).toBeNull();
    for (const p of PLATFORMS) if (p.id !== 'wecom') expect(mention(`${p.id}:u1`), p.id).toBeNull();
  });

  it('splits an over-long text into parts of at most WeCom\'s 20480 bytes, in order and whole, the mentions ending the last', () => {
    const text = `${'长'.repeat(10_000)}\n${'短'.repeat(9_000)}`; // 30,000 + 1 + 27,000 bytes
    const parts = renderMarkdown([{ type: 'text', text }], { lang: 'zh-CN', group: true, mentions: ['wecom:a1'] });
    // The first line over a part is cut on characters (20,478 + 9,522 bytes); the second starts a part of its own.
    expect(parts.map((p) => Buffer.byteLength(p))).toEqual([20_478, 9_522, 20_478, 6_522 + '\n\n<@a1>'.length]);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(parts.at(-1)!.endsWith('\n\n<@a1>')).toBe(true);
    expect(parts.join('').replace(/\s|<@a1>/g, '')).toBe(text.replace(/\n/g, '')); // nothing lost, nothing added
    expect(parts.join('')).not.toContain('…');
    // Short answers are one part, as before.
    expect(renderMarkdown([{ type: 'text', text: '好' }], { lang: 'zh-CN', group: true })).toEqual(['好']);
  });
});

describe('WeCom messages', () => {
  const frame = (content: string, group = true, msgtype = 'text') => ({
    cmd: 'aibot_msg_callback', headers: { req_id: 'r' },
    body: { msgid: 'm', aibotid: 'b', chattype: group ? 'group' : 'single', ...(group ? { chatid: 'wrg' } : {}), from: { userid: 'u1' }, msgtype, [msgtype]: { content } },
  });

  it('drops the leading @-mentions of a group message', () => {
    expect(stripMentions('@事件机器人\u2005/incident new 测试')).toBe('/incident new 测试');
    expect(stripMentions('@PBoC bot\u2005 13:40')).toBe('13:40');
    expect(stripMentions('@bot /incident new a\u2005b')).toBe('/incident new a\u2005b');
    expect(stripMentions('@bot @other 13:40')).toBe('13:40');
    expect(stripMentions('@bot')).toBe('');
  });

  it('commands, answers and voice (already text) become inputs; empty one-to-one text and other kinds do not', () => {
    expect(parseMessage(frame('@bot\u2005/事件 status'))?.input).toEqual({ kind: 'command', text: 'status', user: 'wecom:u1', conversation: 'wecom:wrg' });
    expect(parseMessage(frame('@bot\u200513:40'))?.input).toMatchObject({ kind: 'message', text: '13:40' });
    expect(parseMessage(frame('@bot'))?.input).toMatchObject({ kind: 'command', text: '' });
    expect(parseMessage(frame('13:40', false))).toMatchObject({ chatId: 'u1', group: false, input: { kind: 'message', conversation: 'wecom:u1' } });
    expect(parseMessage(frame('/incident help', false, 'voice'))?.input).toMatchObject({ kind: 'command', text: 'help' });
    expect(parseMessage(frame('   ', false))).toBeNull();
    expect(parseMessage(frame('x', false, 'image'))).toBeNull();
    const mixed = { ...frame('', true), body: { ...frame('', true).body, msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: '@bot\u2005/incident new 截图里的告警' } }, { msgtype: 'image', image: { url: 'https://x' } }] } } };
    expect(parseMessage(mixed)?.input).toMatchObject({ kind: 'command', text: 'new 截图里的告警' });
  });
});

describe('WeCom in English', () => {
  it('the adapter\'s own words follow the institution\'s language', () => {
    const card = questionCard(question({ prompt: 'Which network is affected?' }), 'en', taskIdOf('m9'));
    expect(card.button_list!.map((b) => b.text).slice(-2)).toEqual(['Not sure', 'Skip']);
    expect(renderMarkdown([{ type: 'question', question: question({ prompt: 'Which network?', hint: 'tap a button' }) }], { lang: 'en', group: true })[0])
      .toContain('tap a button — or @-mention the bot with the answer');
    expect(renderMarkdown([{ type: 'text', text: 'x' }], { lang: 'en', group: false, answered: 'Online banking' })[0]).toMatch(/^✓ Answered: Online banking/);
  });
});

import { describe, expect, it } from 'vitest';
import { escapeMd, escapeText, headerColour, mentionText, renderCard, renderReminderText, toastFor } from '../../../adapters/feishu/render.ts';
import type { IncidentCard, QuestionView, Reply } from '../../../src/conversation/types.ts';
import { FakeChat } from '../../fakes/chat.ts';
import { buttonsOf, cardText, decodeEntities } from './harness.ts';

function card(over: Partial<IncidentCard> = {}): IncidentCard {
  return {
    lang: 'zh-CN', incidentId: 'INC-20261130-01', title: '网上银行登录失败', drill: false, grade: '较大', level: 3, gradeText: '较大（三级）',
    basis: ['第九条第（二）项：已实际影响120,000个自然人'], unsettled: [], escalation: null,
    deadlines: [
      { kind: 'brief', label: '事发简要报告', article: 15, dueAt: '2026-11-30T15:00:00+08:00', dueText: '2026-11-30 15:00 （北京时间）', leftText: '还剩 1小时', status: 'pending', provisional: false },
      { kind: 'incident', label: '事发报告', article: 15, dueAt: '2026-12-01T14:00:00+08:00', dueText: '2026-12-01 14:00 （北京时间）', leftText: '已逾期 5分钟', status: 'overdue', provisional: false },
    ],
    awaiting: [], route: ['向中国人民银行上海总部报告'], next: ['报送事发简要报告：/incident report brief via <phone|email>'], parallel: [], warnings: [],
    status: '处置中', exampleConfig: false, ...over,
  };
}

const question = (over: Partial<QuestionView> = {}): QuestionView => ({
  id: 'persons', incidentId: 'INC-20261130-01', path: 'networks.0.affectedNaturalPersons', prompt: '已实际影响多少自然人？',
  answerType: 'number', options: [], allowUnknown: true, hint: '输入数量，如 12万', ...over,
});

/** Every markdown string on a card, as sent (entities not decoded). */
function markdowns(c: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.tag === 'markdown') out.push(String(o.content));
    Object.values(o).forEach(walk);
  };
  walk(c);
  return out;
}

describe('Feishu cards (JSON 2.0)', () => {
  it.each([[1, 'red'], [2, 'orange'], [3, 'yellow'], [4, 'blue'], [0, 'grey']])('grade level %i has a %s header', (level, colour) => {
    expect(headerColour(level)).toBe(colour);
    if (level) expect(renderCard([{ type: 'card', card: card({ level }) }], { lang: 'zh-CN' }).header?.template).toBe(colour);
  });

  it('shows the incident: header, basis, deadlines with their state, route and next steps', () => {
    const c = renderCard([{ type: 'text', text: '已新建事件' }, { type: 'card', card: card() }], { lang: 'zh-CN' });
    expect(c.schema).toBe('2.0');
    expect(c.config.update_multi).toBe(true);
    expect(c.header).toMatchObject({ title: { tag: 'plain_text', content: 'INC-20261130-01 网上银行登录失败' }, subtitle: { content: '较大（三级） · 处置中' } });
    const text = cardText(c);
    expect(text).toMatch(/已新建事件[\s\S]*依据[\s\S]*第九条第（二）项/);
    expect(text).toContain('○ 事发简要报告\u30002026-11-30 15:00 （北京时间）\u3000**还剩 1小时**');
    expect(markdowns(c).join('\n')).toContain("<font color='red'>已逾期 5分钟</font>");
    expect(text).toContain('→ 报送事发简要报告：/incident report brief via <phone|email>');
  });

  it('a compact card shows only what is still open', () => {
    const c = renderCard([{ type: 'card', card: card({ deadlines: [{ ...card().deadlines[0]!, status: 'met', leftText: '已完成' }] }), compact: true }], { lang: 'zh-CN' });
    expect(cardText(c)).not.toContain('事发简要报告');
    expect(cardText(c)).not.toContain('依据');
  });

  it('asks a number with a form and "not sure"/"skip" buttons; a choice with one button per option', () => {
    const typed = renderCard([{ type: 'question', question: question() }], { lang: 'zh-CN' });
    expect(buttonsOf(typed).map((b) => [b.label, b.value.value ?? null, b.submit])).toEqual([['不确定', 'unknown', false], ['跳过', 'skip', false], ['提交', null, true]]);
    const form = JSON.stringify(typed);
    expect(form).toContain('"tag":"form"');
    expect(form).toContain('"tag":"input","name":"answer"');
    const choice = renderCard([{ type: 'question', question: question({ id: 'network', answerType: 'choice', options: [{ value: 'ebank', label: '网上银行' }] }) }], { lang: 'zh-CN' });
    expect(buttonsOf(choice).map((b) => b.value)).toEqual([
      { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'network', value: 'ebank', label: '网上银行' },
      { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'network', value: 'unknown', label: '不确定' },
      { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'network', value: 'skip', label: '跳过' },
    ]);
    expect(JSON.stringify(choice)).not.toContain('"tag":"form"');
    expect(buttonsOf(renderCard([{ type: 'question', question: question({ allowUnknown: false }) }], { lang: 'en' })).map((b) => b.label)).toEqual(['Skip', 'Submit']);
  });

  it('renders every reply of a real conversation step into one card', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    const replies = await chat.say('/incident new 网上银行登录失败').replies;
    const c = renderCard(replies, { lang: 'zh-CN' });
    expect(cardText(c)).toMatch(/已新建事件 INC-20261130-01[\s\S]*事件是什么时候发生的/);
    expect(c.header?.template).toBe('blue');
    expect(JSON.stringify(c).length).toBeLessThan(30_000); // Feishu's card size limit
  });

  it('marks the answer a click gave, and toasts it or the first error', () => {
    const replies: Reply[] = [{ type: 'card', card: card(), compact: true }];
    expect(cardText(renderCard(replies, { lang: 'zh-CN', answered: '网上银行' }).body.elements[0])).toBe('✓ 已回答：网上银行');
    expect(toastFor(replies, 'zh-CN', '网上银行')).toEqual({ type: 'success', content: '已记录：网上银行' });
    expect(toastFor([{ type: 'error', text: '“很多”不是有效的数量' }], 'zh-CN', '很多')).toEqual({ type: 'error', content: '“很多”不是有效的数量' });
    expect(toastFor(replies, 'en', 'Online banking')).toEqual({ type: 'success', content: 'Recorded: Online banking' });
  });
});

describe('escaping user text', () => {
  const evil = '<at user_id="all"></at> <at id=all></at> **粗** _斜_ ~~删~~ [链接](https://evil.example) ![图](img_x) `码` # 标题 | 表 & <font color=red>红</font> \\';

  it('card markdown: no tag, link, emphasis, code, heading, table or list survives, and the text reads as typed', () => {
    const escaped = escapeMd(evil);
    expect(escaped.replace(/&(?:amp|lt|gt|#\d+);/g, '')).not.toMatch(/[<>*_~`[\]#|\\&]/);
    expect(escaped).not.toMatch(/&(?!(?:amp|lt|gt|#\d+);)/); // every & starts an entity
    expect(decodeEntities(escaped)).toBe(evil);
    for (const line of ['- 列表', '+ 列表', '1. 列表', '= 标题', '> 引用']) expect(escapeMd(line)).not.toMatch(/^\s*(?:[-+=>]|\d+\.\s)/);
  });

  it('cards: user text in any field goes through the escaper; the header is plain text', () => {
    const c = renderCard([
      { type: 'text', text: evil }, { type: 'error', text: evil },
      { type: 'card', card: card({ title: evil, basis: [evil], unsettled: [evil], escalation: evil, awaiting: [evil], route: [evil], next: [evil], parallel: [evil], warnings: [evil] }) },
      { type: 'question', question: question({ prompt: evil, hint: evil }) },
    ], { lang: 'zh-CN' });
    const all = markdowns(c).join('\n');
    expect(all).not.toMatch(/<at|\*\*粗|\[链接\]|`码`|<font color=red>/);
    expect(c.header?.title).toEqual({ tag: 'plain_text', content: `INC-20261130-01 ${evil}` });
  });

  it('text messages: < > & are escaped; mentions are <at> only for open ids', () => {
    expect(escapeText('<at user_id="all"></at> & co')).toBe('&lt;at user_id="all"&gt;&lt;/at&gt; &amp; co');
    expect(mentionText('ou_7d8a6e6df7621556ce0d21922b676706')).toBe('<at user_id="ou_7d8a6e6df7621556ce0d21922b676706"></at>');
    expect(mentionText('feishu:ou_abc')).toBe('<at user_id="ou_abc"></at>');
    expect(mentionText('王五')).toBe('@王五');
    expect(mentionText('ou_x" onclick="y')).toBe('@ou_x" onclick="y');
    expect(mentionText('<at user_id="all">')).toBe('@&lt;at user_id="all"&gt;');
    expect(renderReminderText([{ type: 'text', text: '⏰ INC-1 <b>x</b>：截止' }], ['ou_a', '王五'])).toBe('⏰ INC-1 &lt;b&gt;x&lt;/b&gt;：截止\n<at user_id="ou_a"></at> @王五');
    expect(renderReminderText([{ type: 'text', text: 'x' }], [])).toBe('x');
  });
});

import { describe, expect, it } from 'vitest';
import { splitReplies } from '../../../adapters/slack/transport/deliver.ts';
import { escapeMrkdwn, mention, slackDate } from '../../../adapters/slack/render/mrkdwn.ts';
import { answerModal, renderQuestionBlocks } from '../../../adapters/slack/render/question.ts';
import { renderCardBlocks, renderMessages, repliesLang } from '../../../adapters/slack/render/index.ts';
import type { IncidentCard, QuestionView, Reply } from '../../../src/conversation/types.ts';
import { FakeChat } from '../../fakes/chat.ts';

const zh = { command: '/incident', lang: 'zh-CN' as const };
type AnyBlock = { type: string; block_id?: string; text?: { type: string; text: string; verbatim?: boolean }; elements?: Array<Record<string, unknown>> };

function question(over: Partial<QuestionView> = {}): QuestionView {
  return { id: 'disrupted', incidentId: 'INC-20261130-01', path: 'networks.0.disrupted', prompt: '主要功能是否出现中断？', answerType: 'yesno', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }], allowUnknown: true, hint: '是 / 否 / 不确定', ...over };
}

async function gradedReplies(): Promise<Reply[]> {
  const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
  await chat.say('/incident new 网上银行登录失败');
  await chat.answers('13:40', '网上银行', '是', '20分钟前', '尚未恢复', '85%', '1');
  return chat.say('12万').replies;
}

describe('mrkdwn primitives', () => {
  it('escapes &, < and >, and fences emphasis marks with zero-width spaces', () => {
    expect(escapeMrkdwn('<!channel> <@U1> <https://x|y> & b')).toBe('&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; &amp; b');
    expect(escapeMrkdwn('*b* _i_ ~s~ `c`')).toBe('\u200B*\u200Bb\u200B*\u200B \u200B_\u200Bi\u200B_\u200B \u200B~\u200Bs\u200B~\u200B \u200B`\u200Bc\u200B`\u200B');
  });

  it('writes a date token each reader sees in their own time zone, with the Beijing time as fallback', () => {
    expect(slackDate('2026-11-30T15:00:00+08:00', '2026-11-30 15:00 （北京时间）')).toBe('<!date^1796022000^{date_short_pretty} {time}|2026-11-30 15:00 （北京时间）>');
    expect(slackDate('2026-11-30T15:00:00+08:00', 'a|b<c>')).toBe('<!date^1796022000^{date_short_pretty} {time}|a/b&lt;c&gt;>');
  });

  it('mentions Slack ids and user groups, and names as plain text', () => {
    expect(['U0123', 'slack:U0123', 'W0ABC', 'S0GRP', '王五', '<!here>', 'u0123'].map(mention)).toEqual(['<@U0123>', '<@U0123>', '<@W0ABC>', '<!subteam^S0GRP>', '@王五', '@&lt;!here&gt;', '@u0123']);
  });
});

describe('questions as Block Kit', () => {
  it('yes/no: buttons with the core\'s values, plus unknown and skip; unique action ids', () => {
    const blocks = renderQuestionBlocks(question(), zh) as AnyBlock[];
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.block_id).toBe('pboc-q|INC-20261130-01|disrupted');
    expect(actions.elements!.map((e) => [e.type, (e.text as { text: string }).text, e.value])).toEqual([
      ['button', '是', 'yes'], ['button', '否', 'no'], ['button', '不确定', 'unknown'], ['button', '跳过', 'skip'],
    ]);
    const ids = actions.elements!.map((e) => e.action_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(blocks[0]!.text).toEqual({ type: 'mrkdwn', text: '❓ \u200B*主要功能是否出现中断？*\u200B', verbatim: true });
  });

  it('more than five choices: one static_select (the GB/T 20986 categories)', () => {
    const options = Array.from({ length: 10 }, (_, i) => ({ value: `c${i}`, label: `分类${i}`.repeat(i === 9 ? 30 : 1) }));
    const blocks = renderQuestionBlocks(question({ answerType: 'choice', options, allowUnknown: false }), zh) as AnyBlock[];
    const els = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(els.map((e) => e.type)).toEqual(['static_select', 'button']);
    const opts = els[0]!.options as Array<{ text: { text: string }; value: string }>;
    expect(opts).toHaveLength(10);
    expect(opts[9]!.text.text.length).toBe(75); // Slack's limit for option text
    expect(renderQuestionBlocks(question({ answerType: 'choice', options: options.slice(0, 5) }), zh).some((b) => JSON.stringify(b).includes('static_select'))).toBe(false);
  });

  it.each(['number', 'duration', 'time', 'text', 'percent'] as const)('%s: a button that opens the answer modal', (answerType) => {
    const blocks = renderQuestionBlocks(question({ answerType, options: answerType === 'time' ? [{ value: 'no', label: '尚未恢复' }] : [], prompt: '多少自然人？', hint: '输入数量' }), zh) as AnyBlock[];
    const els = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(els[0]).toMatchObject({ type: 'button', action_id: 'pboc:open', style: 'primary' });
    expect(JSON.parse(els[0]!.value as string)).toEqual({ prompt: '多少自然人？', hint: '输入数量', answerType });
    if (answerType === 'time') expect(els[1]).toMatchObject({ value: 'no', text: { text: '尚未恢复' } });
  });

  it('the modal: limits respected, metadata echoed back, multiline only for text', () => {
    const meta = { team: 'T1', channel: 'C1', incidentId: 'INC-1', questionId: 'persons', responseUrl: 'https://hooks.slack.com/x', lang: 'en' as const };
    const view = answerModal({ prompt: 'How many people?', hint: 'e.g. 12000', answerType: 'number' }, meta);
    expect(view).toMatchObject({ type: 'modal', callback_id: 'pboc_answer', title: { text: 'Answer' }, submit: { text: 'Submit' } });
    expect(JSON.parse(view.private_metadata!)).toEqual(meta);
    expect(JSON.stringify(view.blocks)).toContain('"multiline":false');
    expect(JSON.stringify(answerModal({ prompt: 'x', hint: 'y', answerType: 'text' }, meta).blocks)).toContain('"multiline":true');
  });
});

describe('cards and messages', () => {
  it('a graded card: header, grade, articles, deadlines with date tokens, route and next steps, all mrkdwn verbatim', async () => {
    const replies = await gradedReplies();
    const card = replies.find((r): r is Extract<Reply, { type: 'card' }> => r.type === 'card')!.card;
    const blocks = renderCardBlocks(card, zh) as AnyBlock[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'INC-20261130-01 网上银行登录失败', emoji: true } });
    const all = JSON.stringify(blocks);
    expect(all).toContain('\u200B*较大（三级）*\u200B · 处置中');
    expect(all).toContain('<!date^1796022000^{date_short_pretty} {time}|2026-11-30 15:00 （北京时间）>');
    expect(all).toContain('报送事发简要报告：/incident report brief via &lt;phone|im|email|fax|system|written&gt;');
    expect(blocks.filter((b) => b.text?.type === 'mrkdwn').every((b) => b.text!.verbatim === true)).toBe(true);
  });

  it('renames /incident to the configured command, in blocks and fallback text', async () => {
    const [{ blocks, text }] = renderMessages(await gradedReplies(), { command: '/pboc', lang: 'zh-CN' }) as [{ blocks: unknown[]; text: string }];
    expect(JSON.stringify(blocks)).toContain('/pboc report brief');
    expect(JSON.stringify(blocks)).not.toContain('/incident');
    expect(text).toContain('/pboc report brief');
  });

  it('keeps within Slack\'s limits: 3000 characters a section, 50 blocks a message', () => {
    const card: IncidentCard = {
      lang: 'zh-CN', incidentId: 'INC-1', title: 't'.repeat(400), drill: false, grade: '一般', level: 4, gradeText: '一般（四级）',
      basis: Array.from({ length: 400 }, (_, i) => `${i} ${'依据'.repeat(100)}`),
      unsettled: [], escalation: null, deadlines: [], awaiting: [], route: ['r'], next: [], parallel: [], warnings: [], status: '处置中', exampleConfig: false,
    };
    const messages = renderMessages([{ type: 'card', card }], zh);
    expect(messages.length).toBeGreaterThan(1);
    for (const { blocks } of messages) {
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks as AnyBlock[]) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(b.type === 'header' ? 150 : 3000);
    }
    const shown = messages.flatMap((m) => m.blocks as AnyBlock[]).map((b) => b.text?.text ?? '').join('\n');
    for (const line of card.basis) expect(shown).toContain(line);
  });

  it('splits replies: full cards and their texts to the channel; compact cards, questions, errors and help to the user', () => {
    const card = { type: 'card', card: { incidentId: 'X' } } as unknown as Reply;
    const compact = { type: 'card', card: { incidentId: 'X' }, compact: true } as unknown as Reply;
    const q = { type: 'question', question: question() } as Reply;
    const t = (text: string, ephemeral?: boolean): Reply => ({ type: 'text', text, ...(ephemeral ? { ephemeral } : {}) });
    const err: Reply = { type: 'error', text: 'e' };
    expect(splitReplies([t('created'), card, q])).toEqual({ channel: [t('created'), card], user: [q] });
    expect(splitReplies([t('unknown noted'), compact, q])).toEqual({ channel: [], user: [t('unknown noted'), compact, q] });
    expect(splitReplies([compact, t('flow done')])).toEqual({ channel: [], user: [compact, t('flow done')] });
    expect(splitReplies([t('list')])).toEqual({ channel: [t('list')], user: [] });
    expect(splitReplies([t('help', true)])).toEqual({ channel: [], user: [t('help', true)] });
    expect(splitReplies([err])).toEqual({ channel: [], user: [err] });
    const file: Reply = { type: 'file', filename: 'X-final.docx', mimeType: 'application/octet-stream', data: new Uint8Array([80, 75]), title: 'X', incidentId: 'X' };
    expect(splitReplies([t('draft'), file])).toEqual({ channel: [t('draft')], user: [] }); // files are uploaded, not posted
  });

  it('tells the language of a batch of replies', () => {
    expect(repliesLang([{ type: 'text', text: 'Switched to English' }], 'zh-CN')).toBe('en');
    expect(repliesLang([{ type: 'error', text: '不认识的命令' }], 'en')).toBe('zh-CN');
    expect(repliesLang([], 'en')).toBe('en');
  });
});

describe('long texts', () => {
  it('a report draft longer than one section is split by lines, not cut', () => {
    const text = Array.from({ length: 120 }, (_, i) => `${i} ${'事件经过'.repeat(20)}`).join('\n');
    const blocks = renderMessages([{ type: 'text', text }], zh).flatMap((m) => m.blocks);
    const shown = (blocks as AnyBlock[]).map((b) => b.text!.text).join('\n');
    expect(blocks.length).toBeGreaterThan(3);
    expect(shown).toBe(text);
  });
});

// The proposal card as Slack and Feishu render it: the buttons' payloads come back, through each adapter's own
// parser, as the ChatInput the alert service answers; text from the monitoring system cannot ping or link.
import { describe, expect, it } from 'vitest';
import { renderMessages } from '../../../adapters/slack/render/index.ts';
import { parseBlockAction } from '../../../adapters/slack/parse.ts';
import { questionElements } from '../../../adapters/feishu/render.ts';
import { parseCardAction } from '../../../adapters/feishu/parse.ts';
import { parseDecision, proposalReplies, type Proposal } from '../../../src/alerts/proposal.ts';

const proposal: Proposal = {
  id: 'AL-1A2B3C4D', conversation: 'slack:T1:C1', network: 'core-banking', networkName: '核心银行系统', routeIndex: 0, title: '核心银行系统中断', status: 'pending',
  signals: [{ source: 'alertmanager', alertId: 'fp', name: 'CoreBankingDown <!channel>', status: 'firing', labels: {}, summary: 'see <https://evil.example|here> @all', startsAtMs: Date.parse('2026-11-30T03:20:00Z'), endsAtMs: null }],
};

describe('proposal buttons on the platforms', () => {
  it('Slack: open/ignore buttons; a click parses to the proposal decision; alert text is inert mrkdwn', () => {
    const messages = renderMessages(proposalReplies(proposal, 'zh-CN'), { command: '/incident', lang: 'zh-CN' });
    expect(messages).toHaveLength(1);
    const { blocks } = messages[0]!;
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil');
    const actions = blocks.find((b) => b.type === 'actions') as { block_id: string; elements: Array<{ action_id: string; value?: string; text: { text: string } }> };
    const open = actions.elements.find((e) => e.value === 'open')!;
    expect(open.text.text).toBe('开启事件');
    expect(actions.elements.some((e) => e.value === 'ignore' && e.text.text === '忽略')).toBe(true);
    const click = {
      type: 'block_actions', team: { id: 'T1' }, user: { id: 'U7', username: 'alice' }, channel: { id: 'C1' }, trigger_id: 't.1',
      container: { message_ts: '1.2' }, actions: [{ action_id: open.action_id, block_id: actions.block_id, value: open.value, text: { text: open.text.text } }],
    };
    const parsed = parseBlockAction(click);
    expect(parsed && 'answer' in parsed && parseDecision(parsed.answer.input)).toEqual({ id: 'AL-1A2B3C4D', choice: 'open' });
  });

  it('Feishu: the button value carries the proposal; card.action.trigger parses to the decision', () => {
    const q = proposalReplies(proposal, 'zh-CN').find((r) => r.type === 'question')!;
    if (q.type !== 'question') throw new Error('no question');
    const json = JSON.stringify(questionElements(q.question, 'zh-CN'));
    const value = JSON.parse(json.match(/"value":(\{"kind":"answer"[^}]*"value":"ignore"[^}]*\})/)![1]!) as unknown;
    const parsed = parseCardAction({ event_id: 'e1', operator: { open_id: 'ou_1' }, action: { value }, context: { open_message_id: 'om_1', open_chat_id: 'oc_1' } });
    expect(parsed && parseDecision(parsed.input)).toEqual({ id: 'AL-1A2B3C4D', choice: 'ignore' });
  });
});

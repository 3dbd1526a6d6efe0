import { describe, expect, it } from 'vitest';
import { conversationId, parseConversationId } from '../../../adapters/slack/parse.ts';
import { parseBlockAction, parseMention, parseSlashCommand, parseViewSubmission, unformat } from '../../../adapters/slack/parse.ts';

// Payloads in Slack's shapes (trimmed of fields the adapter does not read).
const command = {
  token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: 'C1', channel_name: 'incident-room', user_id: 'U1', user_name: 'alice',
  command: '/incident', text: ' new 网银 &amp; 手机银行 &lt;紧急&gt; ', api_app_id: 'A1', is_enterprise_install: 'false',
  response_url: 'https://hooks.slack.com/commands/T1/1/abc', trigger_id: '111.222.abc',
};
const buttonClick = {
  type: 'block_actions', user: { id: 'U1', username: 'alice', name: 'alice', team_id: 'T1' }, api_app_id: 'A1', token: 'x',
  container: { type: 'message', message_ts: '1764482400.000003', channel_id: 'C1', is_ephemeral: true }, trigger_id: '333.444.def',
  team: { id: 'T1', domain: 'acme' }, enterprise: null, is_enterprise_install: false, channel: { id: 'C1', name: 'incident-room' },
  state: { values: {} }, response_url: 'https://hooks.slack.com/actions/T1/2/ghi',
  actions: [{ action_id: 'pboc:answer:0', block_id: 'pboc-q|INC-20261130-01|disrupted', text: { type: 'plain_text', text: '是', emoji: true }, value: 'yes', type: 'button', action_ts: '1764482460.123456' }],
};

describe('slash commands', () => {
  it('become a command input with platform-qualified ids, entities decoded', () => {
    expect(parseSlashCommand(command)).toEqual({
      origin: { team: 'T1', channel: 'C1', user: 'U1', responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' },
      input: { kind: 'command', text: 'new 网银 & 手机银行 <紧急>', user: 'slack:U1', userName: 'alice', conversation: 'slack:T1:C1' },
      onceKey: 'slack:cmd:111.222.abc',
    });
  });

  it('an Enterprise Grid org-wide install without a team id uses the enterprise id; garbage is refused', () => {
    expect(parseSlashCommand({ ...command, team_id: '', enterprise_id: 'E1' })!.input.conversation).toBe('slack:E1:C1');
    expect(parseSlashCommand({ ...command, channel_id: undefined })).toBeNull();
    expect(parseSlashCommand('text=x')).toBeNull();
  });
});

describe('block_actions', () => {
  it('a button answers its question; the once-key is the question message, so a double click counts once', () => {
    const a = parseBlockAction(buttonClick);
    expect(a).toEqual({ answer: {
      origin: { team: 'T1', channel: 'C1', user: 'U1', responseUrl: 'https://hooks.slack.com/actions/T1/2/ghi' },
      input: { kind: 'action', text: 'yes', questionId: 'disrupted', incidentId: 'INC-20261130-01', user: 'slack:U1', userName: 'alice', conversation: 'slack:T1:C1' },
      onceKey: 'slack:answer:T1:C1:U1:1764482400.000003:INC-20261130-01:disrupted',
      answered: '是',
      fromQuestion: true,
    } });
    const again = parseBlockAction({ ...buttonClick, trigger_id: 'other', actions: [{ ...buttonClick.actions[0], action_ts: '1764482460.654321' }] });
    expect(again && 'answer' in again && again.answer.onceKey).toBe(a && 'answer' in a && a.answer.onceKey);
  });

  it('a static_select gives the selected option', () => {
    const r = parseBlockAction({ ...buttonClick, actions: [{ action_id: 'pboc:select', block_id: 'pboc-q|INC-1|category', type: 'static_select', selected_option: { text: { type: 'plain_text', text: '设备设施故障事件' }, value: 'equipment' }, action_ts: '1' }] });
    expect(r && 'answer' in r && [r.answer.input.text, r.answer.answered, r.answer.input.questionId]).toEqual(['equipment', '设备设施故障事件', 'category']);
  });

  it('the "answer…" button asks for the modal', () => {
    const value = JSON.stringify({ prompt: '多少自然人？', hint: '输入数量', answerType: 'number' });
    const r = parseBlockAction({ ...buttonClick, actions: [{ ...buttonClick.actions[0], action_id: 'pboc:open', value }] });
    expect(r).toEqual({ modal: expect.objectContaining({ triggerId: '333.444.def', incidentId: 'INC-20261130-01', questionId: 'disrupted', open: { prompt: '多少自然人？', hint: '输入数量', answerType: 'number' } }) });
  });

  it('foreign blocks, unknown actions and broken values are ignored', () => {
    expect(parseBlockAction({ ...buttonClick, actions: [{ ...buttonClick.actions[0], block_id: 'someone-else' }] })).toBeNull();
    expect(parseBlockAction({ ...buttonClick, actions: [{ ...buttonClick.actions[0], action_id: 'pboc:other' }] })).toBeNull();
    expect(parseBlockAction({ ...buttonClick, actions: [{ ...buttonClick.actions[0], action_id: 'pboc:open', value: '{' }] })).toBeNull();
    expect(parseBlockAction({ ...buttonClick, type: 'interactive_message' })).toBeNull();
  });
});

describe('view_submission', () => {
  const meta = { team: 'T1', channel: 'C1', incidentId: 'INC-1', questionId: 'persons', responseUrl: 'https://hooks.slack.com/actions/T1/2/ghi', lang: 'zh-CN' };
  const submission = (value: string | null, extra: Record<string, unknown> = {}) => ({
    type: 'view_submission', team: { id: 'T1', domain: 'acme' }, user: { id: 'U1', username: 'alice', name: 'alice', team_id: 'T1' }, api_app_id: 'A1', token: 'x', trigger_id: '5.6.7',
    view: { id: 'V42', team_id: 'T1', type: 'modal', callback_id: 'pboc_answer', private_metadata: JSON.stringify(meta), state: { values: { answer: { value: { type: 'plain_text_input', value } } } }, hash: 'h', ...extra },
    response_urls: [], is_enterprise_install: false, enterprise: null,
  });

  it('the typed value answers the question the modal was opened for, once per view', () => {
    const r = parseViewSubmission(submission(' 12万 '))!;
    expect(r.input).toEqual({ kind: 'action', text: '12万', questionId: 'persons', incidentId: 'INC-1', user: 'slack:U1', userName: 'alice', conversation: 'slack:T1:C1' });
    expect(r.onceKey).toBe('slack:view:V42');
    expect(r.origin.responseUrl).toBe(meta.responseUrl);
  });

  it('an empty value, another view or broken metadata is ignored', () => {
    expect(parseViewSubmission(submission(null))).toBeNull();
    expect(parseViewSubmission(submission('1', { callback_id: 'other' }))).toBeNull();
    expect(parseViewSubmission(submission('1', { private_metadata: '{"team":"T1"}' }))).toBeNull();
  });
});

describe('app_mention events', () => {
  const event = (text: string, thread_ts?: string) => ({
    token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'Ev1', event_time: 1,
    event: { type: 'app_mention', user: 'U1', text, ts: '1764482400.000100', channel: 'C1', event_ts: '1764482400.000100', ...(thread_ts ? { thread_ts } : {}) },
  });

  it('an answer after the mention is a message; `/incident …` or `incident …` is a command; a bare mention asks for help', () => {
    expect(parseMention(event('<@UBOT> 12万'))!.input).toEqual({ kind: 'message', text: '12万', user: 'slack:U1', conversation: 'slack:T1:C1' });
    expect(parseMention(event('<@UBOT> /incident status'))!.input).toMatchObject({ kind: 'command', text: 'status' });
    expect(parseMention(event('<@UBOT|bot> incident report brief via phone'))!.input).toMatchObject({ kind: 'command', text: 'report brief via phone' });
    expect(parseMention(event('<@UBOT>'))!.input).toMatchObject({ kind: 'command', text: 'help' });
  });

  it('keeps the thread, and claims the event id (retries)', () => {
    expect(parseMention(event('<@UBOT> 是', '1764482400.000001'))).toMatchObject({ threadTs: '1764482400.000001', onceKey: 'slack:event:Ev1' });
    expect(parseMention(event('<@UBOT> 是'))!.threadTs).toBe('1764482400.000100');
  });

  it('message formatting comes back as plain words', () => {
    expect(unformat('<@U1> <#C1|incident> <!here> <!subteam^S1|@sre> <https://a.example|官网> <mailto:a@b.c> &lt;x&gt; &amp;')).toBe('@U1 #incident @here @sre 官网 mailto:a@b.c <x> &');
  });
});

describe('ids', () => {
  it('round-trips Slack conversation ids and refuses other platforms\'', () => {
    expect(parseConversationId(conversationId('T1', 'C1'))).toEqual({ team: 'T1', channel: 'C1' });
    expect(parseConversationId('feishu:oc_1')).toBeNull();
    expect(parseConversationId('console:local')).toBeNull();
  });
});

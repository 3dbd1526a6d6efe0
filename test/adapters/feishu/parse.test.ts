import { describe, expect, it } from 'vitest';
import { commandText, parseCardAction, parseMessageEvent } from '../../../adapters/feishu/parse.ts';
import { cardActionEvent, messageEvent, type MessageOpts } from '../../fakes/feishu-events.ts';

/** What the SDK's EventDispatcher hands a handler: header and event fields side by side. */
function flat(e: { header: object; event: object }): unknown {
  return { schema: '2.0', ...e.header, ...e.event };
}

const msg = (o: Partial<MessageOpts> & { text: string }) => flat(messageEvent({ token: 't', ...o }));
const bot = [{ key: '@_user_1', openId: 'ou_bot', name: 'Bot' }];

describe('message events -> ChatInput', () => {
  it('a one-to-one command, and a plain answer', () => {
    expect(parseMessageEvent(msg({ text: '/incident new 网上银行登录失败', openId: 'ou_a', chatId: 'oc_1', messageId: 'om_1' }), 'ou_bot')).toMatchObject({
      chatId: 'oc_1', messageId: 'om_1', inThread: false,
      input: { kind: 'command', text: 'new 网上银行登录失败', user: 'feishu:ou_a', conversation: 'feishu:oc_1' },
    });
    expect(parseMessageEvent(msg({ text: ' 13:40 ' }), 'ou_bot')?.input).toMatchObject({ kind: 'message', text: '13:40' });
    expect(parseMessageEvent(msg({ text: '/事件 确认 R1 电话 张三' }), 'ou_bot')?.input).toMatchObject({ kind: 'command', text: '确认 R1 电话 张三' });
    expect(parseMessageEvent(msg({ text: '／事件 状态' }), 'ou_bot')?.input).toMatchObject({ kind: 'command', text: '状态' });
    expect(parseMessageEvent(msg({ text: '/INCIDENT' }), 'ou_bot')?.input).toMatchObject({ kind: 'command', text: '' });
    expect(parseMessageEvent(msg({ text: '/incidents' }), 'ou_bot')?.input).toMatchObject({ kind: 'message', text: '/incidents' });
  });

  it('a group message counts only when it mentions the bot; placeholders are stripped, other people become names', () => {
    const group = { chatType: 'group' as const, chatId: 'oc_g' };
    expect(parseMessageEvent(msg({ ...group, text: '/incident status' }), 'ou_bot')).toBeNull();
    expect(parseMessageEvent(msg({ ...group, text: '@_user_1 /incident status', mentions: [{ key: '@_user_1', openId: 'ou_carol', name: 'Carol' }] }), 'ou_bot')).toBeNull();
    expect(parseMessageEvent(msg({ ...group, text: '@_user_1 /incident new 核心系统中断', mentions: bot }), 'ou_bot')?.input).toMatchObject({ kind: 'command', text: 'new 核心系统中断', conversation: 'feishu:oc_g' });
    expect(parseMessageEvent(msg({
      ...group, text: '@_user_1 /incident confirm R1 by phone contact @_user_2',
      mentions: [...bot, { key: '@_user_2', openId: 'ou_zhang', name: '张三' }],
    }), 'ou_bot')?.input.text).toBe('confirm R1 by phone contact 张三');
    expect(parseMessageEvent(msg({ ...group, text: '@_user_1 12万', mentions: bot }), 'ou_bot')?.input).toMatchObject({ kind: 'message', text: '12万' });
    expect(parseMessageEvent(msg({ ...group, text: '@_user_1', mentions: bot }), 'ou_bot')?.input).toMatchObject({ kind: 'command', text: '' });
    // Bot identity unknown: any mention addresses it.
    expect(parseMessageEvent(msg({ ...group, text: '@_user_1 /incident list', mentions: [{ key: '@_user_1', openId: 'ou_x', name: 'X' }] }), null)?.input.text).toBe('list');
  });

  it('ignores what is not a person typing text', () => {
    expect(parseMessageEvent(msg({ text: '/incident list', senderType: 'app' }), 'ou_bot')).toBeNull();
    expect(parseMessageEvent(msg({ text: '/incident list', messageType: 'image' }), 'ou_bot')).toBeNull();
    expect(parseMessageEvent(msg({ text: '   ' }), 'ou_bot')).toBeNull();
    expect(parseMessageEvent({ event_id: 'e', message: {} }, 'ou_bot')).toBeNull();
    const bad = msg({ text: 'x' }) as { message: { content: string } };
    bad.message.content = 'not json';
    expect(parseMessageEvent(bad, 'ou_bot')).toBeNull();
  });

  it('knows a message in a thread', () => {
    expect(parseMessageEvent(msg({ text: '/incident status', threadId: 'omt_1' }), 'ou_bot')?.inThread).toBe(true);
  });

  it('commandText', () => {
    expect(commandText('/incident   report brief via email')).toBe('report brief via email');
    expect(commandText('incident new')).toBeNull();
  });
});

describe('card callbacks -> ChatInput', () => {
  const value = { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'network', value: 'ebank', label: '网上银行' };

  it('a button click answers with its value and shows its label', () => {
    expect(parseCardAction(flat(cardActionEvent({ token: 't', value, messageId: 'om_card', chatId: 'oc_1', openId: 'ou_a', eventId: 'ev1' })))).toEqual({
      eventId: 'ev1', chatId: 'oc_1', messageId: 'om_card', answer: '网上银行', typed: false,
      input: { kind: 'action', text: 'ebank', questionId: 'network', incidentId: 'INC-20261130-01', user: 'feishu:ou_a', conversation: 'feishu:oc_1' },
    });
  });

  it('a form submit answers with the typed text', () => {
    const submit = { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'persons' };
    const a = parseCardAction(flat(cardActionEvent({ token: 't', value: submit, formValue: { answer: ' 12万 ' }, messageId: 'om_card' })));
    expect(a).toMatchObject({ answer: '12万', typed: true, input: { kind: 'action', text: '12万', questionId: 'persons' } });
    expect(parseCardAction(flat(cardActionEvent({ token: 't', value: submit, formValue: { answer: '' }, messageId: 'om_card' })))).toBeNull();
  });

  it('ignores callbacks that are not our answers', () => {
    expect(parseCardAction(flat(cardActionEvent({ token: 't', value: { kind: 'other' }, messageId: 'om' })))).toBeNull();
    expect(parseCardAction(flat(cardActionEvent({ token: 't', value: 'ebank', messageId: 'om' })))).toBeNull();
    expect(parseCardAction({})).toBeNull();
  });
});

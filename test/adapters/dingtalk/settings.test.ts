import { describe, expect, it } from 'vitest';
import { parseCardCallback, parseRobotMessage } from '../../../adapters/dingtalk/parse.ts';
import { chunks } from '../../../adapters/dingtalk/render.ts';
import { readSettings as loadDingtalkSettings, redactorOf } from '../../../adapters/dingtalk/settings.ts';
import { cardCallback, robotMessage } from '../../fakes/dingtalk-events.ts';

const base = { DINGTALK_CLIENT_ID: 'dingfakeclient0001', DINGTALK_CLIENT_SECRET: 'SECRETdingtalkclientsecret0123456789' };

describe('DingTalk settings', () => {
  it('defaults the robot code to the client id and the addresses to DingTalk', () => {
    const s = loadDingtalkSettings(base);
    expect(s).toMatchObject({ robotCode: 'dingfakeclient0001', apiUrl: 'https://api.dingtalk.com', oapiUrl: 'https://oapi.dingtalk.com', cardTemplateId: null, allowedChats: null, logLevel: 'info' });
  });

  it.each([
    [{ DINGTALK_CLIENT_ID: 'dingfakeclient0001' }, /DINGTALK_CLIENT_SECRET is required/],
    [{ ...base, DINGTALK_API_URL: 'ftp://x' }, /DINGTALK_API_URL must be an http\(s\) URL/],
    [{ ...base, DINGTALK_ALLOWED_CHATS: 'cidA==, 事件群' }, /DINGTALK_ALLOWED_CHATS expects openConversationIds \(cid\.\.\.\) separated by commas \(not names\); 1 entry is not/],
    [{ ...base, LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of debug, info, warn, error/],
    [{ ...base, DINGTALK_CLIENT_SECRET: 'SECRETshort' }, /DINGTALK_CLIENT_SECRET must be the app's Client Secret/],
  ])('names the variable to fix, never its value (%#)', (env, message) => {
    let text = '';
    try {
      loadDingtalkSettings(env);
    } catch (e) {
      text = (e as Error).message;
    }
    expect(text).toMatch(message);
    expect(text).not.toMatch(/SECRETshort|SECRETdingtalk|ftp:|事件群|loud/);
  });
});

describe('DingTalk payloads', () => {
  it('reads a group command, a one-to-one answer, and ignores what is not text', () => {
    const g = parseRobotMessage(JSON.stringify(robotMessage({ text: '/事件 新建 测试', staffId: 'u1' })))!;
    expect(g.input).toMatchObject({ kind: 'command', text: '新建 测试', user: 'dingtalk:u1', conversation: 'dingtalk:group:cidGroupIncident==' });
    const p = parseRobotMessage(JSON.stringify(robotMessage({ text: '12万', conversationType: '1', staffId: 'u2' })))!;
    expect(p.input).toMatchObject({ kind: 'message', text: '12万', conversation: 'dingtalk:user:u2' });
    expect(parseRobotMessage(JSON.stringify({ ...robotMessage({ text: 'x' }), msgtype: 'picture' }))).toBeNull();
    expect(parseRobotMessage('not json')).toBeNull();
  });

  it('reads a button and an input from a card callback', () => {
    expect(parseCardCallback(JSON.stringify(cardCallback({ outTrackId: 'o1', params: { value: 'yes' } })))).toMatchObject({ value: 'yes', typed: false });
    expect(parseCardCallback(JSON.stringify(cardCallback({ outTrackId: 'o1', params: { answer: ' 13:40 ' } })))).toMatchObject({ value: '13:40', typed: true });
    expect(parseCardCallback(JSON.stringify(cardCallback({ outTrackId: 'o1', params: {} })))).toBeNull();
    // A typed answer over 20,000 characters is dropped unread, like an over-long message.
    expect(parseCardCallback(JSON.stringify(cardCallback({ outTrackId: 'o1', params: { answer: '1'.repeat(1_000_000) } })))).toBeNull();
  });

  it('splits long text at line ends below the limit, and redacts tokens in URLs and JSON', () => {
    const parts = chunks(Array.from({ length: 300 }, (_, i) => `第${i}行 ${'字'.repeat(30)}`).join('\n'), 3800);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 3800)).toBe(true);
    expect(parts.join('\n').split('\n')).toHaveLength(300);
    const redact = redactorOf({ clientSecret: 'SECRETdingtalkclientsecret0123456789' }, () => ['tok-abcdef123']);
    expect(redact('wss://x/connect?ticket=abc123&x=1 {"accessToken":"zzz"} tok-abcdef123 SECRETdingtalkclientsecret0123456789'))
      .toBe('wss://x/connect?ticket=[redacted]&x=1 {"accessToken":"[redacted]"} [redacted] [redacted]');
  });
});

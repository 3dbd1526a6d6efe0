import { describe, expect, it } from 'vitest';
import { PlatformConfigError } from '../../../adapters/kit/errors.ts';
import { createRedactor } from '../../../adapters/kit/redact.ts';
import { refusal } from '../../../adapters/kit/refusals.ts';
import { retried, retryPolicyOf, DEFAULT_RETRY } from '../../../adapters/kit/retry.ts';
import { refusedBy } from '../../../adapters/kit/settings.ts';
import { configuredPlatforms, CONVERSATION_ID, otherPlatformId, PLATFORMS } from '../../../adapters/platforms.ts';
import { redact as slackRedact } from '../../../adapters/slack/settings.ts';
import { readSettings as readFeishuSettings } from '../../../adapters/feishu/settings.ts';

class Refused extends Error {
  constructor(readonly transient: boolean) {
    super(transient ? 'busy' : 'bad request');
  }
}

describe('the adapter kit', () => {
  it('hides every secret of 4 or more characters, on every platform (Slack included)', () => {
    expect(createRedactor(['k3y9', 'abc'])('key k3y9 and abc')).toBe('key [redacted] and abc');
    expect(slackRedact('signing k3y9Z, token xoxb-1-2-abc', ['k3y9Z'])).toBe('signing [redacted], token [redacted]');
  });

  it('retries only what the platform refused for now, waiting 200, 400, 800 ms, then gives up', async () => {
    const waits: number[] = [];
    let calls = 0;
    const busy = retried(async () => { calls++; throw new Refused(true); }, { policy: DEFAULT_RETRY, platform: 'x', errorOf: (e) => e, log: () => {}, sleep: async (ms) => { waits.push(ms); } });
    await expect(busy).rejects.toThrow('busy');
    expect(calls).toBe(4);
    expect(waits).toEqual([200, 400, 800]);
    let once = 0;
    await expect(retried(async () => { once++; throw new Refused(false); }, { policy: retryPolicyOf({ retries: 5 }), platform: 'x', errorOf: (e) => e, log: () => {} })).rejects.toThrow('bad request');
    expect(once).toBe(1);
  });

  it('says a refusal in both languages, Chinese first', () => {
    const text = refusal('refused.storeDown.message');
    expect(text.indexOf('存储暂时不可用')).toBe(0);
    expect(text).toContain('Storage is unavailable right now');
  });

  it('allow-lists: the chat list first, then the user list; a chat may go by several names', () => {
    const lists = { chats: new Set(['T1:C1']), users: new Set(['U1']) };
    expect(refusedBy(lists, ['T1:C1', 'C1'], 'U1')).toBeNull();
    expect(refusedBy(lists, ['T2:C2', 'C2'], 'U1')).toBe('chat');
    expect(refusedBy(lists, 'T1:C1', 'U2')).toBe('user');
    expect(refusedBy({ chats: null, users: null }, 'x', 'y')).toBeNull();
  });

  it('every chat platform has a user allow-list: Feishu reads FEISHU_ALLOWED_USERS, and a bad entry stops start-up naming it', () => {
    const base = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 't' };
    expect([...readFeishuSettings({ ...base, FEISHU_ALLOWED_USERS: 'ou_1, ou_2' }).allowedUsers!]).toEqual(['ou_1', 'ou_2']);
    expect(() => readFeishuSettings({ ...base, FEISHU_ALLOWED_USERS: 'alice' })).toThrow(PlatformConfigError);
    expect(() => readFeishuSettings({ ...base, FEISHU_ALLOWED_USERS: 'alice' })).toThrow(/FEISHU_ALLOWED_USERS/);
  });
});

describe('the registry of platforms', () => {
  it('turns on what the environment names, in order; none: the console', () => {
    expect(configuredPlatforms({}).map((p) => p.id)).toEqual([]);
    expect(configuredPlatforms({ DINGTALK_CLIENT_ID: 'x', SLACK_BOT_TOKEN: 'xoxb-1' }).map((p) => p.id)).toEqual(['slack', 'dingtalk']);
    expect(PLATFORMS.find((p) => p.enabledBy === null)?.id).toBe('console');
  });

  it('knows every platform\'s conversation ids, and only those', () => {
    for (const id of ['slack:T0123:C0456', 'feishu:oc_abc', 'wecom:wr1', 'dingtalk:cidA==', 'console:local']) {
      expect(CONVERSATION_ID.test(id.replace('==', ''))).toBe(true);
    }
    for (const id of ['slack:C0456', 'teams:19:abc', 'feishu:ou_x']) expect(CONVERSATION_ID.test(id)).toBe(false);
    expect(otherPlatformId('wecom').test('slack:U1')).toBe(true);
    expect(otherPlatformId('wecom').test('wecom:zhangsan')).toBe(false);
  });
});

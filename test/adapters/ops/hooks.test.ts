// What the metrics count of a platform's payloads (adapters/ops/hooks.ts through the durable inbox): accepted, a
// re-delivery as duplicate, a full queue as busy, a store that fails as refused; and which platform code a failed
// API call is counted under.
import { afterEach, describe, expect, it } from 'vitest';
import { createInbox } from '../../../adapters/inbox.ts';
import { observeOps } from '../../../adapters/ops/hooks.ts';
import { apiErrorCode } from '../../../adapters/ops/metrics.ts';
import { SendError } from '../../../src/reminders/message.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';

let unobserve: () => void = () => {};
afterEach(() => unobserve());

describe('inbound payloads by result', () => {
  it('accepted, duplicate, busy and refused, each under its platform', async () => {
    const seen: string[] = [];
    unobserve = observeOps({ inbound: (platform, result) => seen.push(`${platform}:${result}`) });
    const store = createSqliteStore(':memory:');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => { release = r; });
    const inbox = createInbox({ store, source: 'feishu', now: () => Date.UTC(2026, 10, 30, 2), log: () => {}, run: () => held, maxQueued: 2, sweepMs: 0 });
    expect(await inbox.accept('feishu-event:e1', 'feishu:oc_1', { text: 'x' })).toBe('accepted');
    expect(await inbox.accept('feishu-event:e1', 'feishu:oc_1', { text: 'x' })).toBe('duplicate');
    expect(await inbox.accept('feishu-event:e2', 'feishu:oc_1', { text: 'y' })).toBe('accepted');
    expect(await inbox.accept('feishu-event:e3', 'feishu:oc_1', { text: 'z' })).toBe('busy'); // two in hand, at most two
    release();
    await inbox.idle();
    await store.close();
    await expect(inbox.accept('feishu-event:e4', 'feishu:oc_1', { text: 'z' })).rejects.toThrow();
    expect(seen).toEqual(['feishu:accepted', 'feishu:duplicate', 'feishu:accepted', 'feishu:busy', 'feishu:refused']);
    await inbox.stop();
  });
});

describe('platform API error codes', () => {
  it("takes the platform's own code, else the HTTP status, else rate limiting; never free text", () => {
    expect(apiErrorCode(new SendError('x', { uncertain: false, cause: { code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } } }).cause)).toBe('channel_not_found');
    expect(apiErrorCode({ name: 'FeishuApiError', code: 230002, status: 400 })).toBe('230002');
    expect(apiErrorCode({ errcode: 40014 })).toBe('40014');
    expect(apiErrorCode({ status: 503 })).toBe('http_503');
    expect(apiErrorCode(new SendError('slow down', { uncertain: false, retryAfterMs: 2000 }))).toBe('rate_limited');
    expect(apiErrorCode({ data: { error: '群聊 网银事件 not found' } })).toBe('other');
    expect(apiErrorCode(new Error('socket hang up'))).toBe('unknown');
  });
});

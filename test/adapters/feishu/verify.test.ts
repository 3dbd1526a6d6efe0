import { AESCipher, EventDispatcher, LoggerLevel } from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { openRequest, signature } from '../../../adapters/feishu/transport/callbacks.ts';
import { sdkLogger } from '../../../adapters/feishu/transport/index.ts';
import { describe as describeValue, readSettings as loadFeishuSettings, redactorOf } from '../../../adapters/feishu/settings.ts';
import { PlatformConfigError as FeishuConfigError } from '../../../adapters/kit/errors.ts';
import { encryptEvent, signEvent } from '../../fakes/feishu-events.ts';

const KEY = 'encrypt-key-for-tests';
const keys = { encryptKey: KEY, verificationToken: 'vtoken' };
const event = { schema: '2.0', header: { event_id: 'e1', token: 'vtoken', event_type: 'im.message.receive_v1' }, event: { x: 1 } };

const SIGNED_AT_MS = 1764482400_000;

function signed(body: string, key = KEY, ts = String(SIGNED_AT_MS / 1000)) {
  const nonce = 'n0nce';
  return { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': signEvent(ts, nonce, key, body) };
}

describe('the fake signs and encrypts as the Lark SDK expects', () => {
  it('the SDK decrypts the fake encryption and accepts its signature', () => {
    const raw = JSON.stringify({ encrypt: encryptEvent(KEY, JSON.stringify(event)) });
    expect(JSON.parse(new AESCipher(KEY).decrypt((JSON.parse(raw) as { encrypt: string }).encrypt))).toEqual(event);
    const sdk = new EventDispatcher({ encryptKey: KEY, loggerLevel: LoggerLevel.error });
    const data = Object.assign(Object.create({ headers: signed(raw) }) as object, JSON.parse(raw) as object);
    expect(sdk.requestHandle?.checkIsEventValidated(data)).toBe(true);
    const forged = Object.assign(Object.create({ headers: signed(raw, 'other') }) as object, JSON.parse(raw) as object);
    expect(sdk.requestHandle?.checkIsEventValidated(forged)).toBe(false);
    expect(signature('1', '2', KEY, raw)).toBe(signEvent('1', '2', KEY, raw));
  });
});

describe('openRequest', () => {
  const enc = JSON.stringify({ encrypt: encryptEvent(KEY, JSON.stringify(event)) });

  it('refuses a signed request stamped more than 5 minutes from now, in either direction (a replay, or signed ahead)', () => {
    const enc = JSON.stringify({ encrypt: encryptEvent(KEY, JSON.stringify({ schema: '2.0', header: { event_id: 'e1', token: 'vtoken', event_type: 'im.message.receive_v1' }, event: {} })) });
    const at = (offsetSec: number) => openRequest(enc, signed(enc, KEY, String(SIGNED_AT_MS / 1000 + offsetSec)), keys, SIGNED_AT_MS);
    for (const off of [-301, 301, 600, 365 * 86_400]) expect(at(off), `${off} s`).toMatchObject({ ok: false, status: 401, reason: 'request timestamp more than 5 minutes from now' });
    for (const off of [-300, 0, 299]) expect(at(off).ok, `${off} s`).toBe(true);
  });

  it('opens a signed, encrypted event', () => {
    expect(openRequest(enc, signed(enc), keys, SIGNED_AT_MS)).toEqual({ ok: true, body: event });
  });

  it.each([
    ['a signature over other bytes', signed(`${enc} `)],
    ['a signature with another key', signed(enc, 'another-key')],
    ['a missing nonce', { ...signed(enc), 'x-lark-request-nonce': undefined }],
    ['no signature at all', {}],
  ])('refuses %s', (_n, headers) => {
    expect(openRequest(enc, headers, keys, SIGNED_AT_MS)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a wrong token, ciphertext it cannot decrypt, and non-JSON', () => {
    const wrong = JSON.stringify({ encrypt: encryptEvent(KEY, JSON.stringify({ ...event, header: { ...event.header, token: 'x' } })) });
    expect(openRequest(wrong, signed(wrong), keys, SIGNED_AT_MS)).toMatchObject({ ok: false, reason: 'verification token mismatch' });
    const garbled = JSON.stringify({ encrypt: encryptEvent('other-key', JSON.stringify(event)) });
    expect(openRequest(garbled, signed(garbled), keys, SIGNED_AT_MS)).toMatchObject({ ok: false, status: 401 });
    expect(openRequest('nope', {}, keys, SIGNED_AT_MS)).toMatchObject({ ok: false, status: 400 });
    expect(openRequest(enc, {}, { encryptKey: null, verificationToken: 'vtoken' })).toMatchObject({ ok: false, status: 401 });
  });

  it('without an encrypt key, checks the token of plain events', () => {
    const plain = JSON.stringify(event);
    expect(openRequest(plain, {}, { encryptKey: null, verificationToken: 'vtoken' })).toMatchObject({ ok: true });
    expect(openRequest(plain, {}, { encryptKey: null, verificationToken: 'other' })).toMatchObject({ ok: false });
  });

  it('answers url_verification, which may come unsigned', () => {
    const body = JSON.stringify({ encrypt: encryptEvent(KEY, JSON.stringify({ type: 'url_verification', challenge: 'c1', token: 'vtoken' })) });
    expect(openRequest(body, {}, keys, SIGNED_AT_MS)).toMatchObject({ ok: true, challenge: 'c1' });
  });
});

describe('settings from the environment', () => {
  const base = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 'SECRETx1', FEISHU_ENCRYPT_KEY: 'SECRETx2' };

  it('defaults: HTTP callbacks, feishu.cn, every chat', () => {
    const s = loadFeishuSettings(base);
    expect(s).toMatchObject({ mode: 'http', domain: 'feishu', allowedChats: null, verificationToken: null, loggerLevel: 'info' });
    expect(loadFeishuSettings({ ...base, FEISHU_DOMAIN: 'lark' }).domain).toBe('lark');
    expect(loadFeishuSettings({ ...base, FEISHU_DOMAIN: 'http://127.0.0.1:9/' }).domain).toBe('http://127.0.0.1:9');
    expect([...loadFeishuSettings({ ...base, FEISHU_ALLOWED_CHATS: 'oc_a, feishu:oc_b' }).allowedChats!]).toEqual(['oc_a', 'oc_b']);
    expect([...loadFeishuSettings({ ...base, FEISHU_ALLOWED_USERS: 'ou_a;feishu:ou_b' }).allowedUsers!]).toEqual(['ou_a', 'ou_b']);
    expect(loadFeishuSettings(base).allowedUsers).toBeNull();
    expect(loadFeishuSettings({ FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'ws' }).mode).toBe('ws');
  });

  it.each([
    [{ FEISHU_APP_ID: '' }, 'FEISHU_APP_ID'],
    [{ FEISHU_APP_SECRET: '' }, 'FEISHU_APP_SECRET'],
    [{ FEISHU_MODE: 'carrier-pigeon' }, 'FEISHU_MODE'],
    [{ FEISHU_MODE: 'ws', FEISHU_APP_ID: 'app1' }, 'FEISHU_APP_ID'],
    [{ FEISHU_ENCRYPT_KEY: '' }, 'FEISHU_ENCRYPT_KEY'],
    [{ FEISHU_DOMAIN: 'ftp://x' }, 'FEISHU_DOMAIN'],
    [{ FEISHU_ALLOWED_CHATS: 'general' }, 'FEISHU_ALLOWED_CHATS'],
    [{ FEISHU_ALLOWED_USERS: 'zhangsan' }, 'FEISHU_ALLOWED_USERS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('%o names %s, and no secret', (over, name) => {
    let error: unknown;
    try {
      loadFeishuSettings({ ...base, ...over });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeishuConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).not.toMatch(/SECRETx/);
  });
});

describe('log redaction', () => {
  const redact = redactorOf({ appSecret: 'SECRETapp', encryptKey: 'SECRETkey', verificationToken: null });

  it('removes configured secrets, bearer and tenant tokens, and secret URL parameters', () => {
    expect(redact('secret SECRETapp and SECRETkey')).toBe('secret [redacted] and [redacted]');
    expect(redact('Authorization: Bearer t-g1044abcdefgh')).toBe('Authorization: Bearer [redacted]');
    expect(redact('token t-g1044abcdefghij cached')).toBe('token [redacted] cached');
    expect(redact('ws url: wss://x/ws?device_id=1&ticket=abc123&access_key=k9')).toBe('ws url: wss://x/ws?device_id=1&ticket=[redacted]&access_key=[redacted]');
    expect(redact('{"app_secret":"whatever","app_id":"cli_1"}')).toBe('{"app_secret":"[redacted]","app_id":"cli_1"}');
  });

  it('the SDK logger never passes a secret through, whatever the SDK hands it', () => {
    const lines: string[] = [];
    const logger = sdkLogger((m) => lines.push(m), redact);
    const axiosLike = Object.assign(new Error('Request failed with status code 500'), {
      name: 'AxiosError',
      config: { url: 'https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal?x=1', method: 'post', data: '{"app_id":"cli_1","app_secret":"SECRETapp"}', headers: { Authorization: 'Bearer t-abcdefghijkl' } },
      response: { status: 500, data: { code: 1, msg: 'boom' } },
    });
    void logger.error([axiosLike]);
    // What the SDK's formatErrors hands the logger for a failed API call.
    void logger.error([[{ message: 'failed', config: { data: '{"app_secret":"SECRETapp"}', headers: { Authorization: 'Bearer t-abcdefghijkl' } } }]]);
    void logger.debug(['[ws]', 'get connect config success, ws url: wss://x?ticket=SECRETkey']);
    const all = lines.join('\n');
    expect(all).toContain('AxiosError: Request failed with status code 500 (POST https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal) status 500');
    expect(all).not.toMatch(/SECRETapp|SECRETkey|t-abcdefghijkl/);
    expect(describeValue({ a: { b: 1 } })).toBe('{"a":{"b":1}}');
  });
});

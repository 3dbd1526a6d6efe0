import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSettings as loadFeishuSettings } from '../../adapters/feishu/settings.ts';
import { PlatformConfigError as FeishuConfigError } from '../../adapters/kit/errors.ts';
import { readProcessSettings, SettingsError } from '../../adapters/settings.ts';
import { ConfigError, loadInstitutionConfig } from '../../src/config/institution.ts';
import { redactSecrets } from '../../src/config/redact.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error thrown');
};

describe('process settings are validated and named', () => {
  it.each(['abc', '1e9', '0', '-5', '99999', '1.5'])('TICK_SECONDS=%s stops start-up naming the setting', (v) => {
    const e = errorOf(() => readProcessSettings({ TICK_SECONDS: v }));
    expect(e).toBeInstanceOf(SettingsError);
    expect(e.message).toMatch(/^TICK_SECONDS must be a whole number of seconds, 1 to 3600/);
  });

  it.each(['0', '-1', 'lots', '100001'])('INBOX_MAX=%s stops start-up naming the setting', (v) => {
    expect(errorOf(() => readProcessSettings({ INBOX_MAX: v })).message).toMatch(/^INBOX_MAX must be a whole number of commands, 1 to 100000/);
  });

  it('REPLICA_ID must be a short name', () => {
    expect(errorOf(() => readProcessSettings({ REPLICA_ID: 'a b' })).message).toMatch(/^REPLICA_ID must be 1 to 64/);
    expect(() => readProcessSettings({ REPLICA_ID: 'pod-2', INBOX_MAX: '500' })).not.toThrow();
  });

  it('DIGEST_CONVERSATION must be a conversation id; DIGEST_AT HH:mm', () => {
    expect(errorOf(() => readProcessSettings({ DIGEST_CONVERSATION: 'junk' })).message).toMatch(/^DIGEST_CONVERSATION must be a conversation id/);
    expect(errorOf(() => readProcessSettings({ DIGEST_CONVERSATION: 'feishu:oc_x', DIGEST_AT: '25:00' })).message).toMatch(/^DIGEST_AT must be HH:mm/);
    expect(readProcessSettings({ TICK_SECONDS: '30', DIGEST_CONVERSATION: 'slack:T1:C09ABC' })).toEqual({ tickMs: 30_000, digest: { conversation: 'slack:T1:C09ABC', at: '09:00' } });
    expect(readProcessSettings({})).toEqual({ tickMs: 15_000, digest: undefined });
  });

  it('npm start with TICK_SECONDS=abc exits 1 with the setting named (it used to tick every millisecond)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: { ...process.env, TICK_SECONDS: 'abc', SQLITE_PATH: join(dir, 'tick.db'), STORE_CREATE: '1', SLACK_BOT_TOKEN: '', FEISHU_APP_ID: '' }, input: '', encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TICK_SECONDS must be a whole number of seconds');
  });
});

describe('secrets never appear in configuration errors', () => {
  it('redacts URL credentials and token shapes', () => {
    const s = redactSecrets('REDIS_URL redis://default:hunter2pass@10.0.0.1:6379 failed; token xoxb-1234567890-abcdefghij; https://bob:pw@proxy.example/x; Bearer abcdefgh12345678; t-g1044ghJKLMNOPQRSTUVWXYZ0123');
    for (const secret of ['hunter2pass', 'xoxb-1234567890', 'bob:pw', 'abcdefgh12345678', 't-g1044gh']) expect(s).not.toContain(secret);
    expect(s).toContain('redis://[redacted]@10.0.0.1:6379');
  });

  it('a token pasted into a field of the institution file is not quoted back', () => {
    const file = join(dir, 'token.yaml');
    writeFileSync(file, 'institution: { name: 行, type: bank }\nrecipients: [{ name: 人行 }]\nnetworks:\n  - { id: xoxb-1234567890-ABCDEFGHIJKLMNOP, name: 网, protectionLevel: 3, keyNetwork: false, financialService: true }\n');
    const e = errorOf(() => loadInstitutionConfig({ INSTITUTION_CONFIG: file }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('networks.0.id');
    expect(e.message).not.toContain('xoxb-1234567890');
  });

  it('FEISHU_DOMAIN with credentials is refused without printing them', () => {
    const e = errorOf(() => loadFeishuSettings({ FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 't', FEISHU_DOMAIN: 'https://proxyuser:Sup3rS3cret@proxy.example' }));
    expect(e).toBeInstanceOf(FeishuConfigError);
    expect(e.message).toContain('FEISHU_DOMAIN');
    expect(e.message).not.toMatch(/Sup3rS3cret|proxyuser/);
    const bad = errorOf(() => loadFeishuSettings({ FEISHU_APP_ID: 'x', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 't', FEISHU_DOMAIN: 'not a url xoxb-leak' }));
    expect(bad.message).not.toContain('xoxb-leak');
  });
});

describe('the institution file', () => {
  it('a YAML alias bomb is bounded and reported as a ConfigError naming the file', () => {
    const file = join(dir, 'bomb.yaml');
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const e = errorOf(() => loadInstitutionConfig({ INSTITUTION_CONFIG: file }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('bomb.yaml');
    expect(e.message).toMatch(/alias/i);
  });
});

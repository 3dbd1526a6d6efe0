// The Feishu crash run (nothing acknowledged is lost), shared by test/reliability/crash-feishu.test.ts (which asserts on it) and
// bench/crash.ts (which reports it): HTTP callbacks, signed message events from several chats at once, SIGKILL after
// some are acknowledged, a restart (test/fakes/crash.ts runs it). No vitest here.
import { runCrash, type CrashFigures, type CrashOptions } from './crash.ts';
import { FakeFeishuApi } from './feishu-api.ts';
import { deliver, messageEvent } from './feishu-events.ts';
import { freePort } from './redis-server.ts';

// Fake credentials (as CREDS in test/adapters/feishu/harness.ts, which imports vitest).
const CREDS = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'SECRETappsecret9f8e7d6c5b4a',
  encryptKey: 'SECRETencryptkey1a2b3c4d',
  token: 'SECRETverificationtoken5e6f',
};

export type { CrashFigures, CrashOptions } from './crash.ts';

export async function runFeishuCrash(o: CrashOptions): Promise<CrashFigures> {
  const api = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/feishu/events`;
  try {
    return await runCrash({
      env: {
        FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
        FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: api.url, FEISHU_MODE: 'http', HTTP_PORT: String(port),
      },
      ready: async (log) => /feishu: started/.test(log()), // the one server listens (and answers 503 on /feishu/*) before
      // Chat c's k-th message: its incident first (`new crash-<n>`), then notes to it, each with its own marker.
      send: async (c, k, n) => (await deliver(url, messageEvent({
        text: k === 0 ? `/incident new crash-${n}` : `/incident note crash-${n}`, token: CREDS.token,
        chatId: `oc_crash${c}`, openId: `ou_crash${c}`, messageId: `om_crash${String(n).padStart(5, '0')}`,
      }), { encryptKey: CREDS.encryptKey })).status === 200,
      stopChatOnRefusal: true,
      defaults: { n: 200, chats: 20, killAfter: 70 },
    }, o);
  } finally {
    await api.close();
  }
}

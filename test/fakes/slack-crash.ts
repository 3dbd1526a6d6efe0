// The Slack crash run (nothing acknowledged is lost), shared by test/reliability/crash-slack.test.ts (which asserts on it) and
// bench/crash.ts (which reports it): signed `/incident new crash-<n>` slash commands from many channels at once,
// SIGKILL after some are acknowledged, a restart (test/fakes/crash.ts runs it). No vitest here.
import { runCrash, type CrashFigures, type CrashOptions } from './crash.ts';
import { FakeSlackApi } from './slack-api.ts';
import { httpTransport, SlackDriver } from './slack-driver.ts';
import { freePort } from './redis-server.ts';

export type { CrashFigures, CrashOptions } from './crash.ts';

// Fake credentials in Slack's formats (as test/fakes/slack-harness.ts).
const BOT_TOKEN = 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

export async function runSlackCrash(o: CrashOptions): Promise<CrashFigures> {
  const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
  const port = await freePort();
  const send = httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  const driver = (c: number) => new SlackDriver(slack, send, async () => {}, { team: 'T1', channel: `C${c}`, user: `U${c}`, userName: `u${c}` });
  try {
    return await runCrash({
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, HTTP_PORT: String(port) },
      ready: async (log) => /slack: ready \(http:/.test(log()),
      send: async (c, _k, n) => (await driver(c).commandLine(`new crash-${n}`)).status === 200,
      defaults: { n: 240, chats: 24, killAfter: 80 },
    }, o);
  } finally {
    await slack.close();
  }
}

// `npm start` (the compiled build) on WeCom: an overdue reminder carries the acknowledge button, and a click on it, by
// another group member, is recorded as that member's acknowledgement. The bot's clock is chosen (BOT_CLOCK_START).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeWecomServer } from '../../fakes/wecom-server.ts';
import { CREDS, choicesOf, readable } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-wecom-ack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GROUP = 'wrgroupAck';

/** Waits for something the bot sends (polling the fake's record of it); fails with the bot's log after 60 s. */
async function until(check: () => boolean, what: string, stderr: () => string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${stderr()}`);
}

describe('npm start on WeCom: a reminder\'s acknowledge button', () => {
  it('posts the button after an overdue reminder and records the clicker\'s acknowledgement', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '1' };
    for (const k of Object.keys(env)) if (/^(SLACK_|FEISHU_|DINGTALK_|INSTITUTION_CONFIG)/.test(k) || k === 'REDIS_URL') delete env[k];
    Object.assign(env, { WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: server.url });
    const child = spawn(process.execPath, ['bin/start.js'], { env });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const said = (text: string) => server.sent.some((m) => readable(m.markdown).includes(text));
    const say = async (text: string, answer: string) => {
      server.message({ text: `@事件机器人\u2005${text}`, group: true, chatId: GROUP, userId: 'zhangsan' });
      await until(() => said(answer), `the answer to ${text}`, () => stderr);
    };
    try {
      await server.subscribed();
      await say('/incident new 勒索', '已新建事件 INC-20261130-01');
      await say('/incident set ransomwareHarm 是', '第九条第（四）项');
      await say('/incident t0 08:30', '报告时限起算时间已提前至 2026-11-30 08:30'); // the brief report was due at 09:30
      // The example institution's profile brings other regimes' reminders too: the brief report's button follows its reminder.
      const reminderAt = () => server.sent.findIndex((m) => readable(m.markdown).includes('事发简要报告已逾期'));
      const buttonAfter = () => server.sent.find((m, i) => i > reminderAt() && reminderAt() >= 0 && m.msgtype === 'template_card' && m.chatId === GROUP);
      await until(() => buttonAfter() !== undefined, 'the acknowledge button after the brief report\'s reminder', () => stderr);
      const button = buttonAfter()!;
      expect(choicesOf(button.card!).map((c) => c.label)).toEqual(['知悉']);
      server.click({ card: button.card!, key: choicesOf(button.card!)[0]!.key, userId: 'lisi', group: true, chatId: GROUP });
      await until(() => said('知悉“事发简要报告”的提醒'), 'the acknowledgement', () => stderr);
      expect(server.sent.find((m) => readable(m.markdown).includes('知悉“事发简要报告”的提醒'))!.markdown).toMatch(/已记录：wecom:lisi 于 2026-11-30 10:\d\d 知悉/);
      expect(server.sent.some((m) => m.op === 'update' && (m.card?.main_title as { title?: string } | undefined)?.title === '✓ 知悉')).toBe(true);
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await server.close();
      expect(code).toBe(0);
    }
  }, 120_000);
});

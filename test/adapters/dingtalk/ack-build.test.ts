// `npm start` (the compiled build) on DingTalk with a card template: an overdue reminder is a card with the
// acknowledge button, and a click on it, by another group member, is recorded as that member's acknowledgement.
// The bot's clock is chosen (BOT_CLOCK_START).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDingtalk } from '../../fakes/dingtalk-api.ts';
import { cardCallback, robotMessage } from '../../fakes/dingtalk-events.ts';
import { CREDS, optionsOf, TEMPLATE, textOf } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-dingtalk-ack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Waits for something the bot sends (polling the fake's record of it); fails with the bot's log after 60 s. */
async function until(check: () => boolean, what: string, stderr: () => string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${stderr()}`);
}

describe('npm start on DingTalk: a reminder\'s acknowledge button', () => {
  it('sends an overdue reminder as a card with the button and records the clicker\'s acknowledgement', async () => {
    const api = await FakeDingtalk.start(CREDS.clientId, CREDS.clientSecret);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK|FEISHU|DINGTALK|WECOM)_|^REDIS_URL$|^INSTITUTION_CONFIG$/.test(k)));
    const child = spawn(process.execPath, ['bin/start.js'], {
      env: {
        ...clean, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', TICK_SECONDS: '1',
        DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_CLIENT_SECRET: CREDS.clientSecret, DINGTALK_API_URL: api.url, DINGTALK_OAPI_URL: api.url, DINGTALK_CARD_TEMPLATE_ID: TEMPLATE,
      },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const shows = (text: string) => api.sent.some((m) => textOf(m).includes(text));
    const say = async (text: string, answer: string) => {
      expect((await api.pushCallback(TOPIC_ROBOT, robotMessage({ text }))).code).toBe(200);
      await until(() => shows(answer), `the answer to ${text}`, () => stderr);
    };
    try {
      await Promise.race([api.whenConnected(), exit.then(() => { throw new Error(`the bot exited:\n${stderr}`); })]);
      await say('/incident new 勒索', '已新建事件 INC-20261130-01');
      await say('/incident set ransomwareHarm 是', '第九条第（四）项');
      await say('/incident t0 08:30', '报告时限起算时间已提前至 2026-11-30 08:30'); // the brief report was due at 09:30
      await until(() => api.sent.some((m) => m.op === 'card' && textOf(m).includes('事发简要报告已逾期')), 'the reminder card', () => stderr);
      const reminder = api.sent.find((m) => m.op === 'card' && textOf(m).includes('事发简要报告已逾期'))!;
      expect(optionsOf(reminder.content as Record<string, string>)).toEqual([{ label: '知悉', value: 'ack' }]);
      expect((await api.pushCallback(TOPIC_CARD, cardCallback({ outTrackId: reminder.outTrackId!, userId: 'staff_bob', params: { value: 'ack' } }))).code).toBe(200);
      await until(() => api.sent.some((m) => m.op === 'update' && m.target === reminder.outTrackId), 'the acknowledgement on the card', () => stderr);
      const update = api.sent.find((m) => m.op === 'update' && m.target === reminder.outTrackId)!;
      expect((update.content as Record<string, string>).answered).toMatch(/^✓ 已记录：dingtalk:staff_bob 于 2026-11-30 10:\d\d 知悉“事发简要报告”的提醒/);
    } finally {
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      await api.close();
    }
  }, 120_000);
});

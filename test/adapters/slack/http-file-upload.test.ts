import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../fakes/slack-driver.ts';
import { BOT_TOKEN, startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const start = async () => (h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00' }));

/** `/incident new`, then the incident's thread root in C1. */
async function newIncident(hh: Harness): Promise<string> {
  await hh.slackDriver.commandLine('new 网上银行登录失败');
  const root = hh.api.channelMessages('C1')[0]!;
  expect(await hh.store.getSession('slack-thread:INC-20261130-01', hh.clock.ms)).toEqual({ channel: 'C1', ts: root.ts });
  return root.ts;
}

describe('Slack over HTTP: /incident draft final docx uploads the Word report into the incident\'s thread', () => {
  it('getUploadURLExternal, the bytes (a zip) to the upload URL, completeUploadExternal in C1 under the thread with the title', async () => {
    const { api, slackDriver: alice, clock, logs } = await start();
    const rootTs = await newIncident(h!);
    clock.set('2026-11-30T16:20:00+08:00');
    const res = await alice.commandLine('draft final docx');
    expect(res.status).toBe(200);

    // The three steps in order, each with the bot token.
    const steps = api.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload');
    expect(steps).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    expect(api.calls.filter((c) => steps.includes(c.method)).every((c) => c.token === BOT_TOKEN)).toBe(true);
    expect(api.callsTo('files.getUploadURLExternal')[0]!.body).toMatchObject({ filename: 'INC-20261130-01-final-20261130.docx' });

    const [up, ...more] = api.completedUploads();
    expect(more).toEqual([]);
    expect(up!.filename).toMatch(/^INC-\d{8}-\d{2}-final-\d{8}\.docx$/);
    expect(up!.filename).toBe('INC-20261130-01-final-20261130.docx');
    // As @slack/web-api sends it: multipart/form-data, the file in one field; every announced byte arrived.
    expect(up!.received.encoding).toBe('multipart');
    expect(up!.received.bytes).toBe(up!.length);
    expect(up!.received.bytes).toBeGreaterThan(1000);
    expect(up!.received.head.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip: what a .docx is
    expect(up!.completed).toMatchObject({ channel: 'C1', threadTs: rootTs, initialComment: 'INC-20261130-01 事后调查总结报告（Word，待签发盖章）' });
    expect(api.callsTo('files.completeUploadExternal')[0]!.body).toMatchObject({ channel_id: 'C1', thread_ts: rootTs, initial_comment: 'INC-20261130-01 事后调查总结报告（Word，待签发盖章）' });

    // The share shows in the thread; the draft text itself is posted as before, the file line not in it.
    const shared = api.channelMessages('C1').find((m) => m.files?.length);
    expect(shared).toMatchObject({ threadTs: rootTs, text: 'INC-20261130-01 事后调查总结报告（Word，待签发盖章）' });
    const draft = api.channelMessages('C1').filter((m) => !m.files).at(-1)!;
    expect(visibleText(draft)).not.toContain('📎');
    expect(draft.text).not.toContain('📎');
    expect(api.ephemeralFor('U1').some((m) => m.text.includes('✗'))).toBe(false);
    expect(logs.join('\n')).not.toMatch(/upload .* failed/);
  });

  it('no thread known for the incident (the key expired): shared in the channel itself', async () => {
    const { api, slackDriver: alice, store } = await start();
    await newIncident(h!);
    await store.deleteSession('slack-thread:INC-20261130-01');
    await alice.commandLine('draft final docx');
    expect(api.completedUploads()[0]!.completed).toMatchObject({ channel: 'C1', threadTs: null });
    expect(api.callsTo('files.completeUploadExternal')[0]!.body).not.toHaveProperty('thread_ts');
  });

  it('Slack refusing the upload (ok:false) gets the user a private error in Chinese; nothing crashes, the bot goes on', async () => {
    const { api, slackDriver: alice, logs } = await start();
    await newIncident(h!);
    api.fail('files.completeUploadExternal', 'internal_error');
    await alice.commandLine('draft final docx');
    expect(api.completedUploads()).toEqual([]);
    const err = api.ephemeralFor('U1').at(-1)!;
    expect(visibleText(err)).toBe('✗ 文件 INC-20261130-01-final-20261130.docx 未能上传到事件线程，已记录日志；请稍后重新生成。');
    expect(logs.some((l) => l.includes('file upload INC-20261130-01-final-20261130.docx to C1 failed: internal_error'))).toBe(true);

    // The bot is still there: the next try goes through.
    await alice.commandLine('draft final docx');
    expect(api.completedUploads()).toHaveLength(1);
  });

  it('a bot not in the channel is told to /invite itself', async () => {
    const { api, slackDriver: alice } = await start();
    await newIncident(h!);
    api.fail('files.completeUploadExternal', 'not_in_channel');
    await alice.commandLine('draft final docx');
    expect(visibleText(api.ephemeralFor('U1').at(-1)!)).toContain('机器人不是本频道成员。请 /invite 机器人后重新生成');
  });

  it('the upload URL answering 5xx: an English error for an English report', async () => {
    const { api, slackDriver: alice, logs } = await start();
    await newIncident(h!);
    api.failUpload(503);
    await alice.commandLine('draft final en docx');
    expect(api.callsTo('upload')).toHaveLength(1);
    expect(api.callsTo('files.completeUploadExternal')).toHaveLength(0);
    expect(api.completedUploads()).toEqual([]);
    expect(visibleText(api.ephemeralFor('U1').at(-1)!)).toBe('✗ The file INC-20261130-01-final-20261130.docx could not be uploaded to the incident\'s thread (logged); generate it again shortly.');
    expect(logs.some((l) => /file upload INC-20261130-01-final-20261130\.docx to C1 failed/.test(l))).toBe(true);
  });

  it('getUploadURLExternal refused: the same private error, no bytes sent', async () => {
    const { api, slackDriver: alice } = await start();
    await newIncident(h!);
    api.fail('files.getUploadURLExternal', 'missing_scope');
    await alice.commandLine('draft final docx');
    expect(api.callsTo('upload')).toHaveLength(0);
    expect(visibleText(api.ephemeralFor('U1').at(-1)!)).toContain('未能上传到事件线程');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { DingtalkUser, Harness, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function resolvedIncident(user: DingtalkUser): Promise<void> {
  await user.say('/incident new 勒索软件加密核心系统');
  await user.say('/incident set ransomwareHarm 是');
  await user.say('/incident resolve 13:00');
}

describe('DingTalk: the Word report as a file', () => {
  it('uploads the .docx (media/upload) and sends it as a sampleFile message after the answer', async () => {
    h = await Harness.start();
    const alice = new DingtalkUser(h);
    await resolvedIncident(alice);
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => m.msgKey)).toEqual(['sampleText', 'sampleFile']);
    expect(h.api.uploads).toHaveLength(1);
    expect(h.api.uploads[0]!.name).toMatch(/^INC-20261130-01.*\.docx$/);
    expect(h.api.uploads[0]!.bytes).toBeGreaterThan(1000);
    expect(sent[1]!.content).toEqual({ mediaId: h.api.uploads[0]!.mediaId, fileName: h.api.uploads[0]!.name, fileType: 'docx' });
    const upload = h.api.calls.find((c) => c.path === '/media/upload')!;
    expect(upload.query).toMatchObject({ type: 'file', access_token: h.api.accessToken });
  });

  it('says so in the chat when DingTalk does not take the file', async () => {
    h = await Harness.start();
    const alice = new DingtalkUser(h);
    await resolvedIncident(alice);
    h.api.failNext(/\/media\/upload$/, 400, 'param.invalid');
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => m.msgKey)).toEqual(['sampleText', 'sampleText']);
    expect(textOf(sent[1]!)).toMatch(/✗ 文件 INC-20261130-01.*\.docx 未能发送到钉钉/);
  });
});

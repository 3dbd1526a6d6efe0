import { afterEach, describe, expect, it } from 'vitest';
import { feishuFileType } from '../../../adapters/feishu/transport/api.ts';
import { langOf } from '../../../adapters/feishu/render.ts';
import { t } from '../../../src/i18n/index.ts';
import type { Bot } from '../../../src/bot.ts';
import type { Reply } from '../../../src/conversation/types.ts';
import { botConfig } from '../../fakes/chat.ts';
import type { SentMessage } from '../../fakes/feishu-api.ts';
import { FeishuUser, Harness, cardText } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const ID = 'INC-20261130-01';
const FILE_NAME = /^INC-20261130-01-final-20261130\.docx$/;

/** The real bot, keeping the files it produced so the test can compare them with what Feishu received. */
function keepFiles(files: Array<Extract<Reply, { type: 'file' }>>): (bot: Bot) => Bot {
  return (bot) => ({
    ...bot,
    async handle(input) {
      const replies = await bot.handle(input);
      for (const r of replies) if (r.type === 'file') files.push(r);
      return replies;
    },
  });
}

/** Creates the incident; returns the id of its root card (the incident's thread). */
async function newIncident(user: FeishuUser): Promise<string> {
  const created = await user.say('/incident new 网上银行登录失败');
  expect(cardText(created.content)).toContain(`已新建事件 ${ID}`);
  return created.messageId;
}

const callIndex = (harness: Harness, match: (c: Harness['api']['calls'][number]) => boolean) => harness.api.calls.findIndex(match);

describe('Feishu: the written post-incident report (/incident draft final docx) as a file message', () => {
  it.each(['http', 'ws'] as const)('%s: uploads the DOCX (multipart im.file.create), then sends it as a file message in the incident thread', async (mode) => {
    const files: Array<Extract<Reply, { type: 'file' }>> = [];
    h = await Harness.start({ mode, wrapBot: keepFiles(files) });
    const alice = new FeishuUser(h);
    const root = await newIncident(alice);

    const sent = await alice.sayAll('/incident draft final docx', { messageId: 'om_user_draft' });
    expect(sent.map((m) => [m.op, m.msgType])).toEqual([['reply', 'interactive'], ['reply', 'file']]);

    // The upload: multipart with file_type doc, the file name, and the DOCX's bytes unchanged.
    expect(h.api.uploads).toHaveLength(1);
    const upload = h.api.uploads[0]!;
    expect(upload.fileType).toBe('doc');
    expect(upload.fileName).toMatch(FILE_NAME);
    expect(Buffer.from(upload.data.subarray(0, 2)).toString('latin1')).toBe('PK');
    expect(files).toHaveLength(1);
    expect(Buffer.from(upload.data).equals(Buffer.from(files[0]!.data))).toBe(true);
    const call = h.api.calls.find((c) => c.path === '/open-apis/im/v1/files')!;
    expect(call.authorization).toBe(`Bearer ${h.api.tenantToken}`);
    expect(call.body).toEqual({ file_type: 'doc', file_name: upload.fileName, file: { bytes: upload.data.length } });

    // The card answers the asker and keeps the 📎 line; the file follows under the incident's root card.
    const [card, file] = sent as [SentMessage, SentMessage];
    expect(card.target).toBe('om_user_draft');
    expect(cardText(card.content)).toContain(`📎 ${files[0]!.title}`);
    expect(cardText(card.content)).not.toContain('✗');
    expect(file).toMatchObject({ op: 'reply', target: root, msgType: 'file', content: { file_key: upload.fileKey } });
    expect(Object.keys(file.content)).toEqual(['file_key']);

    // In that order: upload, card, file message.
    const uploaded = callIndex(h, (c) => c.path === '/open-apis/im/v1/files');
    const fileMessage = callIndex(h, (c) => (c.body as { msg_type?: string } | undefined)?.msg_type === 'file');
    expect(uploaded).toBeGreaterThan(0);
    expect(fileMessage).toBeGreaterThan(uploaded);
    expect(h.logs.filter((l) => /failed/.test(l))).toEqual([]);
  });

  it('no thread remembered (expired): the card that carries the file becomes the thread, and the file replies under it', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    await newIncident(alice);
    await h.store.deleteSession(`feishu-thread:${ID}`);
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => [m.op, m.msgType])).toEqual([['reply', 'interactive'], ['reply', 'file']]);
    expect(sent[1]).toMatchObject({ target: sent[0]!.messageId, content: { file_key: h.api.uploads[0]!.fileKey } });
    expect(await h.store.getSession(`feishu-thread:${ID}`, h.clock.now())).toEqual({ chatId: 'oc_incident', messageId: sent[0]!.messageId });
  });

  it('the root card gone: the file is posted to the chat', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    const root = await newIncident(alice);
    h.api.failNext(new RegExp(`/messages/${root}/reply$`), 400, 230011);
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => [m.op, m.msgType, m.target])).toEqual([['reply', 'interactive', expect.any(String)], ['create', 'file', 'oc_incident']]);
    expect(h.logs.join('\n')).toMatch(/sending INC-20261130-01-final-20261130\.docx under om_\d+ failed.*posting to the chat instead/);
  });

  it('a failed upload: the card says so in the asker\'s language, no file message, and the bot carries on', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    await newIncident(alice);

    h.api.failNext(/^\/open-apis\/im\/v1\/files$/, 400, 234006);
    const zh = await alice.sayAll('/incident draft final docx');
    expect(zh.map((m) => m.msgType)).toEqual(['interactive']);
    const zhText = cardText(zh[0]!.content);
    expect(zhText).toMatch(/📎 INC-20261130-01 .*\n<font color='red'>✗ 文件 INC-20261130-01-final-20261130\.docx 未能发送到飞书，请稍后重新发送该命令/);
    expect(h.api.uploads).toHaveLength(0);
    expect(h.logs.join('\n')).toMatch(/uploading INC-20261130-01-final-20261130\.docx for INC-20261130-01 failed \(im\.file\.create: Feishu answered code 234006/);

    // Feishu answering a non-zero code with HTTP 200 (the SDK then returns null) fails the same way; in English.
    await alice.say('/incident lang en');
    h.api.failNext(/^\/open-apis\/im\/v1\/files$/, 200, 99991400);
    const en = await alice.sayAll('/incident draft final docx');
    expect(en.map((m) => m.msgType)).toEqual(['interactive']);
    expect(cardText(en[0]!.content)).toContain('✗ The file INC-20261130-01-final-20261130.docx could not be sent to Feishu; send the command again later');

    // The next try goes through.
    const again = await alice.sayAll('/incident draft final docx');
    expect(again.map((m) => m.msgType)).toEqual(['interactive', 'file']);
    expect(h.api.uploads).toHaveLength(1);
  });

  it('a file message Feishu takes neither way: a follow-up card says so', async () => {
    h = await Harness.start({ config: botConfig() });
    const alice = new FeishuUser(h);
    const root = await newIncident(alice);
    h.api.failNext(new RegExp(`/messages/${root}/reply$`), 400, 230011); // the root recalled
    h.api.failNext(/^\/open-apis\/im\/v1\/messages$/, 400, 230002); // the bot is not in the chat
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => [m.op, m.msgType])).toEqual([['reply', 'interactive'], ['reply', 'interactive']]);
    expect(sent[1]!.target).toBe(sent[0]!.messageId);
    expect(cardText(sent[1]!.content)).toContain('✗ 文件 INC-20261130-01-final-20261130.docx 未能发送到飞书');
    expect(h.api.uploads).toHaveLength(1); // uploaded, never shown
  });

  it('file types: Word, PDF, Excel and PowerPoint by extension, anything else as a stream', () => {
    expect(['a.docx', 'a.DOC', 'a.pdf', 'a.xlsx', 'a.pptx', 'a.mp4', 'a.opus', 'a.zip', 'noext'].map(feishuFileType))
      .toEqual(['doc', 'doc', 'pdf', 'xls', 'ppt', 'mp4', 'opus', 'stream', 'stream']);
  });

  it('a card with only text and a file is in the file\'s language (its title), else the fallback', () => {
    const file = (title: string): Reply => ({ type: 'file', filename: 'x.docx', mimeType: 'application/zip', data: new Uint8Array([1]), title, incidentId: ID });
    expect(langOf([{ type: 'text', text: 'draft' }, file(t('en', 'file.finalDocx', { id: ID }))], 'zh-CN')).toBe('en');
    expect(langOf([file(t('zh-CN', 'file.finalDocx', { id: ID }))], 'en')).toBe('zh-CN');
    expect(langOf([file('something else')], 'en')).toBe('en');
  });
});

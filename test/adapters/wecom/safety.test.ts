import { afterEach, describe, expect, it } from 'vitest';
import { PlatformConfigError } from '../../../adapters/kit/errors.ts';
import { readSettings as readWecomSettings } from '../../../adapters/wecom/settings.ts';
import type { Bot } from '../../../src/bot.ts';
import type { Reply } from '../../../src/conversation/types.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { CREDS, Harness, WecomUser, readable } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('WeCom: safety', () => {
  it('user text cannot inject mentions or markup into replies or reminders', async () => {
    h = await Harness.start({ config: botConfig({ responsible: ['wecom:commander01'] }) });
    const evil = '<@all> <@wangwu> **急** [点我](https://evil.example) `x` <font color="warning">红</font>\n# 标题\n> 引用\n- 列表';
    const alice = new WecomUser(h, 'zhangsan', 'wrgroup01');
    const r = await alice.say(`/incident new ${evil}`);
    expect(r.markdown).not.toMatch(/<@|\*\*急|\[点我\]\(|`x`|<font|^# |^> |^- /m);
    expect(readable(r.markdown)).toContain('<@all> <@wangwu> **急** [点我](https://evil.example) `x` <font color="warning">红</font>'); // shown as typed
    await alice.say('/incident set 重要数据 不确定'); // 较大 at once: a brief is due in an hour
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    await ticker.tick();
    const reminder = h.server.sent.at(-2)!.markdown!; // then the acknowledge button's card
    expect(reminder.match(/<@[^>]*>/g)).toEqual(['<@commander01>']); // only the configured mention
    expect(reminder).toContain('＜@all＞');
    // The button's card shows the title only in its plain-text title; its key carries nothing typed.
    const card = h.server.last().card!;
    expect(card.card_type).toBe('button_interaction');
    expect((card.button_list as Array<{ key: string }>)[0]!.key).toBe(JSON.stringify({ a: 'ack brief INC-20261130-01', l: '知悉' }));
  });

  it('a message over 20,000 characters (here 1,000,000) is refused with a notice, never echoed, and nothing is recorded', async () => {
    h = await Harness.start();
    const r = await new WecomUser(h).say(`/incident new ${'长'.repeat(1_000_000)}`);
    expect(readable(r.markdown)).toContain('消息过长（超过 20,000 个字符）');
    expect(r.markdown!.length).toBeLessThan(1_000);
    expect(await h.store.listOpen()).toEqual([]);
    expect(await h.store.inboxPendingCount()).toBe(0);
    expect(h.logs.some((l) => l.includes('refused: over 20000 characters'))).toBe(true);
    // Just under the cap is still a message.
    expect(readable((await new WecomUser(h).say(`/incident new ${'长'.repeat(19_900)}`)).markdown)).toContain('已新建事件');
  });

  it('never logs a secret at debug level: not the Bot Secret, nor the temporary response_url', async () => {
    h = await Harness.start();
    await new WecomUser(h).say('/incident new 测试');
    const all = h.logs.join('\n');
    expect(all).toContain('[wecom debug]'); // the SDK did log the frames in full
    expect(all).toContain('"response_url":"[redacted]"');
    expect(all).not.toContain(CREDS.secret);
    expect(all).not.toContain('response_code=');
  });

  it('refuses chats and users outside WECOM_ALLOWED_CHATS / WECOM_ALLOWED_USERS, saying which setting, and records nothing', async () => {
    h = await Harness.start({ env: { WECOM_ALLOWED_CHATS: 'wrallowed, zhangsan', WECOM_ALLOWED_USERS: 'zhangsan,lisi' } });
    const told = async (u: WecomUser) => (await u.sayAll('/incident new 测试')).map((m) => readable(m.markdown ?? '')).join('\n');
    // The kit's one refusal, in both languages, names both settings.
    const refused = '本群或本账号未启用事件机器人（WECOM_ALLOWED_CHATS / WECOM_ALLOWED_USERS）';
    expect(await told(new WecomUser(h, 'lisi', 'wrother'))).toContain(refused); // the chat is not listed
    expect(await told(new WecomUser(h, 'wangwu', 'wrallowed'))).toContain(refused); // the user is not listed
    expect(await told(new WecomUser(h, 'lisi'))).toContain(refused); // lisi's one-to-one chat is not listed
    expect(await told(new WecomUser(h, 'lisi'))).toContain('The incident bot is not enabled in this chat or for this account (WECOM_ALLOWED_CHATS / WECOM_ALLOWED_USERS)');
    expect(await h.store.listOpen()).toEqual([]);
    for (const [who, where] of [['lisi', 'wecom:wrother'], ['wangwu', 'wecom:wrallowed'], ['lisi', 'wecom:lisi']]) {
      expect(h.logs).toContain(`wecom: refused a message from ${who} in ${where} (not in WECOM_ALLOWED_CHATS / WECOM_ALLOWED_USERS)`);
    }
    expect(readable((await new WecomUser(h, 'lisi', 'wrallowed').say('/incident new 测试')).markdown)).toContain('已新建事件');
    expect(readable((await new WecomUser(h, 'zhangsan').say('/incident new 测试二')).markdown)).toContain('已新建事件');
  });

  it('logs when another connection with the same Bot ID takes over', async () => {
    h = await Harness.start();
    h.server.kick(); // the client closes the socket itself on this event
    while (!h.logs.some((l) => l.includes('another connection with this Bot ID replaced this one'))) await new Promise((resolve) => setTimeout(resolve, 5));
  });
});

describe('WeCom: refusals on sends (WeCom answers an errcode in the ack)', () => {
  it('retries a reply refused for now (45009 frequency limit, -1 system busy), same stream id, until it goes through', async () => {
    h = await Harness.start();
    h.server.failNext(/^aibot_respond_msg$/, 45009, 'api freq out of limit');
    h.server.failNext(/^aibot_respond_msg$/, -1, 'system busy');
    const r = await new WecomUser(h).say('/incident new 测试');
    expect(readable(r.markdown)).toContain('已新建事件');
    const attempts = h.server.framesIn.filter((f) => f.cmd === 'aibot_respond_msg');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((f) => (f.body!.stream as { id: string }).id)).size).toBe(1);
    expect(h.logs.some((l) => l.includes('errcode 45009 (api freq out of limit); trying again'))).toBe(true);
  });

  it('gives up on a reply still refused after the retries, and says so in the log', async () => {
    h = await Harness.start({ retry: { retries: 2 } });
    h.server.failNext(/^aibot_respond_msg$/, 45009, 'api freq out of limit', 3);
    expect(await new WecomUser(h).sayAll('/incident new 测试')).toEqual([]);
    expect(h.logs.some((l) => /was not delivered \(aibot_respond_msg: WeCom answered errcode 45009 .*after 3 attempts\); giving up/.test(l))).toBe(true);
    expect((await h.store.listOpen()).length).toBe(1); // the command itself was recorded
  });

  it('pushes the answer to the chat when the reply is refused for good (the callback no longer takes one)', async () => {
    h = await Harness.start();
    h.server.failNext(/^aibot_respond_msg$/, 40008, 'invalid req_id');
    const sent = await new WecomUser(h).sayAll('/incident new 测试');
    expect(sent.map((m) => [m.op, m.msgtype])).toEqual([['send', 'markdown'], ['send', 'template_card']]);
    expect(readable(sent[0]!.markdown)).toContain('已新建事件');
  });

  it('a reminder WeCom refuses is kept by the ticker and sent on a later tick', async () => {
    h = await Harness.start();
    const alice = new WecomUser(h, 'zhangsan', 'wrgroup01');
    await alice.say('/incident new 测试');
    await alice.say('/incident set 重要数据 不确定');
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    h.server.failNext(/^aibot_send_msg$/, 45009, 'api freq out of limit');
    const failed = await ticker.tick();
    expect(failed.sent).toEqual([]);
    expect(failed.failed).toHaveLength(1);
    h.clock.set('2026-11-30T14:31:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    expect(h.server.sent.at(-2)).toMatchObject({ op: 'send', chatId: 'wrgroup01', msgtype: 'markdown' });
    expect(h.server.last()).toMatchObject({ op: 'send', chatId: 'wrgroup01', msgtype: 'template_card' }); // its acknowledge button
  });
});

describe('WeCom: the written report as a file', () => {
  it('uploads the DOCX over the connection (init, chunks, finish) and sends it as a file message', async () => {
    const files: Array<Extract<Reply, { type: 'file' }>> = [];
    const keep = (bot: Bot): Bot => ({ ...bot, async handle(input) { const r = await bot.handle(input); for (const x of r) if (x.type === 'file') files.push(x); return r; } });
    h = await Harness.start({ wrapBot: keep });
    const alice = new WecomUser(h);
    await alice.say('/incident new 网上银行登录失败');
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => [m.op, m.msgtype])).toEqual([['reply', 'stream'], ['send', 'file']]);
    expect(readable(sent[0]!.markdown)).toContain('📎 INC-20261130-01 事后调查总结报告（Word，待签发盖章）');
    const file = sent[1]!.file!;
    expect(file.filename).toMatch(/^INC-20261130-01-final-20261130\.docx$/);
    expect(file.data.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(file.data.equals(Buffer.from(files[0]!.data))).toBe(true);
  });

  it('says in the chat when the file could not be sent', async () => {
    h = await Harness.start({ retry: { retries: 0 } });
    const alice = new WecomUser(h);
    await alice.say('/incident new 网上银行登录失败');
    h.server.failNext(/^aibot_upload_media_init$/, 40008, 'invalid file type');
    const sent = await alice.sayAll('/incident draft final docx');
    expect(sent.map((m) => [m.op, m.msgtype])).toEqual([['reply', 'stream'], ['send', 'markdown']]);
    expect(readable(sent[1]!.markdown)).toMatch(/✗ 文件 INC-20261130-01-final-20261130\.docx 未能发送到企业微信/);
  });
});

describe('WeCom: settings', () => {
  const base = { WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret };
  it.each([
    [{ WECOM_BOT_ID: '' }, /WECOM_BOT_ID is required/],
    [{ WECOM_BOT_SECRET: '  ' }, /WECOM_BOT_SECRET is required/],
    [{ WECOM_WS_URL: 'https://openws.work.weixin.qq.com' }, /WECOM_WS_URL must be a ws:\/\/ or wss:\/\/ URL/],
    [{ WECOM_WS_URL: 'not a url' }, /WECOM_WS_URL must be a URL/],
    [{ WECOM_ALLOWED_CHATS: 'wr1, 群 名' }, /WECOM_ALLOWED_CHATS expects group chat ids/],
    [{ WECOM_CA_FILE: '/nonexistent/ca.pem' }, /WECOM_CA_FILE cannot be read \(ENOENT\)/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of debug, info, warn, error/],
  ])('refuses %o naming the variable, without its value', (bad, message) => {
    const run = () => readWecomSettings({ ...base, ...bad });
    expect(run).toThrow(PlatformConfigError);
    expect(run).toThrow(message);
    try { run(); } catch (e) { expect((e as Error).message).not.toContain(CREDS.secret); }
  });

  it('reads a private deployment\'s endpoint and the allow-lists', () => {
    const s = readWecomSettings({ ...base, WECOM_WS_URL: 'wss://wecom.bank.internal/ws', WECOM_ALLOWED_CHATS: 'wecom:wr1;wr2', WECOM_ALLOWED_USERS: 'zhangsan' });
    expect(s).toMatchObject({ wsUrl: 'wss://wecom.bank.internal/ws', allowedChats: new Set(['wr1', 'wr2']), allowedUsers: new Set(['zhangsan']), logLevel: 'info' });
    expect(readWecomSettings(base).wsUrl).toBe('wss://openws.work.weixin.qq.com');
  });
});

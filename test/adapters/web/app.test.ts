// The web page's access rules and pieces without a browser: settings, trusted-proxy mode, cookies over
// HTTPS, token purposes, the chart's time zone, and `/incident web` on each platform.
import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp } from '../../../adapters/web/app.ts';
import { createLinkIssuer } from '../../../adapters/web/auth.ts';
import { timelineSvg } from '../../../adapters/web/chart.ts';
import { readWebSettings } from '../../../adapters/web/settings.ts';
import { splitReplies } from '../../../adapters/slack/transport/deliver.ts';
import { createBot } from '../../../src/bot.ts';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { fold } from '../../../src/incident/state.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { timelineModel } from '../../../src/web/model.ts';
import { botConfig, FakeChat, FixedClock } from '../../fakes/chat.ts';
import { assertWellFormedXml } from '../../reports/zip.ts';
import { FeishuUser, Harness } from '../feishu/harness.ts';
import { Harness as WecomHarness, WecomUser, readable } from '../wecom/harness.ts';
import { DingtalkUser, Harness as DingtalkHarness } from '../dingtalk/harness.ts';
import { startHarness as startSlackHarness } from '../../fakes/slack-harness.ts';
import { SECRET, WALKTHROUGH } from './harness.ts';

const NOW = '2026-11-30T09:00:00+08:00';

function app(opts: { remote?: string; proxies?: string[]; officers?: string[] } = {}) {
  const clock = new FixedClock(parseIso(NOW));
  const store = createSqliteStore(':memory:');
  const config = botConfig();
  config.institution.complianceOfficers = opts.officers ?? [];
  const web = createWebApp({
    store, config, now: clock.now, secret: SECRET, sessionTtlMs: 3600_000,
    trustedProxies: new Set(opts.proxies ?? []), proxyUserHeader: opts.proxies ? 'X-Forwarded-User' : null,
    remoteAddress: () => opts.remote ?? '127.0.0.1',
  });
  return { web, clock, store, issue: createLinkIssuer({ secret: SECRET, baseUrl: 'https://compliance.example', linkTtlMs: 600_000, now: clock.now }) };
}

describe('settings', () => {
  it('needs a long WEB_SECRET, names the variable and never echoes it', () => {
    expect(() => readWebSettings({ WEB_PORT: '8080' })).toThrow(/WEB_SECRET is required/);
    try {
      readWebSettings({ WEB_PORT: '8080', WEB_SECRET: 'short-secret-value' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/WEB_SECRET must be at least 32 characters/);
      expect((e as Error).message).not.toContain('short-secret-value');
    }
    expect(() => readWebSettings({ WEB_PORT: '8080', WEB_SECRET: SECRET, WEB_TRUSTED_PROXIES: '10.0.0.1' })).toThrow(/WEB_PROXY_USER_HEADER go together/);
    expect(() => readWebSettings({ WEB_PORT: '8080', WEB_SECRET: SECRET, WEB_TRUSTED_PROXIES: 'proxy.internal', WEB_PROXY_USER_HEADER: 'X-User' })).toThrow(/WEB_TRUSTED_PROXIES expects IP addresses/);
    expect(readWebSettings({ WEB_PORT: '8080', WEB_SECRET: SECRET })).toMatchObject({ host: '127.0.0.1', linkTtlMs: 600_000, baseUrl: null });
  });
});

describe('access', () => {
  it('believes the user header only from an allow-listed proxy address', async () => {
    const trusted = app({ remote: '::ffff:10.0.0.5', proxies: ['10.0.0.5'], officers: ['proxy:jane<b>'] });
    const ok = await trusted.web.request('/now', { headers: { 'X-Forwarded-User': 'jane<b>' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('已登录：proxy:jane&lt;b&gt;');
    // A proxy user not on the compliance officer list sees a page that says so, and no incident.
    const notListed = await trusted.web.request('/now', { headers: { 'X-Forwarded-User': 'mallory' } });
    expect(notListed.status).toBe(403);
    const body = await notListed.text();
    expect(body).toContain('proxy:mallory 不在机构配置文件的合规人员名单（complianceOfficers）中');
    expect(body).not.toContain('id="incidents"');
    const spoofed = app({ remote: '10.0.0.6', proxies: ['10.0.0.5'] });
    expect((await spoofed.web.request('/now', { headers: { 'X-Forwarded-User': 'jane' } })).status).toBe(401);
    const off = app({ remote: '10.0.0.5' });
    expect((await off.web.request('/now', { headers: { 'X-Forwarded-User': 'jane' } })).status).toBe(401);
  });

  it('sets a Secure, HttpOnly, SameSite=Strict cookie over HTTPS; a session is not a link, nor a link a session', async () => {
    const a = app();
    const link = a.issue({ user: 'slack:U1', lang: 'zh-CN' });
    const res = await a.web.request(link.replace('https://compliance.example', 'https://page.example'));
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/pboc_web_session=[^;]+; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    const session = /pboc_web_session=([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!;
    expect((await a.web.request(`/login?t=${session}`)).status).toBe(401);
    const token = new URL(a.issue({ user: 'slack:U1', lang: 'zh-CN' })).searchParams.get('t')!;
    expect((await a.web.request('/now', { headers: { cookie: `pboc_web_session=${token}` } })).status).toBe(401);
    expect((await a.web.request('/now', { headers: { cookie: `pboc_web_session=${session}` } })).status).toBe(200);
    a.clock.advanceMinutes(61); // the session lasts sessionTtlMs, by the injected clock
    expect((await a.web.request('/now', { headers: { cookie: `pboc_web_session=${session}` } })).status).toBe(401);
  });

  it('a HEAD of the link leaves it usable; X-Forwarded-Proto from the trusted proxy is read in any case, first value', async () => {
    const a = app({ remote: '10.0.0.5', proxies: ['10.0.0.5'] });
    const link = a.issue({ user: 'slack:U1', lang: 'zh-CN' }).replace('https://compliance.example', 'http://page.internal');
    expect((await a.web.request(link, { method: 'HEAD' })).status).toBe(200);
    expect((await a.web.request(link, { method: 'HEAD' })).status).toBe(200);
    for (const proto of ['HTTPS', 'https, http', ' Https ,http']) {
      const l = a.issue({ user: 'slack:U1', lang: 'zh-CN' }).replace('https://compliance.example', 'http://page.internal');
      const res = await a.web.request(l, { headers: { 'X-Forwarded-Proto': proto } });
      expect(res.status, proto).toBe(303);
      expect(res.headers.get('set-cookie'), proto).toContain('; Secure');
    }
    const first = await a.web.request(link, { headers: { 'X-Forwarded-Proto': 'http, https' } });
    expect(first.status).toBe(303); // the link the HEADs left alone still signs in, once
    expect(first.headers.get('set-cookie')).not.toContain('Secure');
    expect((await a.web.request(link)).status).toBe(401);
  });
});

describe('timeline chart', () => {
  it('is well-formed SVG whose times are Beijing times in any process time zone', async () => {
    const chat = await FakeChat.start(NOW);
    await chat.say('/incident new 网上银行登录失败');
    await chat.answers(...WALKTHROUGH);
    const stored = await chat.store.load('INC-20261130-01');
    const events = stored!.events.map((e) => e.event as IncidentEvent);
    const svg = timelineSvg(timelineModel(fold(events), events, chat.clock.ms, 'zh-CN', botConfig()), 'zh-CN');
    assertWellFormedXml(svg);
    // The brief report is due 1 h after 09:00 Beijing time, whatever TZ this process runs in.
    expect(svg).toMatch(/>事发简要报告<\/text>[\s\S]*?>11-30 10:00<\/text>/);
    expect(svg).toContain('>12-01 09:00</text>');
  });
});

describe('/incident web revoke', () => {
  it('a compliance officer ends another person\'s sessions at once; anyone else is refused', async () => {
    const { startWebHarness, linkFrom } = await import('./harness.ts');
    const h = await startWebHarness(NOW, {}, { officers: ['console:alice'] });
    try {
      const bob = new FakeChat(h.chat.bot, h.store, h.clock, 'console:ops', 'console:bob');
      const res = await fetch(await linkFrom(bob), { redirect: 'manual' });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${h.url}/now`, { headers: { cookie } })).status).toBe(200);
      await bob.say('/incident web revoke console:alice').expectError('只有机构配置文件中的合规人员（complianceOfficers）可以撤销');
      await h.chat.say('/incident web revoke console:bob').expectReply('已撤销 console:bob 的全部合规视图登录');
      expect((await fetch(`${h.url}/now`, { headers: { cookie } })).status).toBe(401);
      await h.chat.say('/incident web revoke console:bob').expectReply('console:bob 当前没有合规视图登录');
    } finally {
      await h.close();
    }
  });
});

describe('/incident web', () => {
  let h: Harness | null = null;
  afterEach(async () => { await h?.close(); h = null; });

  it('says the page is off when it is, in the user\'s language', async () => {
    const chat = await FakeChat.start(NOW);
    await chat.say('/incident web').expectError('HTTP_PORT 和 WEB_SECRET');
    await chat.say('/incident lang en');
    await chat.say('/incident web').expectError('sets HTTP_PORT and WEB_SECRET');
    await chat.say('/incident help').expectReply(/web\s+a single-use sign-in link/);
  });

  it('is private: ephemeral on Slack, a direct message on Feishu, never in the group chat', async () => {
    const clock = new FixedClock(parseIso(NOW));
    const webLink = createLinkIssuer({ secret: SECRET, baseUrl: 'http://127.0.0.1:9', linkTtlMs: 600_000, now: clock.now });
    const store = createSqliteStore(':memory:');
    const chat = new FakeChat(createBot({ store, config: botConfig(), now: clock.now, webLink }), store, clock);
    const replies = await chat.say('/事件 网页').replies;
    expect(splitReplies(replies)).toEqual({ channel: [], user: replies });
    const slack = await startSlackHarness({ mode: 'http', nowIso: NOW, botDeps: { webLink } });
    try {
      await slack.slackDriver.commandLine('web');
      expect(slack.api.channelMessages('C1')).toEqual([]);
      expect(slack.api.callsTo('response_url').at(-1)!.body).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(slack.api.callsTo('response_url').at(-1)!.body)).toContain('/login?t=');
      expect(slack.logs.join('\n')).not.toContain('/login?t=');
    } finally {
      await slack.stop();
    }

    h = await Harness.start({ botDeps: { webLink } });
    const alice = new FeishuUser(h, 'ou_alice', 'oc_incident', 'group');
    await alice.sayAll('@_user_1 /incident web', { mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'PBoC incident bot' }] });
    const direct = h.api.sent.filter((m) => m.receiveIdType === 'open_id');
    expect(direct).toHaveLength(1);
    expect(direct[0]).toMatchObject({ op: 'create', target: 'ou_alice', msgType: 'interactive' }); // a card, as every answer on Feishu
    expect(JSON.stringify(direct[0]!.content)).toContain('/login?t=');
    expect(h.api.sent.filter((m) => m.receiveIdType !== 'open_id' && JSON.stringify(m.content).includes('/login?t='))).toEqual([]);
    expect(h.logs.join('\n')).not.toContain('/login?t='); // a live sign-in link is a credential: never logged

    // WeCom answers in the chat the message came from: a group gets a refusal that says where to ask instead.
    const w = await WecomHarness.start({ botDeps: { webLink } });
    try {
      const got = await new WecomUser(w, 'zhangsan', 'wrgroupIncident01').say('/incident web');
      expect(readable(got.markdown)).toContain('登录链接不能发到群里');
      expect(readable(got.markdown)).not.toContain('/login?t=');
    } finally {
      await w.close();
    }

    // DingTalk: asked in a group, the link goes to the asker one-to-one through the robot's batch send.
    const d = await DingtalkHarness.start({ botDeps: { webLink } });
    try {
      const sent = await new DingtalkUser(d, 'staff_alice', '2', 'cidGroupIncident==').sayAll('/incident web');
      expect(sent.filter((m) => JSON.stringify(m.content).includes('/login?t=')).map((m) => [m.op, m.target])).toEqual([['user', 'staff_alice']]);
      expect(d.logs.join('\n')).not.toContain('/login?t=');
    } finally {
      await d.close();
    }
  });
});

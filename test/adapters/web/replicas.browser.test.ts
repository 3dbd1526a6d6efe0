// The compliance page as it ships: two replicas of `npm start` (the compiled build in dist/, built once by the
// test setup) on one SQLite ledger, read in a real headless Chromium. A person signed in from one channel sees only
// that channel's incidents, ledger rows, CSV and dossiers; a compliance officer sees all; logout on one replica ends
// the session on the other; a change recorded on one replica shows on the other's next request; and the pages are
// readable (content column width, chart labels, every deadline on the chart, amber for awaiting confirmation).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkIssuer, type WebUser } from '../../../adapters/web/auth.ts';
import { metaOf } from '../../../src/incident/stored.ts';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { fold } from '../../../src/incident/state.ts';
import { parseCsv } from '../../../src/ledger/export.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { chromiumAvailable, launchBrowser } from '../../fakes/browser.ts';
import { SECRET } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = chromiumAvailable();
const CA = 'slack:T1:CA';
const CB = 'slack:T1:CB';
const T = (iso: string) => parseIso(iso);

/** Incidents in two channels: A (an email report awaiting confirmation), B, and C in channel A, occurred in October, reported in November. */
async function seed(path: string): Promise<void> {
  const store = createSqliteStore(path);
  const add = async (id: string, title: string, conversation: string, occurred: string, reports: Array<{ id: string; kind: 'brief' | 'incident'; channel: 'email' | 'phone'; at: string }>) => {
    const at = T(occurred);
    const events: IncidentEvent[] = [
      { type: 'created', id, title, conversation, at, actor: 'slack:U0' },
      { type: 'fact-set', path: 'occurredAt', value: at, at, actor: 'slack:U0' },
      { type: 'grade-raised', from: null, to: '较大', effectiveAt: at, basis: [{ article: 9, item: 2, grade: '较大', reason: '主要功能中断' }], at, actor: 'bot' },
      ...reports.map((r): IncidentEvent => ({ type: 'report-submitted', reportId: r.id, kind: r.kind, channel: r.channel, recipient: '中国人民银行上海总部', at: T(r.at), actor: 'slack:U0' })),
    ];
    await store.append(id, 0, events, metaOf(fold(events)));
  };
  await add('INC-20261130-01', '甲渠道：网上银行登录失败', CA, '2026-11-30T07:30:00+08:00', [{ id: 'R1', kind: 'brief', channel: 'email', at: '2026-11-30T08:10:00+08:00' }]);
  await add('INC-20261130-02', '乙渠道：核心系统中断', CB, '2026-11-30T07:45:00+08:00', [{ id: 'R1', kind: 'brief', channel: 'phone', at: '2026-11-30T08:20:00+08:00' }]);
  await add('INC-20261028-01', '甲渠道：十月事件', CA, '2026-10-28T10:00:00+08:00', [
    { id: 'R1', kind: 'brief', channel: 'phone', at: '2026-11-02T10:00:00+08:00' },
    { id: 'R2', kind: 'incident', channel: 'phone', at: '2026-11-03T10:00:00+08:00' },
  ]);
  for (const prefix of ['INC-20261130', 'INC-20261130', 'INC-20261028']) await store.nextSequence(prefix); // as the bot would have numbered them
  await store.close();
}

interface Replica { child: ChildProcessWithoutNullStreams; url: string; io: { out: string; err: string }; until(f: () => boolean, what: string): Promise<void> }

async function startReplica(env: NodeJS.ProcessEnv): Promise<Replica> {
  const child = spawn(process.execPath, ['bin/start.js'], { cwd: ROOT, env });
  const io = { out: '', err: '' };
  child.stdout.on('data', (b: Buffer) => { io.out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { io.err += b.toString(); });
  const until = async (f: () => boolean, what: string) => {
    while (!f()) {
      if (child.exitCode !== null) throw new Error(`replica exited ${child.exitCode} before ${what}:\n${io.err}`);
      await new Promise((r) => { child.stdout.once('data', r); child.stderr.once('data', r); child.once('exit', r); });
    }
  };
  await until(() => /web page: on http:\/\/127\.0\.0\.1:\d+/.test(io.err), 'the page listening');
  return { child, io, until, url: /web page: on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.err)![1]! };
}

describe.skipIf(!run)('the shipped page, two replicas, in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-web-replicas-'));
  let one: Replica;
  let two: Replica;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  const link = (r: Replica, who: WebUser) => createLinkIssuer({ secret: SECRET, baseUrl: r.url, linkTtlMs: 600_000, now: Date.now })(who);

  beforeAll(async () => {
    const db = join(dir, 'ledger.db');
    await seed(db);
    const config = join(dir, 'institution.yaml');
    copyFileSync(join(ROOT, 'config/institution.example.yaml'), config);
    appendFileSync(config, '\ncomplianceOfficers: [slack:UADMIN, proxy:auditor]\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env, SQLITE_PATH: db, STORE_CREATE: '1', INSTITUTION_CONFIG: config, HTTP_PORT: '0', WEB_SECRET: SECRET,
      BOT_CLOCK_START: '2026-11-30T09:00+08:00', WEB_TRUSTED_PROXIES: '127.0.0.1', WEB_PROXY_USER_HEADER: 'X-Forwarded-User',
    };
    for (const k of ['REDIS_URL', 'SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'WECOM_BOT_ID', 'DINGTALK_CLIENT_ID', 'WEB_PORT']) delete env[k];
    [one, two] = await Promise.all([startReplica(env), startReplica(env)]);
    browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    context = browser.context;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const r of [one, two]) if (r && r.child.exitCode === null) await new Promise((resolve) => { r.child.once('exit', resolve); r.child.stdin.end(); });
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(page: Page, r: Replica, who: WebUser) {
    await context.clearCookies();
    const res = await page.goto(link(r, who));
    expect(res!.status()).toBe(200);
  }

  it('a person from channel A sees A\'s incidents, ledger rows, CSV and dossier, and none of channel B\'s', async () => {
    const page = await context.newPage();
    await signIn(page, one, { user: 'slack:UA', lang: 'zh-CN', conversation: CA });
    await expect(page.locator('#incidents').textContent()).resolves.toContain('甲渠道：网上银行登录失败');
    await expect(page.locator('#incidents').textContent()).resolves.not.toContain('乙渠道');
    await expect(page.locator('#scope').textContent()).resolves.toContain(CA);
    expect((await page.goto(`${one.url}/incidents/INC-20261130-02`))!.status()).toBe(404);
    expect((await page.goto(`${one.url}/incidents/INC-20261130-02/chart.svg`))!.status()).toBe(404);
    await page.goto(`${one.url}/ledger?from=2026-11-01&to=2026-11-30`);
    const ledger = await page.locator('#ledger').textContent();
    expect(ledger).toContain('INC-20261130-01');
    expect(ledger).not.toContain('INC-20261130-02');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(rows.map((r) => r.incidentId).sort()).toEqual(['INC-20261028-01', 'INC-20261028-01', 'INC-20261130-01']);
    const other = await page.request.get(`${one.url}/incidents/INC-20261130-02/dossier.zip`);
    expect(other.status()).toBe(404);
    const own = await page.request.get(`${one.url}/incidents/INC-20261130-01/dossier.zip`);
    expect(own.status()).toBe(200);
    const zip = await JSZip.loadAsync(await own.body());
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['manifest.json', 'manifest.txt', 'timeline.html', 'reports/R1.txt', 'ledger.csv', 'events.json', 'drafts/final.docx']));
    await page.close();
  });

  it('a HEAD of the link (a preview, a mail scanner) leaves it usable; X-Forwarded-Proto: HTTPS from the proxy gives a Secure cookie', async () => {
    const page = await context.newPage();
    await context.clearCookies();
    const url = link(one, { user: 'slack:UA', lang: 'zh-CN', conversation: CA });
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    expect((await page.goto(url))!.status()).toBe(200);
    await expect(page.locator('#incidents').textContent()).resolves.toContain('甲渠道');
    const proxied = await fetch(link(one, { user: 'slack:UA', lang: 'zh-CN', conversation: CA }), { redirect: 'manual', headers: { 'X-Forwarded-Proto': 'HTTPS, http' } });
    expect(proxied.status).toBe(303);
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/);
    await page.close();
  });

  it('a second `/incident web` from channel B adds B to the same person\'s session', async () => {
    const page = await context.newPage();
    await signIn(page, one, { user: 'slack:UA', lang: 'zh-CN', conversation: CA });
    await page.goto(link(one, { user: 'slack:UA', lang: 'zh-CN', conversation: CB }));
    const text = await page.locator('#incidents').textContent();
    expect(text).toContain('甲渠道');
    expect(text).toContain('乙渠道');
    await page.close();
  });

  it('a compliance officer sees every channel; a proxy user not on the list sees a page that says so', async () => {
    const page = await context.newPage();
    await signIn(page, two, { user: 'slack:UADMIN', lang: 'zh-CN', conversation: 'slack:T1:CX' });
    const text = await page.locator('#incidents').textContent();
    expect(text).toContain('甲渠道');
    expect(text).toContain('乙渠道');
    expect((await page.request.get(`${two.url}/incidents/INC-20261130-02/dossier.zip`)).status()).toBe(200);
    const stranger = await fetch(`${two.url}/now`, { headers: { 'X-Forwarded-User': 'visitor' } });
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).toContain('proxy:visitor 不在机构配置文件的合规人员名单（complianceOfficers）中');
    expect((await fetch(`${two.url}/now`, { headers: { 'X-Forwarded-User': 'auditor' } })).status).toBe(200);
    await page.close();
  });

  it('logout on one replica ends the session on the other at once', async () => {
    const page = await context.newPage();
    await signIn(page, one, { user: 'slack:UA', lang: 'zh-CN', conversation: CA });
    const [cookie] = await context.cookies(one.url);
    expect((await page.goto(`${two.url}/now`))!.status()).toBe(200); // the session is the store's: both replicas know it
    await page.goto(`${one.url}/logout`);
    await expect(page.locator('#logged-out').textContent()).resolves.toContain('已退出登录');
    await context.addCookies([{ ...cookie!, sameSite: 'Strict' }]); // the old cookie, kept by someone
    const after = await page.goto(`${two.url}/now`);
    expect(after!.status()).toBe(401);
    await page.close();
  });

  it('a report recorded on one replica shows on the other\'s next request', async () => {
    const page = await context.newPage();
    await signIn(page, two, { user: 'slack:UADMIN', lang: 'zh-CN', conversation: 'console:local' });
    one.child.stdin.write('/incident new 控制台事件\n');
    await one.until(() => /INC-20261130-03/.test(one.io.out), 'the console incident');
    await page.reload(); // replica two, the incident replica one opened
    await expect(page.locator('section.incident[data-incident="INC-20261130-03"] h3').textContent()).resolves.toContain('控制台事件');
    await page.goto(`${two.url}/incidents/INC-20261130-03`); // replica two's read model now holds it
    await expect(page.locator('#log').textContent()).resolves.not.toContain('R1');
    const before = one.io.out.length;
    one.child.stdin.write('/incident report brief via phone contact 王五\n');
    await one.until(() => /已记录 R1/.test(one.io.out.slice(before)), 'the report recorded');
    await page.reload();
    await expect(page.locator('#log').textContent()).resolves.toContain('R1 事发简要报告，电话报送');
    await page.close();
  });

  it('reads well: content column ≥ 300 px at 1280, chart labels apart and inside, awaiting confirmation amber, by report date lists each report, a bad date is said', async () => {
    const page = await context.newPage();
    await signIn(page, one, { user: 'slack:UADMIN', lang: 'zh-CN', conversation: CA });
    await page.goto(`${one.url}/ledger?from=2026-11-01&to=2026-11-30&by=report`);
    const width = await page.locator('#ledger td.col-summary').first().evaluate((td) => td.getBoundingClientRect().width);
    expect(width).toBeGreaterThanOrEqual(300);
    expect(await page.locator('#ledger tbody.ledger-row[data-incident="INC-20261028-01"]').count()).toBe(2); // each report sent in November
    await page.goto(`${one.url}/ledger?from=2026-11-01&to=2026-11-30&by=occurrence`);
    expect(await page.locator('#ledger tbody.ledger-row[data-incident="INC-20261028-01"]').count()).toBe(0); // it occurred in October
    const bad = await page.goto(`${one.url}/ledger?from=2026-13-01`);
    expect(bad!.status()).toBe(400);
    await expect(page.locator('#bad-param').textContent()).resolves.toContain('日期');

    await page.goto(`${one.url}/incidents/INC-20261130-01`);
    const brief = page.locator('#deadlines tr[data-kind="brief"]');
    await expect(brief.getAttribute('class')).resolves.toBe('awaiting');
    expect(await brief.locator('td').first().evaluate((td) => getComputedStyle(td).color)).toBe('rgb(154, 91, 0)');

    await page.goto(`${one.url}/incidents/INC-20261130-01/chart.svg`);
    const boxes = await page.locator('svg text').evaluateAll((els) => els
      .map((e) => ({ text: e.textContent ?? '', ...(e as SVGGraphicsElement).getBoundingClientRect().toJSON() as DOMRect }))
      .filter((b) => b.text.trim() !== '' && b.width > 0));
    const svg = await page.locator('svg').first().evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
    for (const [i, a] of boxes.entries()) {
      expect(a.left >= svg.left && a.right <= svg.right && a.top >= svg.top && a.bottom <= svg.bottom, `${a.text} inside the chart`).toBe(true);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        expect(overlap, `"${a.text}" and "${b.text}" overlap`).toBe(false);
      }
    }
    for (const label of ['事发简要报告', '事发报告']) expect(boxes.some((b) => b.text.includes(label)), label).toBe(true);
    await page.close();
  });
});

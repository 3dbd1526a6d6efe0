// The compliance page in a real headless Chromium: sign in by the link the bot sent in chat, watch an
// incident made in chat appear with its deadlines, an Art. 18 confirmation leave the waiting list, download
// the ledger; and expired, reused and forged credentials refused. Time is the FixedClock's throughout.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { parseCsv } from '../../../src/ledger/export.ts';
import { chromiumAvailable, launchBrowser } from '../../fakes/browser.ts';
import { linkFrom, startWebHarness, WALKTHROUGH, type WebHarness } from './harness.ts';

const run = chromiumAvailable();

describe.skipIf(!run)('compliance web page in headless Chromium', () => {
  let h: WebHarness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startWebHarness('2026-11-30T09:00:00+08:00');
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
    // A CSP violation or a script error shows up here (e.g. an inline script the policy refused).
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('refuses every page without a session: 401 and how to sign in', async () => {
    for (const path of ['/now', '/ledger', '/ledger.csv?from=2026-11-01&to=2026-11-30', '/ledger.xlsx', '/incidents/INC-20261130-01', '/incidents/INC-20261130-01/chart.svg', '/']) {
      const res = await page.goto(`${h.url}${path}`);
      expect(res!.status(), path).toBe(401);
      await expect(page.locator('#auth-reason').textContent()).resolves.toContain('/incident web');
    }
  });

  it('signs in by the link the bot sent privately, then shows an incident made in chat with its deadlines', async () => {
    const link = await linkFrom(h.chat);
    const res = await page.goto(link);
    expect(res!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/now'); // the token leaves the address bar
    await expect(page.locator('#incidents').textContent()).resolves.toContain('当前没有未结束的事件');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'pboc_web_session', httpOnly: true, sameSite: 'Strict', secure: false });
    expect(res!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res!.headers()['x-frame-options']).toBe('DENY');

    await h.chat.say('/incident new 网上银行登录失败 <img src=x id=injected>');
    h.clock.advanceMinutes(2);
    await h.chat.answers(...WALKTHROUGH);
    await page.reload();
    const section = page.locator('section.incident').first();
    await expect(section.locator('h3').textContent()).resolves.toContain('INC-20261130-01');
    await expect(section.locator('h3').textContent()).resolves.toContain('较大（三级）');
    // The title is shown as text: no element came out of it.
    await expect(section.locator('h3').textContent()).resolves.toContain('<img src=x id=injected>');
    expect(await page.locator('#injected').count()).toBe(0);
    const brief = section.locator('tr[data-kind="brief"]');
    await expect(brief.textContent()).resolves.toMatch(/事发简要报告\s*第十五条\s*2026-11-30 10:02 （北京时间）\s*还剩 1小时/);
    await expect(section.locator('tr[data-kind="incident"]').textContent()).resolves.toContain('2026-12-01 09:02 （北京时间）');
    await expect(section.locator('ul.basis').first().textContent()).resolves.toContain('第九条第（二）项');

    // An hour and a half later the brief report is overdue, and the page says so in red.
    h.clock.advanceMinutes(90);
    await page.reload();
    await expect(page.locator('tr[data-kind="brief"]').getAttribute('class')).resolves.toContain('overdue');
    await expect(page.locator('tr[data-kind="brief"]').textContent()).resolves.toContain('已逾期 30分钟');
    expect(await page.locator('tr.overdue td').first().evaluate((td) => getComputedStyle(td).color)).toBe('rgb(179, 38, 30)');
  });

  it('lists an email report as awaiting Art. 18 confirmation until it is confirmed in chat', async () => {
    await h.chat.say('/incident report brief via email');
    await page.reload();
    await expect(page.locator('#awaiting tr.awaiting-row[data-report="INC-20261130-01/R1"]').textContent()).resolves.toContain('事发简要报告（电子邮件）');
    h.clock.advanceMinutes(20);
    await h.chat.say('/incident confirm R1 by phone contact 张三');
    await page.reload();
    expect(await page.locator('tr.awaiting-row').count()).toBe(0);
    await expect(page.locator('#awaiting').textContent()).resolves.toContain('没有待确认收悉的报送');
  });

  it('shows the timeline with its server-rendered chart, and keeps a drill apart', async () => {
    await page.click('a[href="/incidents/INC-20261130-01"] >> nth=0');
    await expect(page.locator('h1').textContent()).resolves.toContain('INC-20261130-01 时间线');
    const log = await page.locator('#log').textContent();
    expect(log).toContain('console:alice');
    expect(log).toContain('R1 已由 张三 通过电话确认收悉');
    const chart = page.locator('img.chart');
    await chart.evaluate((img: HTMLImageElement) => img.decode());
    expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200);

    await h.drillChat.say('/incident new 演练：核心系统中断');
    await page.goto(`${h.url}/now`);
    await expect(page.locator('#drills section.incident.drill h3').textContent()).resolves.toMatch(/演练\s*DRILL-20261130-01/);
    await expect(page.locator('#incidents').textContent()).resolves.not.toContain('DRILL-');
  });

  it('downloads the ledger CSV the CLI makes, and switches to English', async () => {
    await page.goto(`${h.url}/ledger?from=2026-11-01&to=2026-11-30`);
    await expect(page.locator('#ledger').textContent()).resolves.toContain('张三');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(download.suggestedFilename()).toBe('ledger-2026-11-01-2026-11-30.csv');
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(rows).toHaveLength(1); // the drill is not in the ledger
    expect(rows[0]).toMatchObject({ incidentId: 'INC-20261130-01', reportId: 'R1', pbocContact: '张三', channel: '电子邮件' });

    await page.click('#lang-switch');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toContain('Ledger (Art. 25): 2026-11-01 to 2026-11-30');
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it('refuses a reused link, an expired link and a forged cookie', async () => {
    const other = await launchBrowser();
    try {
      const p = await other.context.newPage();
      const link = await linkFrom(h.chat);
      expect((await p.goto(link))!.status()).toBe(200);
      await other.context.clearCookies();
      const again = await p.goto(link);
      expect(again!.status()).toBe(401);
      await expect(p.locator('#auth-reason').getAttribute('data-reason')).resolves.toBe('used');

      const late = await linkFrom(h.chat);
      h.clock.advanceMinutes(11);
      expect((await p.goto(late))!.status()).toBe(401);
      await expect(p.locator('#auth-reason').getAttribute('data-reason')).resolves.toBe('expired');

      // A session cookie for another user, its signature from a real one: refused.
      const [real] = await context.cookies();
      const [, sig] = real!.value.split('.');
      const body = Buffer.from(JSON.stringify({ u: 'slack:UEVIL', l: 'zh-CN', e: h.clock.ms + 3600_000 })).toString('base64url');
      await other.context.addCookies([{ name: 'pboc_web_session', value: `${body}.${sig}`, url: h.url }]);
      expect((await p.goto(`${h.url}/now`))!.status()).toBe(401);
    } finally {
      await other.close();
    }
  }, 120_000);
});

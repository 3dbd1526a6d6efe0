// Screenshots of the web page's three pages for the README and docs/operators/web-page.md, taken by the same headless Chromium as the tests:
//   node --import tsx scripts/web-screenshots.ts   ->   docs/screenshots/{now,timeline,ledger}-{1280,1920}.png
// The incidents are made through the real bot on a fixed clock (2026-11-30), so the pictures are reproducible;
// the reader is a compliance officer (every conversation).
import { mkdirSync } from 'node:fs';
import { launchBrowser } from '../test/fakes/browser.ts';
import { FakeChat } from '../test/fakes/chat.ts';
import { linkFrom, startWebHarness, WALKTHROUGH } from '../test/adapters/web/harness.ts';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const h = await startWebHarness('2026-11-30T09:00:00+08:00', {}, { officers: ['console:alice'] });
try {
  await h.chat.say('/incident new 网上银行登录失败');
  await h.chat.answers(...WALKTHROUGH);
  h.clock.advanceMinutes(25);
  await h.chat.say('/incident report brief via email to 中国人民银行上海总部 contact 人民银行接报联系人王五');
  h.clock.advanceMinutes(10);
  await h.chat.say('/incident confirm R1 by phone contact 张三');
  h.clock.advanceMinutes(5);
  await h.chat.say('/incident report incident via fax');

  h.clock.advanceMinutes(10);
  const other = new FakeChat(h.chat.bot, h.store, h.clock, 'console:ops', 'console:bob');
  await other.say('/incident new 客户信息疑似泄露');
  await other.say('/incident set 个人信息 60000');
  await h.drillChat.say('/incident new 演练：核心系统中断');
  h.clock.advanceMinutes(75); // the second incident's brief report is now overdue

  for (const width of [1280, 1920]) {
    const browser = await launchBrowser({ viewport: { width, height: 1000 } });
    try {
      const page = await browser.context.newPage();
      await page.goto(await linkFrom(h.chat));
      await page.screenshot({ path: `${out}/now-${width}.png`, fullPage: true });
      await page.goto(`${h.url}/incidents/INC-20261130-01`);
      await page.locator('img.chart').evaluate((img: HTMLImageElement) => img.decode());
      await page.screenshot({ path: `${out}/timeline-${width}.png`, fullPage: true });
      await page.goto(`${h.url}/ledger?from=2026-11-01&to=2026-11-30`);
      await page.screenshot({ path: `${out}/ledger-${width}.png`, fullPage: true });
    } finally {
      await browser.close();
    }
  }
  process.stdout.write(`screenshots written to ${out}/\n`);
} finally {
  await h.close();
}

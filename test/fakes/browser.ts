// A real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the web page's tests.
// Missing outside CI: the suite is skipped with a loud banner; with CI=true it fails instead.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium; the browser suite must run in CI`);
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!!! BROWSER SUITE SKIPPED: no Chromium at ${CHROMIUM}\n!!! apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH). With CI=true this fails instead.\n${line}\n`);
  return false;
}

/** A fresh browser profile each time (its own --user-data-dir): no cookie survives between contexts. */
export async function launchBrowser(opts: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-chromium-'));
  // Under `npm run test:clock` the suite runs in libfaketime (LD_PRELOAD); Chromium does not start under it, and needs
  // no faked clock: every time on the page is the server's (the injected clock), and Max-Age is relative.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME') && k !== 'DONT_FAKE_MONOTONIC')) as Record<string, string>;
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true, env,
    viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'America/New_York', // the reader's zone must not matter: every time on the page is Beijing time
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

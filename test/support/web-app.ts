// The app in web mode for end-to-end tests: the real server on a fresh library file, with the
// built renderer (npm run build), driven in Debian's Chromium through playwright-core (never a
// downloaded browser). Console errors, page errors and CSP violations are collected so that a
// test can require there were none.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { LecternApi } from '../../common/api.js';
import { createEngineClient } from '../../main/engine/client.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { repoRoot } from './fixtures.js';

export const CHROMIUM = process.env.LECTERN_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const artifactsDir = join(repoRoot, 'artifacts', 'e2e');
export const rendererDir = join(repoRoot, 'renderer', 'dist');

export interface WebApp {
  server: WebServer;
  api: LecternApi;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and CSP violations seen so far. */
  problems: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startWebApp(options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<WebApp> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`${rendererDir} is not built: run npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'));
  // Replaced by createEngineClient() when the engine lands.
  const api = createEngineClient({ dbPath: join(dir, 'library.sqlite') });
  const server = await startWebServer({ api, rendererDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', `--lang=${options.locale ?? 'en-US'}`] });
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', colorScheme: options.colorScheme ?? 'light', viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Any CSP violation becomes a console error, which the tests require there be none of.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  await page.goto(server.url);
  mkdirSync(artifactsDir, { recursive: true });
  return {
    server,
    api,
    browser,
    context,
    page,
    problems,
    async screenshot(name) {
      const path = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
      await server.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

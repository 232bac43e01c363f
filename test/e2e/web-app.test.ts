/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The desktop app's UI end to end, in web mode, in Debian's Chromium: real documents added
// through the page, read by the real model, shown by pdf.js, cited and highlighted. One browser
// and one library for the whole file (the 352-page book is read once); the tests run in order.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasFixture } from '../support/fixtures.js';
import { artifactsDir, hasChromium, startWebApp, type WebApp } from '../support/web-app.js';

const BOOK = 'books/freeculture.pdf';
const ZH = 'zh/civil-code-contracts-zh.md';
const DOCX = 'contracts/common-paper-cloud-service-agreement-with-sla.docx';
const READ_TIMEOUT = 240_000;

let app: WebApp;
let page: Page;

/** The text the citation highlight paints, and the page (PDF) it starts on. */
function painted(p: Page): Promise<{ text: string; page: string | null }> {
  return p.evaluate(() => {
    const h = CSS.highlights.get('lectern-citation');
    const ranges = h ? [...h] : [];
    const first = ranges[0] as Range | undefined;
    const el = first?.startContainer.parentElement?.closest('.page');
    return { text: ranges.map((r) => r.toString()).join(''), page: el?.getAttribute('data-page-number') ?? null };
  });
}

/** Whitespace, hyphens and case out: how a PDF's text layer and Lectern's text compare. */
const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s\u00ad\-‐‑]/g, '').replace(/[’‘]/g, "'").replace(/[“”]/g, '"');

async function addByPicker(rel: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(fixture(rel));
}

/** The library's "Open <title>" button. */
const openButton = (p: Page, title: RegExp) => p.getByRole('button', { name: new RegExp(`^(Open |打开《)${title.source}`, title.flags) });

/** Waits until the library lists the document as read; returns its id. */
async function waitUntilRead(title: RegExp): Promise<string> {
  const row = page.locator('tr[data-document-id]', { has: openButton(page, title) });
  await row.getByTestId('status').getByText(/^(Read|已读完)$/).waitFor({ timeout: READ_TIMEOUT });
  return (await row.getAttribute('data-document-id')) ?? '';
}

async function openDocument(title: RegExp): Promise<void> {
  await openButton(page, title).click();
  await page.getByRole('tablist').waitFor();
}

async function backToLibrary(): Promise<void> {
  await page.getByRole('button', { name: /Library|文库/ }).first().click();
}

/** Clicks a citation chip and checks its quote (the chip's tooltip) is painted on the chip's page. */
async function showsCitation(chip: ReturnType<Page['locator']>): Promise<void> {
  const pageNo = await chip.getAttribute('data-page');
  const quote = (await chip.locator('xpath=following-sibling::*[@role="tooltip"]').textContent()) ?? '';
  await chip.click();
  // Wait for this quote's highlight, not just any: an earlier citation's highlight and its
  // "Highlighted" announcement are still there when the click lands.
  await expect.poll(async () => fold((await painted(page)).text), { timeout: 30_000 }).toBe(fold(quote));
  await expect.poll(() => page.getByTestId('announcement').textContent(), { timeout: 30_000 }).toMatch(/^Highlighted/);
  const p = await painted(page);
  if (pageNo) expect(Number(p.page) - Number(pageNo)).toBeGreaterThanOrEqual(0);
  if (pageNo) expect(Number(p.page) - Number(pageNo)).toBeLessThanOrEqual(1);
}

/** Waits until the keyboard focus is on the control with this accessible label (a shortcut moved it there). */
async function waitForFocus(p: Page, label: RegExp): Promise<void> {
  await expect
    .poll(() => p.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? '';
    }))
    .toMatch(label);
}

/** Asks from the Ask panel with the keyboard (Ctrl+L); returns the first citation chip. */
async function ask(question: string) {
  await page.keyboard.press('Control+l');
  await waitForFocus(page, /^(Your question|你的问题)$/);
  await page.keyboard.type(question);
  await page.keyboard.press('Enter');
  const exchange = page.getByTestId('exchange').first();
  await exchange.getByTestId('citation').first().waitFor({ timeout: 30_000 });
  return exchange;
}

function rawRequest(path: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.server.port, path, method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const run = hasChromium && hasFixture(BOOK) ? describe : describe.skip;

run('web mode in Chromium', () => {
  beforeAll(async () => {
    app = await startWebApp();
    page = app.page;
    await page.getByRole('heading', { name: 'Library' }).waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('adds the 352-page book by the file picker and shows its progress until it is read', async () => {
    await addByPicker(BOOK);
    // Progress is shown while it is added and read (ingesting 352 pages takes seconds).
    await page.getByRole('progressbar').first().waitFor({ timeout: 60_000 });
    const id = await waitUntilRead(/Free Culture/i);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const row = page.locator(`tr[data-document-id="${id}"]`);
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('PDF');
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('352');
    await app.screenshot('library');
  }, READ_TIMEOUT + 60_000);

  it('opens the book in pdf.js and goes to its last page with Ctrl+G', async () => {
    await openDocument(/Free Culture/i);
    await page.locator('.pdf-pane[data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.locator('.page[data-page-number="1"] canvas').first().waitFor({ state: 'attached', timeout: 30_000 });
    await page.keyboard.press('Control+g');
    await waitForFocus(page, /^Go to page$/);
    await page.keyboard.type('352');
    await page.keyboard.press('Enter');
    await page.locator('.page[data-page-number="352"] .textLayer span').first().waitFor({ state: 'attached', timeout: 30_000 });
    await expect(page.getByTestId('page-status').textContent()).resolves.toBe('Page 352 of 352');
    await app.screenshot('book-last-page');
  });

  it('opens the summary, clicks an item and lands on its page with the quote highlighted', async () => {
    await page.getByRole('tab', { name: 'Summary' }).click();
    const chip = page.locator('.summary [data-testid="citation"]').first();
    await chip.waitFor({ timeout: 60_000 });
    await showsCitation(chip);
    await app.screenshot('book-summary');
  });

  it('asks, gets a cited answer, and a click on its citation highlights the quote on its page; Back returns', async () => {
    await page.getByRole('tab', { name: 'Ask' }).click();
    const exchange = await ask('What did the court decide about the Causby farm and airplanes?');
    const chip = exchange.getByTestId('citation').first();
    await showsCitation(chip);
    await app.screenshot('book-citation');
    const before = await page.getByTestId('page-status').textContent();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expect.poll(() => page.getByTestId('page-status').textContent()).not.toBe(before);
  });

  it('says plainly when the book does not answer: the not-found state, no citation, announced', async () => {
    // Checked 2026-12-05 (lectern-mamba2-7m-v6) with `lectern ask freeculture.pdf "…" --json`: the
    // decline rule declines it because no sentence of the book uses the question's words.
    await page.keyboard.press('Control+l');
    await waitForFocus(page, /^Your question$/);
    await page.keyboard.type('Which enzyme digests lactose?');
    // A screen reader speaks changes to a live region that was already there, not a new one.
    await page.evaluate(() => document.querySelectorAll('[aria-live]').forEach((e) => e.setAttribute('data-before-asking', '')));
    await page.keyboard.press('Enter');
    const exchange = page.getByTestId('exchange').first();
    await expect.poll(() => exchange.locator('h3').textContent()).toBe('Which enzyme digests lactose?');
    const notFound = exchange.getByTestId('not-found');
    await notFound.waitFor({ timeout: 30_000 });
    await expect(notFound.textContent()).resolves.toMatch(/^Not in the document/);
    expect(await exchange.getByTestId('citation').count()).toBe(0);
    expect(await exchange.locator('.answer').count()).toBe(0);
    // Announced: the Ask panel's live region (present before the answer came) says it.
    const status = page.getByRole('status').filter({ hasText: /Not in the document/ });
    await expect.poll(() => status.count(), { timeout: 10_000 }).toBe(1);
    await expect(status.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(status.getAttribute('data-before-asking')).resolves.toBe('');
    await app.screenshot('book-not-found');
  });

  it('finds text with Ctrl+F', async () => {
    await page.keyboard.press('Control+f');
    await waitForFocus(page, /^Find in document$/);
    await page.keyboard.type('Causby');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('find-status').textContent(), { timeout: 30_000 }).toMatch(/\d+ matches/);
    await page.keyboard.press('Escape');
  });

  it('exports the questions and answers to Markdown', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export to Markdown' }).click()]);
    const path = await download.path();
    expect(readFileSync(path, 'utf8')).toMatch(/^# Free Culture/);
    await backToLibrary();
  });

  it('adds a DOCX by drag and drop, reads it, and highlights a citation in the flowing text', async () => {
    const bytes = readFileSync(fixture(DOCX)).toString('base64');
    await page.evaluate(async (b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'cloud-service-agreement.docx'));
      const target = document.querySelector('section.library')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    const id = await waitUntilRead(/Cloud Service Agreement/);
    await openDocument(/Cloud Service Agreement/);
    await page.getByRole('heading', { name: 'Suspension' }).waitFor();
    const exchange = await ask('When may the provider suspend access?');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await showsCitation(exchange.getByTestId('citation').first());
    await app.screenshot('docx-citation');
    await backToLibrary();
  }, READ_TIMEOUT + 60_000);

  it('follows a Chinese OS: Chinese UI, Chinese document with lang="zh", its citation highlighted', async () => {
    const zhPage = await app.context.browser()!.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } }).then((c) => c.newPage());
    const problems: string[] = [];
    zhPage.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await zhPage.goto(app.server.url);
    await zhPage.getByRole('heading', { name: '文库' }).waitFor();
    const main = page;
    page = zhPage;
    try {
      await addByPicker(ZH);
      const id = await waitUntilRead(/中华人民共和国民法典/);
      await openDocument(/中华人民共和国民法典/);
      expect(await zhPage.locator('.text-pane').getAttribute('lang')).toBe('zh');
      const q = '当事人一方迟延履行债务，对方可以解除合同吗？';
      const exchange = await ask(q);
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      const chip = exchange.getByTestId('citation').first();
      const quote = (await chip.locator('xpath=following-sibling::*[@role="tooltip"]').textContent()) ?? '';
      await chip.click();
      await expect.poll(() => zhPage.getByTestId('announcement').textContent()).toContain('已标出');
      // A quote across two blocks paints both; the blank line between them is not text on screen.
      expect(fold((await painted(zhPage)).text)).toBe(fold(quote));
      await zhPage.screenshot({ path: join(artifactsDir, 'zh-citation.png') });
      expect(problems).toEqual([]);
    } finally {
      page = main;
      await zhPage.context().close();
    }
  }, READ_TIMEOUT + 60_000);

  it('works from the keyboard alone: open, ask, follow a citation', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.locator('body').focus();
    const focusOn = async (test: () => Promise<boolean>, max = 80) => {
      for (let i = 0; i < max; i++) {
        if (await test()) return;
        await page.keyboard.press('Tab');
      }
      throw new Error('the keyboard never reached it');
    };
    await focusOn(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Open Cloud Service') ?? false));
    await page.keyboard.press('Enter');
    await page.getByRole('tablist').waitFor();
    await page.keyboard.press('Control+l');
    await waitForFocus(page, /^Your question$/);
    await page.keyboard.type('What happens to customer data after termination?');
    await page.keyboard.press('Enter');
    await page.getByTestId('exchange').first().getByTestId('citation').first().waitFor();
    await focusOn(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'citation'));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('announcement').textContent()).toContain('Highlighted:');
    expect((await painted(page)).text.length).toBeGreaterThan(10);
  });

  it('has no serious accessibility violations (axe-core) in the library, a reader and settings', async () => {
    const scan = async (where: string) => {
      const r = await new AxeBuilder({ page }).exclude('.pdfViewer').analyze();
      const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${where}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
    };
    await scan('reader');
    await backToLibrary();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await scan('library');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await scan('settings');
    await app.screenshot('settings');
  });

  it('keeps the device choice and clears the cache of readings, documents kept', async () => {
    await page.getByLabel('Compute device').selectOption('cpu');
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toBe('Saved');
    expect((await app.api.getSettings()).device).toBe('cpu');
    await page.getByRole('button', { name: 'Clear cache' }).click();
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toBe('Cache cleared');
    const docs = await app.api.listDocuments();
    expect(docs.length).toBe(3);
    expect(docs.every((d) => d.reading === null)).toBe(true);
  });

  it('logged no console error and no CSP violation', () => {
    expect(app.problems).toEqual([]);
  });

  it('refuses requests without the token, with a foreign Host or a foreign Origin', async () => {
    const cookie = (await app.context.cookies())[0];
    const auth = `${cookie.name}=${cookie.value}`;
    const host = `127.0.0.1:${app.server.port}`;
    expect(await rawRequest('/', { Host: host })).toBe(401);
    expect(await rawRequest('/', { Host: host, Cookie: auth })).toBe(200);
    expect(await rawRequest('/', { Host: 'lectern.attacker.example', Cookie: auth })).toBe(403);
    expect(await rawRequest('/api/clearCache', { Host: host, Cookie: auth, Origin: 'http://attacker.example', 'Content-Type': 'application/json' }, 'POST')).toBe(403);
    // A page of another origin in the same browser cannot call the API (no cookie, no CORS).
    const other = await app.context.newPage();
    await other.goto('about:blank');
    const status = await other.evaluate(async (url) => {
      try {
        const r = await fetch(`${url}/api/listDocuments`, { method: 'POST', body: '{"args":[]}', credentials: 'include', mode: 'no-cors' });
        return r.type === 'opaque' ? 'opaque' : String(r.status);
      } catch {
        return 'blocked';
      }
    }, app.server.origin);
    expect(['opaque', 'blocked', '401', '403']).toContain(status);
    await other.close();
  });
});

/// <reference lib="dom" />
// Cancelling a reading from the library, in web mode in Debian's Chromium: the 352-page book is
// dropped, its reading is cancelled part way, the library shows it stopped (not failed) and
// still holds one consistent document, and reading it again continues from where it stopped.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasFixture } from '../support/fixtures.js';
import { hasChromium, startWebApp, type WebApp } from '../support/web-app.js';

const BOOK = 'books/freeculture.pdf';
const READ_TIMEOUT = 240_000;

let app: WebApp;
let page: Page;

/** The read call's server-sent events: the first progress and the result. */
function eventsOf(body: string): { firstDone: number | null; resumedFrom: number | null } {
  let firstDone: number | null = null;
  let resumedFrom: number | null = null;
  for (const frame of body.split('\n\n')) {
    const name = /^event: (.*)$/m.exec(frame)?.[1];
    const data = frame.slice(frame.indexOf('data: ') + 'data: '.length);
    if (name === 'progress' && firstDone === null) firstDone = (JSON.parse(data) as { done: number }).done;
    if (name === 'result') resumedFrom = (JSON.parse(data) as { resumedFrom: number }).resumedFrom;
  }
  return { firstDone, resumedFrom };
}

const run = hasChromium && hasFixture(BOOK) ? describe : describe.skip;

run('cancelling a reading in web mode', () => {
  beforeAll(async () => {
    app = await startWebApp();
    page = app.page;
    await page.getByRole('heading', { name: 'Library' }).waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('stops a running reading: shown stopped, not failed; resuming continues from its checkpoint', async () => {
    await page.getByTestId('file-input').setInputFiles(fixture(BOOK));
    const row = page.locator('tr[data-document-id]');
    const status = row.getByTestId('status');
    // Cancel once the model has read a good part, well before the end (the book reads in ~15 s).
    await status.getByText(/^Reading ([1-4]\d)%$/).waitFor({ timeout: READ_TIMEOUT });
    await row.getByRole('button', { name: 'Cancel' }).click();

    await status.getByText(/^Stopped at \d+%$/).waitFor({ timeout: 30_000 });
    expect(await row.getByRole('alert').count()).toBe(0);
    expect(await page.getByText(/Error|Reading stopped:/).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    const id = (await row.getAttribute('data-document-id')) ?? '';
    const stopped = (await app.api.getDocument(id)).reading;
    expect(stopped?.status).toBe('reading');
    expect(stopped?.tokensDone).toBeGreaterThan(0);
    expect(stopped?.tokensDone).toBeLessThan(stopped?.tokensTotal ?? 0);
    const pct = Math.floor((100 * (stopped?.tokensDone ?? 0)) / (stopped?.tokensTotal ?? 1));
    await expect(status.textContent()).resolves.toBe(`Stopped at ${pct}%`);

    // The library is the same after a reload: one document, stopped where it was. The reloaded
    // page keeps a copy of each read call's event stream (the protocol's copy of a streamed
    // response body is not always kept).
    await page.addInitScript(() => {
      const w = window as unknown as { readStreams: Promise<string>[] };
      w.readStreams = [];
      const original = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        const res = await original(input, init);
        if (String(input).endsWith('api/read')) w.readStreams.push(res.clone().text());
        return res;
      };
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    // The heading is drawn before the library's list arrives: count the rows once it is shown.
    await status.getByText(`Stopped at ${pct}%`).waitFor();
    expect(await row.count()).toBe(1);
    expect((await app.api.listDocuments()).length).toBe(1);

    await row.getByRole('button', { name: 'Resume' }).click();
    await status.getByText('Read', { exact: true }).waitFor({ timeout: READ_TIMEOUT });
    const streams = await page.evaluate(() => Promise.all((window as unknown as { readStreams: Promise<string>[] }).readStreams));
    expect(streams.length).toBe(1);
    const events = eventsOf(streams[0]);
    expect(events.firstDone).toBe(stopped?.tokensDone);
    expect(events.resumedFrom).toBe(stopped?.tokensDone);
    const done = (await app.api.getDocument(id)).reading;
    expect(done?.status).toBe('done');
    expect(done?.tokensDone).toBe(done?.tokensTotal);
    expect(app.problems).toEqual([]);
  }, READ_TIMEOUT * 2);
});

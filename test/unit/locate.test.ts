import { describe, expect, it } from 'vitest';
import { DocumentBuilder } from '../../main/core/document.js';
import { Locator, layoutOf } from '../../main/core/text/locate.js';

describe('Locator', () => {
  // Page 1: a heading and a paragraph that runs on to page 2; page 3: a second paragraph.
  const b = new DocumentBuilder();
  b.add({ kind: 'heading', level: 1, page: 1, text: 'Terms' });
  b.add({ kind: 'heading', level: 2, page: 1, text: 'Payment' });
  const runOn = 'First  sentence. Second sentence runs on';
  b.add({ kind: 'paragraph', page: 1, text: runOn, pageBreaks: [{ at: runOn.indexOf('runs'), page: 2 }] });
  b.add({ kind: 'paragraph', page: 3, text: 'Third.' });
  const doc = b.build({ kind: 'pdf', title: 'T', pages: 3 });
  const locator = new Locator(layoutOf(doc));

  it('keeps a break at the same word after the text is tidied', () => {
    expect(doc.pageBreaks).toEqual([{ start: doc.text.indexOf('runs on'), page: 2 }]);
  });

  it("cites the page of the offset's own character, not of its block", () => {
    expect(locator.locate(doc.text.indexOf('First')).page).toBe(1);
    expect(locator.locate(doc.text.indexOf('Second')).page).toBe(1);
    expect(locator.locate(doc.text.indexOf('runs')).page).toBe(2);
    expect(locator.locate(doc.text.indexOf('Third')).page).toBe(3);
  });

  it('names the heading path and the paragraph under the nearest heading', () => {
    expect(locator.locate(doc.text.indexOf('runs'))).toMatchObject({ sectionPath: ['Terms', 'Payment'], paragraph: 1 });
    expect(locator.locate(doc.text.indexOf('Third'))).toMatchObject({ sectionPath: ['Terms', 'Payment'], paragraph: 2 });
    expect(locator.locate(doc.text.indexOf('Payment'))).toMatchObject({ sectionPath: ['Terms', 'Payment'], paragraph: null });
  });

  it('gives no page for a document without pages', () => {
    const plain = new DocumentBuilder();
    plain.add({ kind: 'paragraph', text: 'One.' });
    plain.add({ kind: 'paragraph', text: 'Two.' });
    const l = new Locator(layoutOf(plain.build({ kind: 'txt', title: 'P' })));
    expect(l.locate(6)).toEqual({ page: null, sectionPath: [], paragraph: 2 });
  });
});

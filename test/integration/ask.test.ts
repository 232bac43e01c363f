// `ask` on real documents in a real library: a DOCX contract read by the shipped model (its
// signals join the ranking), and a PDF paper, a Chinese law, a novel and an EPUB answered before
// any reading (search and structure, `partial`). Every cited quote must be the document's own
// text at the cited offsets, on the cited page or in the cited section; accuracy is the eval's job.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../common/types.js';
import { MAX_QUESTION_CHARS } from '../../main/core/answer/question.js';
import { UsageError } from '../../main/core/errors.js';
import { Library } from '../../main/core/library.js';
import { fixture } from '../support/fixtures.js';
import { makeEpub, sherlockChapters } from '../support/make-epub.js';
import { readStored } from '../support/read-stored.js';

let dir: string;
let library: Library;
const ids: Record<string, number> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-ask-'));
  library = Library.open(join(dir, 'library.sqlite'));
  const add = async (name: string, path: string): Promise<void> => {
    ids[name] = (await library.add(path)).row.id;
  };
  await add('contract', fixture('contracts/common-paper-cloud-service-agreement-with-sla.docx'));
  await add('paper', fixture('papers/tracemonkey.pdf'));
  await add('law', fixture('zh/labor-contract-law-zh.md'));
  await add('zhContract', fixture('zh/software-service-contract-zh.md'));
  await add('novel', fixture('novels/sherlock_holmes.txt'));
  const epub = join(dir, 'sherlock.epub');
  const chapters = sherlockChapters(readFileSync(fixture('novels/sherlock_holmes.txt'), 'utf8'), 2);
  writeFileSync(epub, await makeEpub({ title: 'Adventures', author: 'Arthur Conan Doyle', chapters }));
  await add('epub', epub);
  await readStored(library, ids.contract);
}, 300_000);

afterAll(() => {
  library?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every citation is the document's own text at its offsets, with the place it claims. */
function expectCitationsInPlace(name: string, answer: Answer): void {
  const doc = library.document(ids[name]);
  expect(answer.citations.length).toBeGreaterThan(0);
  for (const c of answer.citations) {
    expect(doc.text.slice(c.start, c.end)).toBe(c.quote);
    const block = doc.blocks.filter((b) => b.start <= c.start).at(-1)!;
    expect(c.end).toBeLessThanOrEqual(block.end);
    // The quote's own page: its block's page, or a later one when a page break lies before it in
    // the block (ask-pages.test.ts checks the page against pdf.js's own page text).
    if (block.page === null) expect(c.page).toBeNull();
    else expect(c.page).toBeGreaterThanOrEqual(block.page);
    if (doc.pages === null) {
      expect(c.paragraph).toBeGreaterThanOrEqual(1);
    }
  }
  const scores = answer.citations.map((c) => c.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
}

describe('answerQuestion on real documents', () => {
  it('answers from a read DOCX contract with the clause itself, the model included', async () => {
    const a = await library.ask(ids.contract, 'How long do the Framework Terms stay in force?');
    expect(a.partial).toBe(false);
    expect(a.found).toBe(true);
    expect(a.answer).toBe(a.citations[0].quote);
    expect(a.citations.slice(0, 3).some((c) => c.quote.includes('longer of one year'))).toBe(true);
    expect(a.citations[0].section).not.toBeNull();
    expectCitationsInPlace('contract', a);
  });

  it('answers from a PDF paper before its reading, with the page the sentence is on', async () => {
    const a = await library.ask(ids.paper, 'Which web browser embeds the SpiderMonkey virtual machine?', { top: 3 });
    expect(a.partial).toBe(true);
    expect(a.found).toBe(true);
    expect(a.citations.length).toBeLessThanOrEqual(3);
    expect(a.citations.slice(0, 3).some((c) => c.quote.includes('Firefox'))).toBe(true);
    expect(a.citations[0].page).toBeGreaterThanOrEqual(1);
    expectCitationsInPlace('paper', a);
  });

  it('answers a Chinese question from a Chinese law, citing article text with its section', async () => {
    const a = await library.ask(ids.law, '用人单位超过一个月不满一年没有订立书面劳动合同的，每月要支付几倍的工资？');
    expect(a.found).toBe(true);
    expect(a.citations.slice(0, 3).some((c) => c.quote.includes('二倍的工资'))).toBe(true);
    expect(a.citations[0].page).toBeNull();
    expect(a.citations[0].section).not.toBeNull();
    expectCitationsInPlace('law', a);
  });

  it('answers a Chinese question from a Chinese contract with the clause and its article', async () => {
    const a = await library.ask(ids.zhContract, '合同终止以后还要保密几年？');
    expect(a.found).toBe(true);
    expect(a.citations.slice(0, 3).some((c) => c.quote.includes('期限为五年'))).toBe(true);
    expect(a.citations[0].section).toMatch(/第七条 保密/);
    expectCitationsInPlace('zhContract', a);
  });

  it('answers from a novel and from an EPUB by chapter and paragraph', async () => {
    const question = 'How much money a week does the Red-Headed League pay?';
    for (const name of ['novel', 'epub']) {
      const a = await library.ask(ids[name], question);
      expect(a.citations.slice(0, 3).some((c) => c.quote.includes('£ 4 a week'))).toBe(true);
      expectCitationsInPlace(name, a);
    }
    const epub = await library.ask(ids.epub, question);
    expect(epub.citations[0].section).toMatch(/Red-Headed League/i);
  });

  it('declines a question the document does not answer, with a reason', async () => {
    const a = await library.ask(ids.contract, 'How many moons does Jupiter have?');
    expect(a.found).toBe(false);
    expect(a.answer).toBeNull();
    expect(a.reason).toMatch(/\S/);
  });

  it('asks across the library: citations name their documents', async () => {
    const a = await library.askAll('Which web browser embeds the SpiderMonkey virtual machine?');
    expect(a.found).toBe(true);
    const paperSha = library.documents().find((d) => d.id === ids.paper)!.sha256;
    expect(a.citations[0].documentId).toBe(paperSha);
    for (const c of a.citations) expect(c.documentId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('bad questions', () => {
  it('rejects an empty, an over-long and a wrong-script question with a clear message', async () => {
    await expect(library.ask(ids.contract, '   ')).rejects.toThrow(UsageError);
    await expect(library.ask(ids.contract, 'why '.repeat(2500))).rejects.toThrow(new RegExp(`at most ${MAX_QUESTION_CHARS.toLocaleString('en-US')}`));
    await expect(library.ask(ids.contract, '合同的期限是多久？')).rejects.toThrow(/in Chinese but the document is in English/);
    await expect(library.ask(ids.law, 'How long is the probation period?')).rejects.toThrow(/in English but the document is in Chinese/);
  });
});

// Genre detection on every fixture document, through the real ingesters: structure and
// vocabulary must tell a contract from a statute, a paper from a book, a novel from non-fiction,
// in English and Chinese.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DocumentGenre } from '../../common/types.js';
import { ingest } from '../../main/core/ingest/index.js';
import { detectGenre } from '../../main/core/summary/genre.js';
import { fixture, hasFixture } from '../support/fixtures.js';

const EXPECTED: [string, DocumentGenre][] = [
  ['contracts/bonterms-mutual-nda.docx', 'contract'],
  ['contracts/common-paper-cloud-service-agreement-with-sla.docx', 'contract'],
  ['contracts/common-paper-data-processing-agreement.docx', 'contract'],
  ['contracts/common-paper-professional-services-agreement.docx', 'contract'],
  ['contracts/common-paper-software-license-agreement.docx', 'contract'],
  ['contracts/series-seed-preferred-stock-investment-agreement.md', 'contract'],
  ['contracts/series-seed-term-sheet.md', 'contract'],
  ['contracts/yc-safe-discount.docx', 'contract'],
  ['papers/attention_is_all_you_need.pdf', 'paper'],
  ['papers/deep_speech_2.pdf', 'paper'],
  ['papers/resnet.pdf', 'paper'],
  ['papers/scaling_laws.pdf', 'paper'],
  ['papers/sparse_autoencoders.pdf', 'paper'],
  ['papers/TAMReview.pdf', 'paper'],
  ['papers/tracemonkey.pdf', 'paper'],
  ['books/freeculture.pdf', 'book'],
  ['novels/middlemarch.txt', 'novel'],
  ['novels/moby_dick.txt', 'novel'],
  ['novels/pride_and_prejudice.txt', 'novel'],
  ['novels/sherlock_holmes.txt', 'novel'],
  ['zh/civil-code-contracts-zh.md', 'law'],
  ['zh/labor-contract-law-zh.md', 'law'],
  ['zh/hongloumeng-ch001-010.md', 'novel'],
  ['zh/hongloumeng-ch081-100.md', 'novel'],
  ['zh/lshort-zh-cn.pdf', 'book'],
];

describe('detectGenre', () => {
  // The documents only ../shared holds are skipped on a bare clone.
  it.each(EXPECTED.filter(([rel]) => hasFixture(rel)))('%s is a %s', async (rel, genre) => {
    const doc = await ingest(new Uint8Array(await readFile(fixture(rel))), { fileName: basename(rel) });
    expect(detectGenre(doc).genre).toBe(genre);
  });
});

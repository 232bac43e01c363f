// Runs one PDF ingestion in a process of its own, so that the peak RSS it reports is the
// ingestion's own. Prints one JSON line: { ms, pages, chars, blocks, peakRssMb }.
import { readFileSync } from 'node:fs';
import { ingestPdf } from '../../main/core/ingest/pdf.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node ingest-pdf-child.js <file.pdf>\n');
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(file));
const started = performance.now();
const doc = await ingestPdf(bytes);
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({
    ms,
    pages: doc.pages,
    chars: doc.text.length,
    blocks: doc.blocks.length,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);

// `npm run bench`: every benchmark table, printed as Markdown. `npm run bench -- ingest` (or
// huge, stages, engine, client, retrieval, summary, ask, app) runs one part. Figures are medians of several runs; the comparison
// baselines (pdftotext, the Transformer) run in the same invocation as Lectern.
import { cpus, totalmem } from 'node:os';
import { benchApp } from './app.js';
import { benchAsk } from './ask.js';
import { benchEngine } from './engine.js';
import { benchEngineClient } from './engine-client.js';
import { benchIngestPdf } from './ingest-pdf.js';
import { benchIngestText } from './ingest-text.js';
import { benchRetrieval } from './retrieval.js';
import { benchStages } from './stages.js';
import { benchSummary } from './summary.js';
import { printTable, type BenchTable } from './table.js';

const PARTS: Record<string, () => Promise<BenchTable | BenchTable[]>> = {
  ingest: benchIngestPdf,
  huge: () => benchIngestText(),
  stages: () => benchStages(),
  engine: () => benchEngine(),
  client: benchEngineClient,
  retrieval: benchRetrieval,
  summary: benchSummary,
  ask: benchAsk,
  app: benchApp,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in PARTS));
if (unknown.length > 0) {
  process.stderr.write(`unknown part(s): ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}\n`);
  process.exit(2);
}
process.stdout.write(
  `# Lectern benchmarks\n\n${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n\n`,
);
for (const name of wanted.length > 0 ? wanted : Object.keys(PARTS)) {
  process.stderr.write(`bench: ${name}…\n`);
  const started = performance.now();
  const result = await PARTS[name]();
  for (const table of Array.isArray(result) ? result : [result]) printTable(table);
  process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

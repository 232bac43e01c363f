#!/usr/bin/env node
// The `lectern` command (ARCHITECTURE §4): results on stdout, progress on stderr,
// exit codes 0 ok, 1 internal error, 2 usage, 3 input rejected. It runs on the engine
// (main/engine/): ingestion and the model work in the engine's thread, this one prints.
import type { ReadOptions } from '../common/api.js';
import type { ReadSummary, SearchHit } from '../common/types.js';
import { Cancelled } from './core/errors.js';
import { describeFailure, EXIT, reportFailure } from './cli-errors.js';
import { defaultDbPath } from './core/paths.js';
import { createEngineClient } from './engine/client.js';
import { parseArgs, USAGE, type CliArgs } from './cli-args.js';
import { progressLine } from './cli-progress.js';
import { documentTokens, plural } from './cli-counts.js';
import { packageVersion } from './cli-version.js';
import { summaryJson, summaryText } from './cli-summary.js';
import { checkQuestion, checkScript } from './core/answer/question.js';
import { fitsWhole } from './core/store/documents.js';
import { pieceEnd } from './core/store/document-text.js';
import type { Answer, Citation, DocumentInfo } from '../common/types.js';

function print(args: CliArgs, json: unknown, human: string): void {
  process.stdout.write(args.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
}

/**
 * A document's text to stdout a range at a time, so that `lectern text` on a document of hundreds
 * of MB never holds it whole; a surrogate pair cut by a range's end waits for its second half.
 */
async function writeText(chars: number, range: (start: number, end: number) => Promise<string>): Promise<void> {
  let held = '';
  for (let at = 0; at < chars; at += TEXT_RANGE_CHARS) {
    const text = held + (await range(at, Math.min(chars, at + TEXT_RANGE_CHARS)));
    const cut = pieceEnd(text, text.length);
    held = text.slice(cut);
    const piece = text.slice(0, cut);
    if (!process.stdout.write(piece)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  process.stdout.write(`${held}\n`);
}

const TEXT_RANGE_CHARS = 2 ** 20;

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function run(args: CliArgs): Promise<void> {
  const engine = createEngineClient({ dbPath: args.db ?? defaultDbPath() });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Cancelled('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // A question is checked before anything is added: a bad one leaves the library as it was.
    const question = args.command === 'ask' ? checkQuestion(args.query ?? '') : null;
    if (question !== null && args.all) {
      printAnswer(args, await engine.ask(null, question, { top: args.top, signal: abort.signal }), await engine.listDocuments());
      return;
    }
    const progress = progressLine();
    const added = await engine.addPath(args.file, {
      password: args.password ?? undefined,
      signal: abort.signal,
      // Only paged formats report more than one step; a one-step report is not progress.
      onProgress: (p) => {
        if (p.total > 1) progress.update('ingesting', p.done, p.total, p.unit ?? 'pages');
      },
      onWarning: (message) => process.stderr.write(`lectern: warning: ${args.file}: ${message}\n`),
    });
    progress.done();
    const row = added.document;
    if (question !== null) {
      // A question in another script than the document's is refused before the model reads, and
      // a document added only for it leaves the library again.
      try {
        checkScript(question, (await engine.getOutline(row.id)).language);
      } catch (e) {
        if (!added.cached) await engine.removeDocument(row.id);
        throw e;
      }
    }
    // A pass of the model (reading or scoring) with its progress line and Ctrl-C.
    const modelPass = async <T>(label: string, run: (options: ReadOptions) => Promise<T>): Promise<T> => {
      const line = progressLine();
      const result = await run({
        device: args.device,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.stage === 'waiting') process.stderr.write(`${p.message ?? 'another lectern process is reading this document'}; waiting for it\n`);
          else line.update(label, p.done, p.total, 'tokens', p.etaMs === null ? null : p.etaMs / 1000);
        },
      });
      line.done();
      return result;
    };
    const readIt = (): Promise<ReadSummary> => modelPass('reading', (options) => engine.read(row.id, options));
    switch (args.command) {
      case 'read': {
        const read = await readIt();
        const tokens = documentTokens(read.tokens);
        // Nothing was read now: the document and its whole reading were already in the library.
        const cached = added.cached && read.seconds === 0;
        const resumedFrom = documentTokens(read.resumedFrom);
        const json = {
          id: row.id,
          title: row.title,
          kind: row.format,
          pages: row.pages,
          chars: row.chars,
          // The document's tokens, as `score` counts them (cli-counts.ts).
          tokens,
          cached,
          in_library: added.cached,
          device: { requested: read.device.requested, provider: read.device.provider, fallback_reason: read.device.fallbackReason },
          model: read.modelId,
          timings_ms: {
            ingest: added.timingsMs.ingest,
            read: Math.round(read.seconds * 1000),
            index: added.timingsMs.index,
            model_open: read.timingsMs.modelOpen,
            tokenize: read.timingsMs.tokenize,
          },
          tokens_per_second: read.seconds > 0 && read.tokensPerSecond !== null ? Math.round(read.tokensPerSecond) : null,
          resumed_from: resumedFrom,
          bits_per_byte: read.bitsPerByte === null ? null : round(read.bitsPerByte),
          peak_rss_mb: peakRssMb(),
          warnings: [...row.notes, ...added.warnings.map((message) => ({ code: 'ingest-warning', message }))],
        };
        const pages = row.pages === null ? '' : `, ${plural(row.pages, 'page')}`;
        const resumed = read.seconds > 0 && resumedFrom > 0 ? `, resumed from token ${resumedFrom.toLocaleString('en-US')}` : '';
        const how = read.seconds > 0
          ? `read ${plural(tokens, 'token')} in ${read.seconds.toFixed(1)} s on ${read.device.provider}${read.device.fallbackReason ? ` (${read.device.fallbackReason})` : ''}${resumed}`
          : `already read (${plural(tokens, 'token')})`;
        print(args, json, `${added.cached ? 'Already in the library' : 'Added'}: ${row.title} (${row.format}${pages}, ${plural(row.chars, 'character')}); ${how}`);
        if (!args.json) for (const note of row.notes) process.stderr.write(`warning: ${note.message}\n`);
        break;
      }
      case 'info': {
        const outline = await engine.getOutline(row.id);
        const headings = outline.headings;
        const reading = row.reading;
        const readLine = reading === null
          ? 'not read by the model yet (lectern read)'
          : reading.status === 'done'
            ? `read by ${reading.modelId}: ${plural(documentTokens(reading.tokensTotal), 'token')}`
            : `partly read by ${reading.modelId}: ${documentTokens(reading.tokensDone).toLocaleString('en-US')} of ${plural(documentTokens(reading.tokensTotal), 'token')} (lectern read continues)`;
        const json = {
          id: row.id,
          title: row.title,
          author: row.author,
          kind: row.format,
          pages: row.pages,
          chars: row.chars,
          bytes: row.bytes,
          file_name: row.fileName,
          added_at: row.addedAt,
          blocks: outline.blocks,
          headings: headings.map((h) => ({ heading: h.text, level: h.level, page: h.page })),
          reading: reading && {
            model: reading.modelId,
            status: reading.status,
            tokens_done: documentTokens(reading.tokensDone),
            tokens_total: documentTokens(reading.tokensTotal),
            seconds: Math.round(reading.seconds * 10) / 10,
            provider: reading.provider,
            scored: reading.scored,
          },
          warnings: row.notes,
        };
        const lines = [
          `${row.title}${row.author ? ` — ${row.author}` : ''}`,
          `${row.format}${row.pages === null ? '' : `, ${plural(row.pages, 'page')}`}, ${plural(row.chars, 'character')}, ${plural(outline.blocks, 'block')}`,
          readLine,
          ...row.notes.map((n) => `warning: ${n.message}`),
          ...headings.slice(0, 40).map((h) => `${'  '.repeat(h.level - 1)}- ${h.text}${h.page === null ? '' : ` (p. ${h.page})`}`),
          ...(headings.length > 40 ? [`  … ${headings.length - 40} more headings`] : []),
        ];
        print(args, json, lines.join('\n'));
        break;
      }
      case 'text': {
        if (!args.json) {
          await writeText(row.chars, (start, end) => engine.getTextRange(row.id, start, end));
          break;
        }
        const doc = await engine.getText(row.id);
        const json = {
          title: doc.title,
          pages: doc.pages,
          blocks: doc.blocks.map((b) => ({ kind: b.kind, level: b.level, page: b.page, start: b.start, end: b.end, text: b.text })),
          // A block's page is where it starts; these are the pages that begin inside a block.
          page_breaks: doc.pageBreaks,
        };
        print(args, json, doc.text);
        break;
      }
      case 'summary': {
        const summary = await engine.summarize(row.id);
        print(args, summaryJson(summary, row.format), summaryText(summary));
        break;
      }
      case 'search': {
        const query = args.query ?? '';
        const hits = await engine.search(row.id, query, args.top);
        const json = {
          query,
          results: hits.map((h) => ({
            page: h.page,
            quote: h.quote,
            score: round(h.score),
            section: h.passageSection,
            section_path: h.sectionPath,
            paragraph: h.paragraph,
            // The quote's own offsets; the passage it was taken from is passage_start/passage_end.
            start: h.start,
            end: h.end,
            passage_start: h.passageStart,
            passage_end: h.passageEnd,
          })),
        };
        const human = hits.length === 0
          ? 'No passage matches.'
          : hits.map((h, i) => `${i + 1}. ${whereHuman(h)}  ${h.quote}`).join('\n');
        print(args, json, human);
        break;
      }
      case 'ask': {
        // Past the characters a sentence index may hold the answer comes from full-text search
        // (answer/search-answer.ts), which the model's reading does not change: no hour-long read first.
        if (fitsWhole(row.chars)) await readIt();
        const answer = await engine.ask(row.id, question ?? '', { top: args.top, signal: abort.signal });
        printAnswer(args, answer, await engine.listDocuments());
        break;
      }
      case 'score': {
        await readIt();
        const score = await modelPass('scoring', (options) => engine.score(row.id, options));
        const json = {
          tokens: score.tokens,
          bytes: score.bytes,
          bits_per_byte: score.bitsPerByte,
          by_position: score.byPosition.map((b) => ({ from: b.from, to: b.to, bits_per_byte: b.bitsPerByte })),
        };
        const human = [
          `${score.bitsPerByte.toFixed(3)} bits per byte over ${score.tokens.toLocaleString('en-US')} tokens (${score.bytes.toLocaleString('en-US')} bytes)`,
          ...score.byPosition.map((b) => `  tokens ${b.from.toLocaleString('en-US')}–${b.to === null ? '' : b.to.toLocaleString('en-US')}: ${b.bitsPerByte.toFixed(3)}`),
        ].join('\n');
        print(args, json, human);
        break;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close();
  }
}

/** "p. 5", or for a document without pages "Payment ¶ 2" (its nearest heading and paragraph). */
function whereHuman(h: SearchHit): string {
  if (h.page !== null) return `p. ${h.page}`;
  const paragraph = h.paragraph === null ? '' : `¶ ${h.paragraph}`;
  return [h.passageSection ?? '', paragraph].filter((s) => s.length > 0).join(' ');
}

/** ARCHITECTURE §4's ask shape; across the library each citation names its document. */
function printAnswer(args: CliArgs, answer: Answer, documents: DocumentInfo[]): void {
  const titles = new Map(documents.map((d) => [d.id, d.title]));
  const json = {
    question: answer.question,
    found: answer.found,
    answer: answer.answer,
    reason: answer.reason,
    citations: answer.citations.map((c) => ({
      page: c.page,
      section: c.section,
      paragraph: c.paragraph,
      quote: c.quote,
      score: c.score,
      start: c.start,
      end: c.end,
      ...(c.documentId === undefined ? {} : { document: { id: c.documentId, title: titles.get(c.documentId) ?? null } }),
    })),
    partial: answer.partial,
    basis: answer.basis,
    timings_ms: answer.timingsMs,
  };
  const place = (c: Citation): string =>
    [
      c.documentId === undefined ? null : titles.get(c.documentId) ?? c.documentId.slice(0, 12),
      c.page === null ? null : `p. ${c.page}`,
      c.page === null && c.section !== null ? c.section : null,
      c.page === null && c.paragraph !== null ? `¶ ${c.paragraph}` : null,
    ].filter((x) => x !== null).join(', ');
  const lines = answer.found
    ? [`${answer.answer ?? ''}`, `  — ${place(answer.citations[0])}`]
    : [`Not found: ${answer.reason ?? 'nothing in the document supports an answer'}.`];
  const rest = answer.found ? answer.citations.slice(1) : answer.citations;
  if (rest.length > 0) {
    lines.push('', answer.found ? 'Also:' : 'Closest passages:');
    rest.forEach((c, i) => lines.push(`${i + 1}. ${place(c)}  ${c.quote.replace(/\s+/g, ' ')}`));
  }
  if (answer.basis === 'structure') lines.push('', '(partial: the model has not read it yet; answered from search and structure)');
  if (answer.basis === 'search') lines.push('', '(partial: the document is too long to rank its sentences; answered from full-text search)');
  print(args, json, lines.join('\n'));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function main(argv: string[]): Promise<number> {
  // Known before parsing, so that a usage error is JSON too when --json was asked for.
  const json = argv.includes('--json');
  let parsed: CliArgs | 'help' | 'version';
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    return reportFailure(describeFailure(e, null), json);
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed === 'version') {
    process.stdout.write(`lectern ${packageVersion()}\n`);
    return EXIT.ok;
  }
  try {
    await run(parsed);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(describeFailure(e, parsed.file), parsed.json);
  }
}

process.exitCode = await main(process.argv.slice(2));

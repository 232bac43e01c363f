// `lectern summary`'s output: the JSON of ARCHITECTURE §4 (extended with each quote's section,
// paragraph and offsets) and a readable text form.
import type { Citation, Summary, SummarySentence } from '../common/types.js';

interface CitedJson {
  page: number | null;
  section: string | null;
  paragraph: number | null;
  start: number;
  end: number;
}

function place(c: Citation): CitedJson {
  return { page: c.page, section: c.section, paragraph: c.paragraph, start: c.start, end: c.end };
}

function sentenceJson(s: SummarySentence): { text: string } & CitedJson {
  return { text: s.text, ...place(s.citation) };
}

export function summaryJson(summary: Summary, kind: string): unknown {
  return {
    id: summary.id,
    title: summary.title,
    kind,
    genre: summary.genre,
    model: summary.modelId,
    cached: summary.cached,
    summary: summary.overview.map(sentenceJson),
    outline: summary.outline.map((e) => ({ heading: e.heading, level: e.level, page: e.page, start: e.start, summary: e.sentences.map(sentenceJson) })),
    facts: summary.facts.map((f) => ({
      label: f.label,
      key: f.key,
      value: f.value,
      quote: f.citation?.quote ?? null,
      ...(f.citation === null ? { page: null, section: null, paragraph: null, start: null, end: null } : place(f.citation)),
    })),
  };
}

/** "p. 12" for paged documents, else "§ Heading ¶3". */
export function where(c: Citation): string {
  if (c.page !== null) return `p. ${c.page}`;
  const section = c.section === null ? '' : `§ ${c.section.length > 60 ? `${c.section.slice(0, 59)}…` : c.section}`;
  const paragraph = c.paragraph === null ? '' : ` ¶${c.paragraph}`;
  return `${section}${paragraph}`.trim() || 'start';
}

const OUTLINE_LINES = 60;

export function summaryText(summary: Summary): string {
  const lines = [`${summary.title} (${summary.genre})`, '', 'Overview:'];
  for (const s of summary.overview) lines.push(`  ${s.text} [${where(s.citation)}]`);
  if (summary.facts.length > 0) {
    lines.push('', 'Key facts:');
    for (const f of summary.facts) {
      const value = f.value.length > 200 ? `${f.value.slice(0, 199)}…` : f.value;
      lines.push(`  ${f.label}: ${value}${f.citation === null ? '' : ` [${where(f.citation)}]`}`);
    }
  }
  if (summary.outline.length > 0) {
    lines.push('', 'Outline:');
    let shown = 0;
    for (const e of summary.outline) {
      if (shown >= OUTLINE_LINES) {
        lines.push(`  … ${summary.outline.length - summary.outline.indexOf(e)} more headings (--json has them all)`);
        break;
      }
      const indent = '  '.repeat(Math.max(1, e.level));
      lines.push(`${indent}${e.heading}${e.page === null ? '' : ` (p. ${e.page})`}`);
      shown++;
      for (const s of e.sentences) {
        lines.push(`${indent}  - ${s.text.length > 160 ? `${s.text.slice(0, 159)}…` : s.text}`);
        shown++;
      }
    }
  }
  return lines.join('\n');
}

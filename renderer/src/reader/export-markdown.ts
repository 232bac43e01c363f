// A document's summary and its questions and answers as Markdown, every claim with its source.
import type { Citation, Summary } from '../../../common/types.js';
import type { Exchange } from './AskPanel.js';

function where(c: Citation): string {
  if (c.page !== null) return `p. ${c.page}`;
  if (c.section) return `§ ${c.section}`;
  return `offset ${c.start}`;
}

function cite(c: Citation): string {
  return `(${where(c)}: “${c.quote.replace(/\s+/g, ' ').trim()}”)`;
}

export function toMarkdown(title: string, summary: Summary | null, history: readonly Exchange[]): string {
  const out: string[] = [`# ${title}`, ''];
  if (summary !== null) {
    out.push('## Summary', '');
    for (const s of summary.overview) out.push(`- ${s.text} ${cite(s.citation)}`);
    out.push('');
    for (const o of summary.outline) {
      out.push(`### ${o.heading}`, '');
      for (const s of o.sentences) out.push(`- ${s.text} ${cite(s.citation)}`);
      out.push('');
    }
    if (summary.facts.length > 0) {
      out.push('## Key facts', '');
      for (const f of summary.facts) out.push(`- **${f.label}**: ${f.value}${f.citation ? ` ${cite(f.citation)}` : ''}`);
      out.push('');
    }
  }
  const answered = history.filter((x) => x.answer.kind === 'done');
  if (answered.length > 0) {
    out.push('## Questions and answers', '');
    for (const x of [...answered].reverse()) {
      if (x.answer.kind !== 'done') continue;
      const a = x.answer.value;
      out.push(`### ${x.question}`, '');
      if (a.found) {
        out.push(a.answer ?? '', '');
        for (const c of a.citations) out.push(`- ${cite(c)}`);
      } else {
        out.push(`Not in the document.${a.reason ? ` ${a.reason}` : ''}`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

export function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

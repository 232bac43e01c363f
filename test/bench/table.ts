// The shape every benchmark returns, and how the bench runner prints it (a Markdown table).

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

function cell(value: string | number): string {
  if (typeof value === 'string') return value.replace(/\|/g, '\\|');
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatTable(t: BenchTable): string {
  const lines = [`### ${t.title}`, '', `| ${t.columns.map(cell).join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`];
  for (const row of t.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  if (t.notes && t.notes.length > 0) {
    lines.push('');
    for (const note of t.notes) lines.push(`- ${note}`);
  }
  return lines.join('\n') + '\n';
}

export function printTable(t: BenchTable): void {
  process.stdout.write(formatTable(t) + '\n');
}

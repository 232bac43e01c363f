// Reading order within a page: rows become lines, and where the x-distribution of fragments
// shows a gutter (a vertical channel of white space with text columns on both sides) the page
// is read column by column, with full-width rows (titles, wide figures) as separators.
import { joinAdjacent } from './pdf-join.js';
import type { Fragment, PageText } from './pdf-runs.js';

export interface Line {
  text: string;
  page: number;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Lines with the same block are one uninterrupted stretch of one column. */
  block: number;
  /** The column's usual left and right edges, and whether its lines are justified. */
  left: number;
  right: number;
  justified: boolean;
  /** The usual distance between baselines in this column, for lines of this one's size. */
  step: number;
  /** How many lines the column has on this page (its statistics mean little below four). */
  columnLines: number;
}

const MIN_FRAGMENTS = 8;
const MIN_PER_SIDE = 3;
const FULL_LINE = 0.6; // a fragment this wide (of its column) is a line of running text

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The x of a gutter between two text columns, or null for a single-column page. */
export function findGutter(fragments: Fragment[]): number | null {
  if (fragments.length < MIN_FRAGMENTS) return null;
  const minX = Math.min(...fragments.map((f) => f.x0));
  const maxX = Math.max(...fragments.map((f) => f.x1));
  const width = maxX - minX;
  if (!(width > 0)) return null;
  const rows = rowsOf(fragments);
  const start = Math.ceil(minX + 0.3 * width);
  let best = 0;
  let bestRun: [number, number] = [0, 0];
  for (let x = start; x <= minX + 0.7 * width; x++) {
    const score = sideBySide(rows, x, minX, maxX);
    if (score > best) {
      best = score;
      bestRun = [x, x];
    } else if (score === best && score > 0 && bestRun[1] === x - 1) {
      // The widest channel with the best score: a true gutter is a strip of white space.
      bestRun = [bestRun[0], x];
    }
  }
  if (best < MIN_PER_SIDE) return null;
  // Centre the gutter in the white space between the columns' facing edges.
  const x = (bestRun[0] + bestRun[1]) / 2;
  let facingLeft = -Infinity;
  let facingRight = Infinity;
  for (const row of rows) {
    if (row.some((f) => f.x0 < x && f.x1 > x)) continue;
    for (const f of row) {
      if (f.x1 <= x) facingLeft = Math.max(facingLeft, f.x1);
      else facingRight = Math.min(facingRight, f.x0);
    }
  }
  return Number.isFinite(facingLeft) && Number.isFinite(facingRight) ? (facingLeft + facingRight) / 2 : x;
}

/**
 * How much running text stands side by side across x: over each stretch of the page between
 * rows that cross x, the smaller of the counts of lines that fill their column on either side.
 * A single-column page scores nothing (its lines cross the middle); a table's cells do not fill
 * a column, so tables score little.
 */
function sideBySide(rows: Fragment[][], x: number, minX: number, maxX: number): number {
  const leftWidth = x - minX;
  const rightWidth = maxX - x;
  let total = 0;
  let left = 0;
  let right = 0;
  const close = () => {
    total += Math.min(left, right);
    left = 0;
    right = 0;
  };
  for (const row of rows) {
    if (row.some((f) => f.x0 < x && f.x1 > x)) {
      close();
      continue;
    }
    for (const f of row) {
      const width = f.x1 - f.x0;
      if (f.x1 <= x && width >= FULL_LINE * leftWidth) left++;
      if (f.x0 >= x && width >= FULL_LINE * rightWidth) right++;
    }
  }
  close();
  return total;
}

interface RawLine {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  block: number;
  column: string;
}

function lineOf(fragments: Fragment[], block: number, column: string): RawLine | null {
  if (fragments.length === 0) return null;
  const ordered = [...fragments].sort((a, b) => a.x0 - b.x0);
  const text = joinAdjacent(ordered.map((f) => ({ ...f, spaceBefore: true })));
  if (text.length === 0) return null;
  const main = ordered.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  return {
    text,
    x0: ordered[0].x0,
    x1: Math.max(...ordered.map((f) => f.x1)),
    y: main.y,
    size: main.size,
    block,
    column,
  };
}

function rowsOf(fragments: Fragment[]): Fragment[][] {
  const rows = new Map<number, Fragment[]>();
  for (const f of fragments) {
    const row = rows.get(f.row);
    if (row) row.push(f);
    else rows.set(f.row, [f]);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/** Lines of one page in reading order. `nextBlock` hands out block numbers unique per document. */
export function orderPage(page: PageText, nextBlock: () => number): Line[] {
  const raw: RawLine[] = [];
  const gutter = findGutter(page.fragments);
  if (gutter === null) {
    const block = nextBlock();
    for (const row of rowsOf(page.fragments)) {
      const line = lineOf(row, block, 'full');
      if (line) raw.push(line);
    }
  } else {
    let left: Fragment[][] = [];
    let right: Fragment[][] = [];
    let spanningBlock = -1;
    const flush = () => {
      for (const [rows, column] of [[left, 'left'], [right, 'right']] as const) {
        const block = nextBlock();
        for (const row of rows) {
          const line = lineOf(row, block, column);
          if (line) raw.push(line);
        }
      }
      left = [];
      right = [];
    };
    for (const row of rowsOf(page.fragments)) {
      if (row.some((f) => f.x0 < gutter - 1 && f.x1 > gutter + 1)) {
        if (left.length + right.length > 0 || spanningBlock < 0) {
          flush();
          spanningBlock = nextBlock();
        }
        const line = lineOf(row, spanningBlock, 'full');
        if (line) raw.push(line);
        continue;
      }
      const l = row.filter((f) => f.x1 <= gutter);
      const r = row.filter((f) => f.x0 >= gutter);
      if (l.length > 0) left.push(l);
      if (r.length > 0) right.push(r);
    }
    flush();
  }
  for (const aside of page.asides) {
    const block = nextBlock();
    for (const row of rowsOf(aside)) {
      const line = lineOf(row, block, `aside${block}`);
      if (line) raw.push(line);
    }
  }
  return withColumnStats(raw, page.page);
}

interface ColumnStats {
  left: number;
  right: number;
  justified: boolean;
  steps: Map<number, number>;
  lines: number;
}

function columnStats(lines: RawLine[]): ColumnStats {
  const lefts = new Map<number, number>();
  for (const l of lines) lefts.set(Math.round(l.x0), (lefts.get(Math.round(l.x0)) ?? 0) + 1);
  const left = [...lefts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const rights = lines.map((l) => l.x1).sort((a, b) => b - a);
  const right = rights[Math.floor(rights.length * 0.1)];
  // Justified text ends most lines at one x, to the point; ragged text only comes close.
  const ends = new Map<number, number>();
  for (const l of lines) ends.set(Math.round(l.x1), (ends.get(Math.round(l.x1)) ?? 0) + 1);
  let full = 0;
  for (const x of ends.keys()) full = Math.max(full, (ends.get(x - 1) ?? 0) + (ends.get(x) ?? 0) + (ends.get(x + 1) ?? 0));
  const stepsBySize = new Map<number, number[]>();
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1];
    const b = lines[i];
    const dy = b.y - a.y;
    if (a.block !== b.block || Math.abs(a.size - b.size) >= 0.5 || dy <= 0 || dy >= 3 * b.size) continue;
    const key = Math.round(b.size);
    const list = stepsBySize.get(key) ?? [];
    list.push(dy);
    stepsBySize.set(key, list);
  }
  const steps = new Map<number, number>();
  for (const [key, list] of stepsBySize) steps.set(key, median(list));
  return { left, right, justified: lines.length >= 4 && full >= 0.5 * lines.length, steps, lines: lines.length };
}

function withColumnStats(raw: RawLine[], page: number): Line[] {
  const stats = new Map<string, ColumnStats>();
  for (const column of new Set(raw.map((l) => l.column))) {
    stats.set(column, columnStats(raw.filter((l) => l.column === column)));
  }
  return raw.map((l) => {
    const s = stats.get(l.column) as ColumnStats;
    return {
      text: l.text,
      page,
      x0: l.x0,
      x1: l.x1,
      y: l.y,
      size: l.size,
      block: l.block,
      left: s.left,
      right: s.right,
      justified: s.justified,
      step: s.steps.get(Math.round(l.size)) ?? 1.25 * l.size,
      columnLines: s.lines,
    };
  });
}

// From pdf.js text items to positioned text: runs (one item each) turned into the page's
// dominant reading frame, grouped into rows (one baseline) and fragments (a row split at wide
// gaps, so that two columns sharing a baseline stay apart). Pure geometry, no pdf.js import.
import { joinAdjacent, type Piece } from './pdf-join.js';

/** The parts of a pdf.js TextItem this module reads. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

export interface Run {
  text: string;
  /** Start of the run along the reading direction, and its baseline, in frame coordinates. */
  x: number;
  y: number;
  length: number;
  size: number;
}

export interface Fragment {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Index of the fragment's row on its page, top to bottom. */
  row: number;
}

/** A page's text in its reading frame, plus its extent in that frame. */
export interface PageText {
  page: number;
  /** Quarter turns from viewport space to this page's reading frame (see toFrame). */
  turns: number;
  top: number;
  bottom: number;
  fragments: Fragment[];
  /** Text in other orientations, kept as separate rows when it is more than a stray label. */
  asides: Fragment[][];
}

type Matrix = readonly number[];

function multiply(m: Matrix, n: Matrix): number[] {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

interface OrientedRun {
  run: Run;
  /** Quarter turns of the reading direction (0 = left to right on the page), or -1 if oblique. */
  turns: number;
  /** Position in viewport space, for re-framing. */
  vx: number;
  vy: number;
}

const ROW_TOLERANCE = 0.45; // of the larger font size: superscripts join their line, next lines do not
const FRAGMENT_GAP = 1.0; // of the font size: a gap wider than this starts a new fragment
// Text in a minority orientation (a rotated arXiv stamp, axis labels) is dropped below this share.
const ASIDE_SHARE = 0.05;
const OVERPRINT = 0.2; // of the font size: the same text this close is printed twice, read once

function orient(item: PdfTextItem, viewport: Matrix, vertical: boolean): OrientedRun | null {
  // Fonts without a usable ToUnicode map yield control characters; they are not text.
  // eslint-disable-next-line no-control-regex
  const text = item.str.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  if (text.length === 0) return null;
  const t = multiply(viewport, item.transform);
  if (!t.every(Number.isFinite)) return null;
  const scale = Math.hypot(t[0], t[1]);
  if (scale === 0) return null;
  const size = Math.abs(t[0] * t[3] - t[1] * t[2]) / scale;
  let turns: number;
  let length = item.width;
  if (vertical) {
    // Vertical writing advances down the page; columns of text run right to left.
    turns = 1;
    length = item.height;
  } else {
    const angle = (Math.atan2(t[1], t[0]) * 180) / Math.PI;
    const quarter = Math.round(angle / 90);
    turns = Math.abs(angle - quarter * 90) < 5 ? (quarter + 4) % 4 : -1;
  }
  if (!(size > 0) || !Number.isFinite(length)) return null;
  return { run: { text, x: 0, y: 0, length: Math.max(0, length), size }, turns, vx: t[4], vy: t[5] };
}

/** Rotates a viewport point so that text with `turns` quarter turns reads left to right. */
export function toFrame(turns: number, x: number, y: number): [number, number] {
  switch (turns) {
    case 1:
      return [y, -x];
    case 2:
      return [-x, -y];
    case 3:
      return [-y, x];
    default:
      return [x, y];
  }
}

function frameExtent(turns: number, width: number, height: number): [number, number] {
  const ys = [
    toFrame(turns, 0, 0)[1],
    toFrame(turns, width, 0)[1],
    toFrame(turns, 0, height)[1],
    toFrame(turns, width, height)[1],
  ];
  return [Math.min(...ys), Math.max(...ys)];
}

/**
 * Drops runs that repeat the same text at (nearly) the same place: fake bold and drop shadows
 * are drawn by printing a string twice, and a reader should see it once.
 */
function withoutOverprints(runs: Run[]): Run[] {
  const seen = new Map<string, Run[]>();
  const out: Run[] = [];
  for (const run of runs) {
    if (run.text.length === 0) continue;
    if (run.text.trim().length === 0) {
      out.push(run);
      continue;
    }
    const same = seen.get(run.text) ?? [];
    const near = OVERPRINT * run.size;
    if (same.some((r) => Math.abs(r.x - run.x) <= near && Math.abs(r.y - run.y) <= near)) continue;
    same.push(run);
    seen.set(run.text, same);
    out.push(run);
  }
  return out;
}

/** Groups runs into rows by baseline and splits each row into fragments at wide gaps. */
export function fragmentsFromRuns(runs: Run[]): Fragment[] {
  const sorted = withoutOverprints(runs).sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: { y: number; size: number; runs: Run[] }[] = [];
  for (const run of sorted) {
    const row = rows[rows.length - 1];
    const isSpace = run.text.trim().length === 0;
    if (row && Math.abs(run.y - row.y) <= ROW_TOLERANCE * Math.max(run.size, row.size)) {
      row.runs.push(run);
      if (run.size > row.size && !isSpace) {
        row.size = run.size;
        row.y = run.y;
      }
    } else if (!isSpace) {
      rows.push({ y: run.y, size: run.size, runs: [run] });
    }
  }
  const fragments: Fragment[] = [];
  rows.forEach((row, index) => {
    const ordered = row.runs.sort((a, b) => a.x - b.x);
    let group: Run[] = [];
    let end = -Infinity;
    const flush = () => {
      const fragment = fragmentOf(group, index);
      if (fragment) fragments.push(fragment);
      group = [];
    };
    for (const run of ordered) {
      const gap = run.x - end;
      if (group.length > 0 && gap > FRAGMENT_GAP * Math.max(run.size, group[group.length - 1].size)) flush();
      group.push(run);
      end = Math.max(end, run.x + run.length);
    }
    flush();
  });
  return fragments;
}

function fragmentOf(runs: Run[], row: number): Fragment | null {
  // pdf.js emits the spaces it infers as runs of their own; they mark a word break before the
  // next run even where the gap alone would be too narrow to tell.
  const pieces: Piece[] = [];
  let spaced = false;
  for (const r of runs) {
    if (r.text.trim().length === 0) {
      spaced = true;
      continue;
    }
    pieces.push({ text: r.text, x0: r.x, x1: r.x + r.length, size: r.size, spaceBefore: spaced });
    spaced = false;
  }
  if (pieces.length === 0) return null;
  const text = joinAdjacent(pieces);
  if (text.length === 0) return null;
  // The dominant size, by characters, so a superscript does not make a line look small.
  const weights = new Map<number, number>();
  let y = runs[0].y;
  let best = 0;
  for (const r of runs) {
    const key = Math.round(r.size * 4) / 4;
    const weight = (weights.get(key) ?? 0) + r.text.trim().length;
    weights.set(key, weight);
    if (weight > best) {
      best = weight;
      y = r.y;
    }
  }
  const size = [...weights.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return {
    text,
    x0: Math.min(...pieces.map((p) => p.x0)),
    x1: Math.max(...pieces.map((p) => p.x1)),
    y,
    size,
    row,
  };
}

/**
 * Turns one page's text items into fragments in the page's dominant reading frame. Items in
 * other orientations become asides when they carry a real share of the page's text.
 */
export function pageText(
  page: number,
  items: PdfTextItem[],
  isVertical: (fontName: string) => boolean,
  viewport: { transform: Matrix; width: number; height: number },
): PageText {
  const byTurns = new Map<number, OrientedRun[]>();
  for (const item of items) {
    const oriented = orient(item, viewport.transform, isVertical(item.fontName));
    if (!oriented) continue;
    const list = byTurns.get(oriented.turns) ?? [];
    list.push(oriented);
    byTurns.set(oriented.turns, list);
  }
  const charsOf = (list: OrientedRun[]) => list.reduce((n, r) => n + r.run.text.trim().length, 0);
  const total = [...byTurns.values()].reduce((n, list) => n + charsOf(list), 0);
  const groups = [...byTurns.entries()].sort((a, b) => charsOf(b[1]) - charsOf(a[1]));
  const framed = (turns: number, list: OrientedRun[]): Fragment[] => {
    const frame = turns < 0 ? 0 : turns;
    return fragmentsFromRuns(
      list.map(({ run, vx, vy }) => {
        const [x, y] = toFrame(frame, vx, vy);
        return { ...run, x, y };
      }),
    );
  };
  const [mainTurns, mainRuns] = groups[0] ?? [0, []];
  const [top, bottom] = frameExtent(Math.max(0, mainTurns), viewport.width, viewport.height);
  const asides = groups
    .slice(1)
    .filter(([, list]) => charsOf(list) >= ASIDE_SHARE * total)
    .map(([turns, list]) => framed(turns, list));
  const turns = Math.max(0, mainTurns);
  return { page, turns, top, bottom, fragments: framed(mainTurns, mainRuns), asides };
}

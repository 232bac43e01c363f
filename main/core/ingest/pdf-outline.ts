// The PDF outline (bookmarks) resolved to pages: each entry's title, depth and the point on
// its page that the destination names. Broken entries are skipped, never fatal.

interface OutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items?: OutlineNode[];
}

/** The parts of pdf.js's PDFDocumentProxy this module uses. */
export interface OutlineSource {
  numPages: number;
  getOutline(): Promise<OutlineNode[] | null>;
  getDestination(id: string): Promise<unknown[] | null>;
  getPageIndex(ref: { num: number; gen: number }): Promise<number>;
}

export interface OutlineTarget {
  title: string;
  level: number;
  page: number;
  /** The destination's point in PDF user space, when it names one. */
  left: number | null;
  top: number | null;
}

const MAX_ENTRIES = 10_000;
const MAX_DEPTH = 6;

function isRef(value: unknown): value is { num: number; gen: number } {
  return typeof value === 'object' && value !== null && 'num' in value && 'gen' in value;
}

function destinationPoint(dest: unknown[]): { left: number | null; top: number | null } {
  const kind = (dest[1] as { name?: string } | undefined)?.name;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  if (kind === 'XYZ') return { left: num(dest[2]), top: num(dest[3]) };
  if (kind === 'FitH' || kind === 'FitBH') return { left: null, top: num(dest[2]) };
  if (kind === 'FitR') return { left: num(dest[2]), top: num(dest[5]) };
  return { left: null, top: null };
}

async function resolve(source: OutlineSource, node: OutlineNode, level: number): Promise<OutlineTarget | null> {
  const title = node.title.replace(/\s+/g, ' ').trim();
  if (title.length === 0) return null;
  const dest = typeof node.dest === 'string' ? await source.getDestination(node.dest) : node.dest;
  if (!Array.isArray(dest) || dest.length === 0) return null;
  const target = dest[0];
  const index = isRef(target) ? await source.getPageIndex(target) : typeof target === 'number' ? target : -1;
  if (!Number.isInteger(index) || index < 0 || index >= source.numPages) return null;
  return { title, level, page: index + 1, ...destinationPoint(dest) };
}

/** The outline in document order, or an empty list when there is none or it cannot be read. */
export async function readOutline(source: OutlineSource): Promise<OutlineTarget[]> {
  const out: OutlineTarget[] = [];
  const walk = async (nodes: OutlineNode[] | null | undefined, level: number): Promise<void> => {
    for (const node of nodes ?? []) {
      if (out.length >= MAX_ENTRIES) return;
      const target = await resolve(source, node, Math.min(level, MAX_DEPTH)).catch(() => null);
      if (target) out.push(target);
      await walk(node.items, level + 1);
    }
  };
  try {
    await walk(await source.getOutline(), 1);
  } catch {
    // An unreadable outline only costs the headings it would have given.
  }
  return out;
}

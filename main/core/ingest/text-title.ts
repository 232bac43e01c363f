// A text's title when nothing better names it: the first short line of the first 64K characters
// of its body, fed line by line so that a streamed text finds it as a whole one does.
import { inlineText } from './markdown.js';

const LOOK_CHARS = 64 * 1024;

export class TitleFinder {
  private seen = 0;
  private title: string | null = null;

  constructor(private readonly kind: 'txt' | 'md') {}

  line(text: string): void {
    if (this.title !== null || this.seen >= LOOK_CHARS) return;
    // Only the part of the line within the first LOOK_CHARS characters counts.
    const visible = text.slice(0, LOOK_CHARS - this.seen);
    this.seen += text.length + 1;
    const t = this.kind === 'md' ? inlineText(visible.replace(/^\s*#+\s*/, '').replace(/<[^>]*>/g, '')) : visible.trim();
    if (t.length === 0 || /^[-=*_#\s]+$/.test(t)) return;
    this.title = t.length <= 100 ? t : '';
  }

  /** The title found, or '' (then the file's name names the document). */
  found(): string {
    return this.title ?? '';
  }
}

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../main/cli-progress.js';

function sink(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream: w as unknown as NodeJS.WriteStream, lines };
}

describe('progressLine', () => {
  it('estimates the time left when the work gives no estimate (PDF pages)', async () => {
    const { stream, lines } = sink();
    const line = progressLine(stream, 0);
    await new Promise((r) => setTimeout(r, 50));
    line.update('ingesting', 10, 100, 'pages');
    expect(lines[0]).toMatch(/^ingesting: 10\/100 pages \(10%\), about \d+ s left\n$/);
  });

  it("keeps the work's own estimate, and none where it has none", () => {
    const { stream, lines } = sink();
    const line = progressLine(stream, 0);
    line.update('reading', 5, 10, 'tokens', 42.2);
    expect(lines[0]).toBe('reading: 5/10 tokens (50%), about 43 s left\n');
    const other = sink();
    progressLine(other.stream, 0).update('reading', 5, 10, 'tokens', null);
    expect(other.lines[0]).toBe('reading: 5/10 tokens (50%)\n');
  });
});

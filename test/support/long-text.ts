// A long plain-text file for the huge-input tests and benchmark (issue 18), written at run time
// and never committed: Pride and Prejudice without its Gutenberg licence, copy after copy, each
// numbered, streamed to disk so that writing it holds only the novel in memory.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { fixture } from './fixtures.js';

const MiB = 2 ** 20;

/** Writes about `mb` MiB of the novel, copy after copy, without holding it all in memory. */
export function writeLongText(path: string, mb: number): void {
  const file = readFileSync(fixture('novels/pride_and_prejudice.txt'), 'utf8').replace(/\r\n/g, '\n');
  // The book without Project Gutenberg's header and licence: their markers repeated would make
  // the file a series of books rather than one long text.
  const start = /^\*{3}\s*START OF.*$/m.exec(file);
  const end = /^\*{3}\s*END OF.*$/m.exec(file);
  const novel = file.slice(start ? start.index + start[0].length : 0, end ? end.index : file.length);
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    for (let copy = 1; written < mb * MiB; copy++) {
      written += writeSync(fd, `\n\nCopy ${copy}\n\n${novel}`);
    }
  } finally {
    closeSync(fd);
  }
}


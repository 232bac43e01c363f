// A licence in plain text with Markdown-like underlines: the MPL 2.0 as Debian ships it
// (/usr/share/common-licenses/MPL-2.0). Until 2026-12-05 its outline held the title and the two
// exhibits only: "1. Definitions" over a line of dashes was read as a list item, and sections 6
// and 7, drawn inside a box of asterisks, as bullets.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { ingestFixture } from '../support/ingest-fixture.js';

describe('MPL-2.0: the outline', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await ingestFixture('licenses/MPL-2.0.txt');
  });

  it('has every numbered section and both exhibits under the title', () => {
    expect(doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.level, b.text])).toEqual([
      [1, 'Mozilla Public License Version 2.0'],
      [2, '1. Definitions'],
      [2, '2. License Grants and Conditions'],
      [2, '3. Responsibilities'],
      [2, '4. Inability to Comply Due to Statute or Regulation'],
      [2, '5. Termination'],
      [2, '6. Disclaimer of Warranty'],
      [2, '7. Limitation of Liability'],
      [2, '8. Litigation'],
      [2, '9. Miscellaneous'],
      [2, '10. Versions of the License'],
      [2, 'Exhibit A - Source Code Form License Notice'],
      [2, 'Exhibit B - "Incompatible With Secondary Licenses" Notice'],
    ]);
  });

  it('reads the boxed sections as paragraphs, without the box', () => {
    const disclaimer = doc.blocks.find((b) => b.text.startsWith('Covered Software is provided under this License'));
    expect(disclaimer?.kind).toBe('paragraph');
    expect(disclaimer?.text).toMatch(/^Covered Software is provided under this License on an "as is" basis, without warranty of any kind, .* except under this disclaimer\.$/);
    expect(doc.text).not.toMatch(/\*{3}/);
  });
});

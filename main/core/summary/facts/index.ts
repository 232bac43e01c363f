// Which key facts a document gets, by its genre.
import type { DocumentGenre, SummaryFact } from '../../../../common/types.js';
import type { SummaryContext } from '../context.js';
import { chapterFacts, characterFacts } from './characters.js';
import { contractFacts } from './contract.js';
import { paperFacts } from './paper.js';

export function keyFacts(ctx: SummaryContext, genre: DocumentGenre, chinese: boolean): SummaryFact[] {
  switch (genre) {
    case 'contract':
      return contractFacts(ctx, chinese);
    case 'law':
      return [...contractFacts(ctx, chinese), ...chapterFacts(ctx, chinese)];
    case 'paper':
      return paperFacts(ctx);
    case 'novel':
    case 'book':
      return [...characterFacts(ctx, chinese), ...chapterFacts(ctx, chinese)];
    case 'other':
      return chapterFacts(ctx, chinese);
  }
}

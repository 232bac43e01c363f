// A citation as a chip: its page (or section) on the chip, the quote on hover and focus, a click
// jumps to it and paints it.
import { useId } from 'react';
import type { Citation } from '../../../common/types.js';
import { contentLanguage, useI18n } from '../i18n.js';

export function CitationChip({ citation, onShow }: { citation: Citation; onShow: (c: Citation) => void }) {
  const { t } = useI18n();
  const tip = useId();
  const where = citation.page !== null ? t('citationPage', { page: citation.page }) : citation.section ? t('citationSection', { section: citation.section.slice(0, 30) }) : t('citation');
  return (
    <span className="chip-wrap">
      <button
        type="button"
        className="chip"
        data-testid="citation"
        data-page={citation.page ?? ''}
        aria-describedby={tip}
        onClick={() => onShow(citation)}
      >
        {where}
      </button>
      <span role="tooltip" id={tip} className="tip" lang={contentLanguage(citation.quote)}>
        {citation.quote}
      </span>
    </span>
  );
}

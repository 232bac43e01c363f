// pdf.js, loaded when the first PDF opens. Its viewer module reads the library from
// globalThis.pdfjsLib, so the library is loaded and published first. The worker is the app's own
// copy (vite emits it as an asset).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import 'pdfjs-dist/web/pdf_viewer.css';

export interface PdfViewerKit {
  lib: typeof import('pdfjs-dist');
  viewer: typeof import('pdfjs-dist/web/pdf_viewer.mjs');
}

let loading: Promise<PdfViewerKit> | null = null;

export function loadPdfjs(): Promise<PdfViewerKit> {
  loading ??= (async () => {
    const lib = await import('pdfjs-dist');
    lib.GlobalWorkerOptions.workerSrc = new URL(workerUrl, document.baseURI).href;
    (globalThis as { pdfjsLib?: unknown }).pdfjsLib = lib;
    const viewer = await import('pdfjs-dist/web/pdf_viewer.mjs');
    return { lib, viewer };
  })();
  return loading;
}

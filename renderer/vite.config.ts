// Builds the React renderer into renderer/dist: the one set of files both the Electron window
// (over the app:// scheme) and web mode (over loopback HTTP) serve. pdf.js's binary assets
// (character maps, standard fonts, ICC profiles, wasm decoders) are copied beside it, so the
// reader never fetches anything from outside the app.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const pdfjsRoot = join(here, '..', 'node_modules', 'pdfjs-dist');
const outDir = join(here, 'dist');

function copyPdfjsAssets(): Plugin {
  return {
    name: 'lectern-pdfjs-assets',
    apply: 'build',
    writeBundle() {
      for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
        cpSync(join(pdfjsRoot, dir), join(outDir, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

export default defineConfig({
  root: here,
  // Relative URLs: the same build loads from app://lectern/ and from http://127.0.0.1:PORT/.
  base: './',
  plugins: [react(), copyPdfjsAssets()],
  build: {
    outDir,
    emptyOutDir: true,
    // No data: URIs: the CSP allows images and fonts from 'self' only.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
    // The bundler's timing report is noise in `npm test`'s output on a busy two-core machine.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});

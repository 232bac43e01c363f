// The preload runs sandboxed, where only `require('electron')` works: it is bundled into one
// CommonJS file (a sandboxed preload cannot be an ES module) with common/ inlined.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  build: {
    outDir: join(here, '..', 'dist', 'preload'),
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    lib: { entry: join(here, 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rolldownOptions: { external: ['electron'], checks: { bundlerTimings: false } },
  },
});

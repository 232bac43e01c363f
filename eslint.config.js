import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The layers (ARCHITECTURE §1), one-way: common/ imports nothing; main/core/ never imports the
// engine or a front end; inside the core, the model runtime (core/model/) and the store
// (core/store/) do not know each other (reading/ joins them); preload/ and renderer/ reach the
// rest only through common/. Specifiers are matched as written (relative, with .js).
const FRONT_ENDS = {
  regex: '(^|/)(engine|web|app|renderer|preload)(/|\\.js$)|(^|/)(cli|cli-args|cli-progress|start)\\.js$|^electron$',
  message: 'main/core runs under every front end: it must not import the engine, the CLI, web, the app or Electron.',
};
const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.device/**', 'models/**/*.py', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Code is placed by the runtime it may run in (ARCHITECTURE §1, §6): the renderer sees only
  // common/ and its own files (and browser packages); the sandboxed preload only common/ and
  // electron; the core and common/ never Electron.
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'electron', 'better-sqlite3', 'onnxruntime-node'], message: 'the renderer never touches Node or Electron; use window.lectern' },
          { group: ['**/main/**', '**/preload/**', '**/test/**'], message: 'the renderer imports only common/ and its own files' },
        ],
      }],
    },
  },
  {
    files: ['preload/*.ts'],
    ignores: ['preload/vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'react', 'react-dom', 'pdfjs-dist', 'better-sqlite3', 'onnxruntime-node'], message: 'a sandboxed preload can require only electron' },
          { group: ['**/main/**', '**/renderer/**', '**/test/**'], message: 'the preload imports only common/ and electron' },
        ],
      }],
    },
  },
  {
    files: ['main/core/**/*.ts', 'common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'core/ and common/ run without Electron' }] }],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '../*'], message: 'common/ is plain ECMAScript shared by every runtime' }] }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      // Follow imports into TypeScript files, parsed as TypeScript; they are imported by their
      // emitted .js names.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '^(?!\\./)',
        message: 'common/ runs in every runtime (renderer, preload, Node): it imports only its own modules.',
      }),
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(FRONT_ENDS) },
  },
  {
    files: ['main/core/model/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(FRONT_ENDS, {
        regex: '(^|/)(store|reading|answer|summary|ingest)/|(^|/)library\\.js$',
        message: 'core/model is the runtime alone: the store and the passes that use it live in core/reading and core/answer.',
      }),
    },
  },
  {
    files: ['main/core/store/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(FRONT_ENDS, {
        regex: '(^|/)(model|reading|answer|summary)/|(^|/)library\\.js$',
        message: 'core/store is SQL only: it must not import the model runtime or the passes built on it.',
      }),
    },
  },
  {
    files: ['preload/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    // The build configurations run in Node at build time, not in the page.
    ignores: ['preload/vite.config.ts', 'renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '(^|/)(main|kernels|models|test)/|^node:',
        message: 'preload/ and renderer/ reach the engine only through common/ (window.lectern).',
      }),
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

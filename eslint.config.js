import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

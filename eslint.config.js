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

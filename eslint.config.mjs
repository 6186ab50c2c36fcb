import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-output/**', '.vscode-test/**', 'demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: 'error',
    },
  },
  {
    // All of src builds for the browser's web-worker extension host too (dist/web), except
    // src/node: the Node.js host's entry and its index worker.
    files: ['src/**/*.ts'],
    ignores: ['src/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'], message: 'No Node built-ins in src: it runs in the browser too.' }] },
      ],
    },
  },
  {
    // The core runs in plain Node tests, in the extension host and in a browser; the
    // webviews and the browser build's index worker have no vscode API either.
    files: ['src/core/**/*.ts', 'src/webview/**/*.ts', 'src/web/indexWorker.ts', 'src/web/ready.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode'], message: 'src/core, src/webview and the web index worker must not import vscode.' },
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process'], message: 'No Node built-ins in src/core and src/webview.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import pattern that keeps `who` out of the top-level folder `dir`. */
const layer = (dir, who) => ({
  regex: `^(\\.\\./)+${dir}(/|$)`,
  message: `${who} may not import ${dir}/ (see the layer rules in ARCHITECTURE.md).`,
});

export default tseslint.config(
  { ignores: ['node_modules', 'build', '.baton', 'test-results', 'playwright-report', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layers (ARCHITECTURE.md "Layout"): app/ and activities/ both use db/, contracts/, ir/ and nodes/, never each
  // other; db/ imports no app, activity or workflow code; contracts/ is pure. test/layering.test.ts checks the same.
  {
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('activities', 'The web app')] }] },
  },
  {
    // Request bodies are read with a size limit (app/lib/forms.server.ts `readForm`, http.server.ts `readJson`).
    files: ['app/**/*.{ts,tsx}', 'server.ts'],
    ignores: ['app/**/*.test.ts', 'app/lib/forms.server.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(formData|json|text|arrayBuffer|blob)$/][callee.object.name='request']",
          message: 'Read request bodies with readForm or readJson, which stop at a size limit.',
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    ignores: ['activities/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('app', 'Activities')] }] },
  },
  {
    // Express runs execute plans in the web process (docs/decisions/030-express-mode.md): no Temporal, no app.
    files: ['express/**/*.ts'],
    ignores: ['express/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...['app', 'activities', 'temporal'].map((dir) => layer(dir, 'Express runs (express/)')),
            {
              regex: '^(\\.\\./)+workflows/(?!graph-state$)',
              message: 'express/ may import from workflows/ only its pure graph-state, never the interpreter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['db/**/*.ts'],
    ignores: ['db/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['app', 'activities', 'workflows', 'temporal'].map((dir) => layer(dir, 'The store (db/)')) },
      ],
    },
  },
  {
    files: ['contracts/**/*.ts'],
    ignores: ['contracts/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'contracts/ is pure and shared with the browser and workflow code: import only other contracts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The interpreter must stay deterministic: only types, pure node specs and pure ir/ helpers.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'Workflow code may not use Node built-ins.' },
            {
              regex: '^(fs|path|os|crypto|child_process|http|https|net|url|util|stream|events)$',
              message: 'Workflow code may not use Node built-ins.',
            },
            { regex: '(^|/)nodes/[^/]+/run(\\.ts)?$', message: 'Workflows may import node specs only, never runners.' },
            {
              regex: '(^|/)activities(/|$)',
              message: 'Import activities as types only (proxyActivities<typeof activities>).',
              allowTypeImports: true,
            },
            { regex: '(^|/)app/', message: 'Workflow code may not import app code.' },
            { regex: '(^|/)db/', message: 'Workflow code may not import the store; activities read and write it.' },
            { regex: '\\.server(\\.ts)?$', message: 'Workflow code may not import server modules.' },
            {
              regex:
                '^(mongoose|mongodb|express|socket\\.io|quickjs-emscripten|playwright-core|puppeteer-core|@temporalio/(client|worker|activity))$',
              message: 'Workflow code may not import I/O libraries.',
            },
          ],
        },
      ],
    },
  },
);

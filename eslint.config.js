import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
              regex: '(^|/)activities/(?!events$)',
              message: 'Import activities as types only (proxyActivities<typeof activities>).',
              allowTypeImports: true,
            },
            { regex: '(^|/)app/', message: 'Workflow code may not import app code.' },
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

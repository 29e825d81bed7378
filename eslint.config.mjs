// Lint: the recommended rules of ESLint and typescript-eslint (no type-aware rules: they would
// need a TypeScript JavaScript API, and the type checker already runs in `npm run build`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'docs/**', '**/*.js', '!bin/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      // ANSI colour codes and XML-invalid characters are matched on purpose.
      'no-control-regex': 'off',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'azure-pipelines-task-lib/task', message: 'Only tasks/common/host and task entry files import task-lib.' }] },
      ],
    },
  },
  {
    files: ['tasks/common/host/**', 'tasks/*/v*/index.ts', 'test/**', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests poke into parsed reports (SARIF, JUnit) whose shapes they assert field by field.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

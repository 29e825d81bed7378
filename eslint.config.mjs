// Lint: the recommended rules of ESLint and typescript-eslint, plus type-aware rules (TypeScript
// 5.9 has the JavaScript API they need; TypeScript 7, the native compiler, would not).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import noPrototypeKeys from './scripts/lint/no-prototype-keys.cjs';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'docs/**', '**/*.js', '!bin/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // The first project that holds a file types it: the strict one (noUncheckedIndexedAccess), so
    // an `!` after an index read there is needed, not "unnecessary"; the main one for the rest.
    languageOptions: { parserOptions: { project: ['./tsconfig.strict.json', './tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
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
    // Product code: a key that may be user text is never looked up on a plain object (see the rule).
    // Tests and scripts look up their own tables.
    files: ['tasks/**/*.ts'],
    plugins: { local: { rules: { 'no-prototype-keys': noPrototypeKeys } } },
    rules: { 'local/no-prototype-keys': 'error' },
  },
  {
    // These gate tests assert types the checker already knows: the `!` after an index into the
    // controls' results, which the controls' own strict project needs.
    files: [
      'test/ArmTemplateSecurityGate/controls/catalogue.test.ts',
      'test/ArmTemplateSecurityGate/controls/e2e.test.ts',
      'test/ArmTemplateSecurityGate/controls/fixture-loader.ts',
      'test/ArmTemplateSecurityGate/reporters/reporters.test.ts',
    ],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    // A core is pure: settings and injected ports in, no task-lib, no node:fs, no TaskHost (the
    // composition roots in <Task>/task/ wire those in).
    files: ['tasks/*/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({ name, message: 'A core reads and writes files through the FileSystem port (tasks/common/fs/file-system.ts) it is handed.' })),
            ...['child_process', 'node:child_process'].map((name) => ({ name, message: 'A core runs no processes; inject a port.' })),
          ],
          patterns: [
            { group: ['azure-pipelines-task-lib', 'azure-pipelines-task-lib/*'], message: 'A core never imports task-lib: the composition root in <Task>/task/ talks to the agent.' },
            { group: ['**/common/host/*'], message: 'A core never sees the TaskHost, TaskInputs or TaskContext: settings and ports are handed to it by the composition root in <Task>/task/.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'A core reads no environment, working directory or exit code: take them as settings.' }],
    },
  },
  {
    // Tests poke into parsed reports (SARIF, JUnit) whose shapes they assert field by field.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

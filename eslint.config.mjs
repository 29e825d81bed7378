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
    // A core is pure: settings and injected ports in, no task-lib, no node:fs, no TaskHost (the
    // composition roots in <Task>/task/ wire those in). The three gate files below are composition
    // roots still inside core/; the exemption goes when they move to ArmTemplateSecurityGate/task/.
    files: ['tasks/*/core/**/*.ts'],
    ignores: ['tasks/ArmTemplateSecurityGate/core/gate-task.ts', 'tasks/ArmTemplateSecurityGate/core/node-deps.ts', 'tasks/ArmTemplateSecurityGate/core/task-inputs.ts'],
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

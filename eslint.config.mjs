// Lint guards from the Temporal samples: promises are awaited (a floating promise in a
// workflow is a bug), and workflow code imports no Node built-ins (it runs in a sandbox and
// must stay deterministic).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'Workflow and domain code must not use Node built-ins (non-deterministic I/O).' },
          { group: ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'timers'], message: 'No Node built-ins in workflow code.' },
          { group: ['../activities', '../activities/index', '../activities/*-activities'], importNames: ['*'], message: 'Import activity types only.' },
        ],
      }],
    },
  },
);

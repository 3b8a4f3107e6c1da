// Lint guards from the Temporal samples: promises are awaited (a floating promise in a
// workflow is a bug), and workflow code imports no Node built-ins (it runs in a sandbox and
// must stay deterministic). On top, typescript-eslint's type-checked recommended rules.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Built-ins come from Node itself, so a module a hand list forgot (util, events, stream)
// cannot slip into the sandbox. Bare names are `paths` (exact): a gitignore-style pattern
// `domain` or `path` would also match our own `../domain/...` imports. Subpaths (`fs/promises`)
// and every `node:` name (including prefix-only ones like node:test) are patterns; each
// import matches one entry, so it is reported once.
const builtinMessage = 'Workflow and domain code must not use Node built-ins (non-deterministic I/O; the sandbox lacks them).';
const builtinNames = [...new Set(builtinModules.map((name) => name.split('/')[0]))];
const builtinPaths = builtinNames.map((name) => ({ name, message: builtinMessage }));
const builtinPatterns = ['node:*', ...builtinNames.map((name) => `${name}/*`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // `const { secret: _secret, ...rest } = value` is how we drop a field, and `_name` marks a
      // parameter a signature requires (an update validator's request) that the body ignores.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: builtinPaths,
          patterns: [
            { group: builtinPatterns, message: builtinMessage },
            // Types are erased, so `import type` of the activities is how workflows name them.
            // A regex, not a group: the gitignore pattern `**/activities` would also catch
            // `../activities/options` (the option presets, plain data the workflows need).
            {
              regex: '(^|/)activities(/index|/[^/]+-activities)?$',
              allowTypeImports: true,
              message: 'Import activity types only (import type); activities run outside the sandbox.',
            },
          ],
        },
      ],
    },
  },
);

// The linter (npm run lint; CI runs it): typescript-eslint's recommended rules over src/, test/ and
// scripts/, and imports in one sorted order (eslint-plugin-simple-import-sort). Layering (rooms import
// only downward) is checked by test/architecture.test.ts, which knows the layer list.
import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'models/', 'eval/', 'corpora/', '.scratch/', '.build/', '.work/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      // unused names are errors, except the _-prefixed ones a destructuring drops on purpose
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // any stands only where a library's types force it (yargs' command list, tfjs' customGrad) or
      // a container holds values of several types (step models' states, report rows); tsc checks the rest
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);

// ESLint flat config: typescript-eslint's recommended rules over src/ and test/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'output/', 'dist/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', { name: 'Math.random', message: 'use the seeded RNG from src/engine' }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng from src/engine: runs must be deterministic.' },
        { object: 'Date', property: 'now', message: 'No wall-clock reads in the simulator: pass time explicitly.' }],
    },
  },
  {
    // One indexing style for arrays and typed arrays under noUncheckedIndexedAccess: `a[i]!`, never `a[i] as number`.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'TSAsExpression[expression.type="MemberExpression"][expression.computed=true] > TSNumberKeyword',
        message: 'Index with `a[i]!` (the one indexing style in src/), not `a[i] as number`.',
      }],
    },
  },
  {
    files: ['test/**', 'bin/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);

// ESLint flat config, run by `npm test` (`npm run lint`): typescript-eslint's recommended rules,
// not the type-checked set (that needs a whole program per run). No formatting rules.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { secret: _dropped, ...rest } = x` is how a field is left out of a copy
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
      // a `let` read by a closure before its one assignment (run-product's drainer) cannot be a const
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/domain/**', 'src/app/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);

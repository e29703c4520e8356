// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages that must stay pure: time, randomness and I/O are injected (see CONVENTIONS §4). */
const PURE_PACKAGES = ['packages/expr', 'packages/flow', 'packages/compiler', 'packages/engine'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/generated/**',
      'data/**',
      '**/*.config.js',
      '**/*.config.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'Never evaluate code.' },
        { selector: "NewExpression[callee.name='Function']", message: 'Never evaluate code.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vm', message: 'Never evaluate code.' },
            { name: 'node:vm', message: 'Never evaluate code.' },
          ],
        },
      ],
    },
  },
  {
    files: PURE_PACKAGES.map((dir) => `${dir}/src/**/*.ts`),
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Inject a Clock; timers are effects.' },
        { name: 'setInterval', message: 'Inject a Clock; timers are effects.' },
        { name: 'fetch', message: 'No I/O in pure packages; go through Effects.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Inject a Clock instead of reading wall time.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'Inject randomness; output must be deterministic.',
        },
        { object: 'globalThis', property: 'setTimeout', message: 'Inject a Clock.' },
        { object: 'globalThis', property: 'fetch', message: 'No I/O in pure packages.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    // Tests use vitest's asymmetric matchers (`expect.any`, `expect.stringContaining`), typed `any`.
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);

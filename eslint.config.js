// ESLint (flat config): the TypeScript of src/, test/, bench/ and vitest.config.ts with type information
// (typescript-eslint's recommended type-checked rules, plus the ones that catch floating promises and
// conditions the types already decide); the plain JavaScript of bin/, examples/ and this file with the
// JavaScript rules only. Formatting is Prettier's (`npm run format`): eslint-config-prettier, last,
// turns off the rules that would argue with it.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'data/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)) },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-condition': 'error',
      // A leading underscore names what is there only to be left out: `const { restored: _restored, ...counts }`,
      // `const [_id, ...rest]`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: `async` without `await` is deliberate here. Fastify takes an `async` plugin or hook by its
      // promise (a plain function of the same arity would have to call `done`), and an `async` method that
      // implements a Promise-returning interface (the embedded Backend) turns a synchronous throw into the
      // rejection its callers handle. Dropping the keyword would change both.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Off in tests: a test reads a response as untyped JSON (`TestResponse.body: any`) and its `expect()`
      // calls are what check the shape; typing each body first would assert the very shape under test. In
      // src/ and bench/ these rules stay on, and values from the network are `unknown` until checked.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);

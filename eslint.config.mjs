import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'preview/.build/',
      'docs/',
      'coverage/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  // The scaffold's config type-checks only src/. The Node side (stack, demo API, generator, preview host, drills
  // and browser tests) is linted with the same rules against the same tsconfig, so a test's assertions are seen
  // by lint as well as by tsc.
  {
    files: ['{stack,scripts,preview,demo,tests}/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json' } },
  },
]);

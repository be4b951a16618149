// Browser tests against the preview host (preview/) and the real local stack, in Debian's Chromium.
// Run: npx playwright test -c tests/preview   (scripts/suites/70-browser.sh runs it with the JSON reporter)
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium';

const repo = path.resolve(__dirname, '..', '..');
export const PREVIEW_URL = process.env.PREVIEW_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts$/,
  outputDir: path.join(repo, 'test-results', 'preview-artifacts'),
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.PW_JSON_OUTPUT ? [['list'], ['json', { outputFile: process.env.PW_JSON_OUTPUT }]] : [['list']],
  use: {
    baseURL: PREVIEW_URL,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  // Reuses a running host (demo.sh, the suite); otherwise starts one for the run.
  webServer: {
    command: 'node --import tsx preview/server/main.ts',
    cwd: repo,
    url: `${PREVIEW_URL}/api/health`,
    reuseExistingServer: true,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

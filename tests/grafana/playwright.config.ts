// @grafana/plugin-e2e against a real Grafana (docker-compose: `npm run server`), the same journeys as
// tests/preview. Skipped, with the reason in the report, when GRAFANA_URL does not answer with a Grafana.
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import type { PluginOptions } from '@grafana/plugin-e2e';
import { chromiumLaunchOptions } from '../chromium';
import { GRAFANA_SKIP_REASON, GRAFANA_URL } from './grafana';

const repo = path.resolve(__dirname, '..', '..');
const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: chromiumLaunchOptions,
};

export default defineConfig<PluginOptions>({
  testDir: __dirname,
  outputDir: path.join(repo, 'test-results', 'grafana-artifacts'),
  timeout: 90_000,
  workers: 1,
  reporter: process.env.PW_JSON_OUTPUT ? [['list'], ['json', { outputFile: process.env.PW_JSON_OUTPUT }]] : [['list']],
  use: { baseURL: GRAFANA_URL, provisioningRootDir: path.join(repo, 'provisioning'), trace: 'retain-on-failure' },
  projects: GRAFANA_SKIP_REASON
    ? [{ name: 'grafana (skipped)', testMatch: /.*\.spec\.ts$/, use: chromium }]
    : [
        {
          name: 'auth',
          testDir: path.join(repo, 'node_modules', '@grafana', 'plugin-e2e', 'dist', 'auth'),
          testMatch: [/.*\.js/],
          use: chromium,
        },
        {
          name: 'run-tests',
          testMatch: /.*\.spec\.ts$/,
          use: { ...chromium, storageState: 'playwright/.auth/admin.json' },
          dependencies: ['auth'],
        },
      ],
});

if (GRAFANA_SKIP_REASON) {
  console.log(`tests/grafana skipped: ${GRAFANA_SKIP_REASON}`);
}

// Shared helpers: console-error capture, the monitor's own view of the formation, dependency checks that fail
// fast with the fix instead of hanging.
import { test as base, expect, type Page } from '@playwright/test';
import { Client } from 'pg';

export const APP = '/a/veza-slo-app';
export const SCREENSHOTS = 'test-results/screenshots';

/** Console errors and uncaught exceptions of a page; a test asserts the list is empty. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') {
        errors.push(`${m.text()} ${m.location().url ?? ''}`.trim());
      }
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    await use(errors);
  },
});
export { expect };

/** The primary as the pg_auto_failover monitor records it (not through the plugin). */
export async function monitorPrimary(): Promise<string | undefined> {
  const c = new Client({
    host: '127.0.0.1',
    port: 6000,
    user: 'autoctl_node',
    database: 'pg_auto_failover',
    connectionTimeoutMillis: 3000,
  });
  await c.connect();
  try {
    const r = await c.query<{ nodename: string }>(
      "select nodename from pgautofailover.node where reportedstate in ('primary', 'wait_primary', 'single') and goalstate = reportedstate order by nodeid limit 1"
    );
    return r.rows[0]?.nodename;
  } finally {
    await c.end();
  }
}

/** Fails with what to run when a dependency of the browser tests is missing. */
export async function requireStack(request: import('@playwright/test').APIRequestContext) {
  const status = await request.get('/api/preview/status', { timeout: 5000 }).catch(() => undefined);
  expect(status?.ok(), 'preview host not answering on 127.0.0.1:3000: start it with `npm run demo`').toBeTruthy();
  const prom = await request.get('/api/datasources/uid/prometheus/health', { timeout: 10000 });
  expect(
    prom.status(),
    `Prometheus not reachable through the host (${await prom.text()}): run \`npm run stack -- up\``
  ).toBe(200);
  const pgha = await request.get('/api/datasources/uid/pgha/health', { timeout: 30000 });
  const body = await pgha.text();
  expect(
    pgha.status(),
    `PG HA data source unhealthy (${body}): run \`npm run build\` and \`npm run stack -- up\``
  ).toBe(200);
}

export async function waitForAppPage(page: Page, testId: string) {
  await expect(page.getByTestId(testId)).toBeVisible({ timeout: 45_000 });
  // Let the first data round-trip settle before judging the console and taking the picture.
  await page.waitForLoadState('networkidle');
}

// The topology panel, rendered through the panel plugin's own export with frames from the Go backend, shows the
// primary the monitor names; a hard failover driven here reaches the open page through the live stream.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testIds } from '../../src/components/testIds';
import { topologyTestIds } from '../../src/panels/topology/testIds';
import { expect, monitorPrimary, requireStack, test } from './fixtures';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..');

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

test('the topology panel shows the primary the monitor names', async ({ page, consoleErrors }) => {
  const primary = await monitorPrimary();
  expect(primary, 'the monitor names a primary').toBeTruthy();
  await page.goto('/preview/panel/veza-pgtopology-panel');
  await expect(page.getByTestId(topologyTestIds.node(primary!))).toContainText(/primary/i);
  expect(consoleErrors).toEqual([]);
});

test('a hard failover appears in the open page', async ({ page, consoleErrors }) => {
  test.setTimeout(240_000);
  const before = await monitorPrimary();
  expect(before, 'the monitor names a primary').toBeTruthy();
  await page.goto('/preview/panel/veza-pgtopology-panel');
  await expect(page.getByTestId(topologyTestIds.node(before!))).toContainText(/primary/i);
  const newestEvent = await page.getByTestId(topologyTestIds.event).first().textContent();

  // Another engineer's stack CLI kills the primary hard and waits for the monitor to promote the standby.
  await run('npm', ['run', '--silent', 'stack', '--', 'failover', '--hard'], { cwd: repo, timeout: 180_000 });
  await expect
    .poll(monitorPrimary, { timeout: 120_000, message: 'the monitor promotes the other node' })
    .not.toBe(before);
  const after = (await monitorPrimary())!;

  // No reload: the stream carries the change into the page.
  await expect(page.getByTestId(topologyTestIds.node(after))).toContainText(/primary/i, { timeout: 30_000 });
  await expect(page.getByTestId(topologyTestIds.node(before!))).not.toContainText(/^primary$/i);
  // The live verdict follows too, and PgBouncer (switched by the hook) is not flagged once it routes to the new
  // primary: banner and drawing tell the same story.
  await expect(page.getByTestId(topologyTestIds.reason)).toContainText(`${after} is primary`, { timeout: 30_000 });
  await expect(page.getByTestId(topologyTestIds.pgbouncer)).toContainText(after, { timeout: 30_000 });
  await expect(page.getByTestId(topologyTestIds.pgbouncer)).not.toContainText(/routing stale/i);
  // The state changes stream too (every query of this page is live, so nothing re-runs on a timer).
  await expect(page.getByTestId(topologyTestIds.event).first()).not.toHaveText(newestEvent ?? '', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screenshots/topology-after-failover-dark.png', fullPage: true });

  // The app's Postgres HA page reads the same failover as one episode: who took over, and how fast.
  await page.goto('/a/veza-slo-app/topology');
  const episode = page.getByTestId(testIds.detail.episode).and(page.locator('[data-kind="failover"]')).first();
  await expect(episode).toContainText(`Failover: ${before} → ${after}`, { timeout: 30_000 });
  await expect(episode).toContainText(new RegExp(`${after} writable after \\d+\\.\\d s`));

  // The same failover judged against the objective (the data source's 95 % within 30 s, last 30 days): listed with
  // its time to writable and a verdict, in the page and in this month's report.
  const objective = page.getByTestId(testIds.topology.objective);
  await expect(objective).toContainText('Failover objective: 95 % of failovers writable within 30 s');
  await expect(objective).toHaveAttribute('data-state', /^(met|missed)$/);
  await expect(objective.locator('li', { hasText: `Failover: ${before} → ${after}` }).last()).toHaveAttribute(
    'data-verdict',
    'met'
  );
  await page.goto('/a/veza-slo-app/report');
  await expect(page.getByTestId(testIds.topology.objective)).toContainText(`Failover: ${before} → ${after}`, {
    timeout: 30_000,
  });
  expect(consoleErrors).toEqual([]);
});

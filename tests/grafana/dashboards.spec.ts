// The app's dashboards, the SLO panel and the alerting extension links in a real Grafana (docker-compose provisions
// the dashboards from the mounted plugin and the stack's Prometheus rules through its data source). Skipped with
// the reason when no Grafana answers at GRAFANA_URL; the same layouts run in the preview host (tests/preview).
import { expect, test } from '@grafana/plugin-e2e';
import { testIds } from '../../src/components/testIds';
import { sloPanelTestIds } from '../../src/panels/slo/testIds';
import { topologyTestIds } from '../../src/panels/topology/testIds';
import { GRAFANA_SKIP_REASON } from './grafana';

test.skip(!!GRAFANA_SKIP_REASON, GRAFANA_SKIP_REASON ?? '');

const SLOS = ['api-availability', 'api-latency', 'payment-success'];

test('NOC wall: the SLO panel shows every SLO, the topology panel a primary, in kiosk at 1920×1080 without scrolling', async ({
  gotoDashboardPage,
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const dashboard = await gotoDashboardPage({ uid: 'veza-noc-wall', queryParams: new URLSearchParams({ kiosk: '' }) });
  const slo = dashboard.getPanelByTitle('SLOs, worst first');
  for (const id of SLOS) {
    await expect(slo.locator.getByTestId(testIds.overview.tile(id))).toBeVisible({ timeout: 30_000 });
  }
  await expect(slo.locator.getByTestId(sloPanelTestIds.grid)).toHaveAttribute('data-stale', 'false');
  const topo = dashboard.getPanelByTitle('Postgres formation');
  await expect(topo.locator.getByTestId(topologyTestIds.panel)).toBeVisible();
  await expect(topo.locator).toContainText(/primary/i);
  const scroll = await page.evaluate(() => {
    const el = document.scrollingElement!;
    return el.scrollHeight - el.clientHeight;
  });
  expect(scroll).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/grafana-screenshots/noc-wall-kiosk.png' });
});

test('SLO detail: every panel draws without a query error for each SLO of the variable', async ({
  gotoDashboardPage,
  page,
}) => {
  for (const slo of SLOS) {
    const dashboard = await gotoDashboardPage({
      uid: 'veza-slo-detail',
      queryParams: new URLSearchParams({ 'var-slo': slo }),
    });
    await expect(dashboard.getPanelByTitle('Error budget left over the rolling window').locator).toBeVisible();
    await expect(dashboard).toHavePanelErrors(0);
    await expect(page.getByText('No data')).toHaveCount(0);
  }
});

test('Postgres HA: topology, measures, episodes and events without errors', async ({ gotoDashboardPage }) => {
  const dashboard = await gotoDashboardPage({ uid: 'veza-postgres-ha' });
  for (const title of ['Formation', 'Verdict and measures', 'Failover episodes', 'Monitor events']) {
    await expect(dashboard.getPanelByTitle(title).locator).toBeVisible();
  }
  await expect(dashboard).toHavePanelErrors(0);
  await expect(dashboard.getPanelByTitle('Verdict and measures').locator).toContainText(/healthy/i);
});

test('alerting: an SLO rule in Grafana offers "Open SLO page" and "Open runbook", which lead to the app', async ({
  page,
}) => {
  await page.goto('/alerting/list?search=APIAvailabilitySLOFastBurn');
  const rule = page.getByText('APIAvailabilitySLOFastBurn').first();
  await expect(rule).toBeVisible({ timeout: 30_000 });
  await rule.click();
  await page.getByRole('button', { name: /more/i }).first().click();
  await expect(page.getByRole('menuitem', { name: 'Open SLO page' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Open runbook' })).toBeVisible();
  await page.getByRole('menuitem', { name: 'Open SLO page' }).click();
  await expect(page).toHaveURL(/\/a\/veza-slo-app\/slos\/api-availability/);
  await expect(page.getByTestId(testIds.pages.SloDetail)).toBeVisible();
});

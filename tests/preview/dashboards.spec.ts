// The dashboards the app ships, laid out by the preview host at /d/<uid> with the stack behind it: the project's
// panels (the topology) render live through their own export and data source; each stock Grafana panel says which
// panel it is and shows the queries it runs, with the dashboard's variables substituted.
import { testIds } from '../../src/components/testIds';
import { sloPanelTestIds } from '../../src/panels/slo/testIds';
import { topologyTestIds } from '../../src/panels/topology/testIds';
import { SCREENSHOTS, expect, monitorPrimary, requireStack, test } from './fixtures';

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

test('the dashboard list names every shipped dashboard', async ({ page, consoleErrors }) => {
  await page.goto('/dashboards');
  const list = page.getByTestId('dashboard-list');
  await expect(list.getByRole('link')).toHaveText([
    'Veza SLO — NOC wall',
    'Veza SLO — SLO detail',
    'Veza SLO — Postgres HA',
  ]);
  expect(consoleErrors, 'console errors').toEqual([]);
});

test('Postgres HA dashboard: the topology panel live in its grid cell, the stock panels named with their queries', async ({
  page,
  consoleErrors,
}) => {
  const primary = await monitorPrimary();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/d/veza-postgres-ha');
  await expect(page.getByTestId('dashboard-title')).toHaveText('Veza SLO — Postgres HA');
  const topo = page.locator('[data-panel-type="veza-pgtopology-panel"]');
  await expect(topo.getByTestId(topologyTestIds.node(primary!))).toContainText(/primary/i, { timeout: 20_000 });
  // The topology cell is 14 of 24 columns wide, as the grid says.
  const [cell, grid] = [await topo.boundingBox(), await page.getByTestId('dashboard-grid').boundingBox()];
  expect(Math.abs(cell!.width / grid!.width - 14 / 24)).toBeLessThan(0.02);
  const stock = page.getByTestId('stock-panel');
  await expect(stock).toHaveCount(3);
  await expect(stock.first()).toContainText('Stock Grafana panel stat');
  await expect(page.getByTestId('stock-panel-query').first()).toContainText('"queryType":"measures"');
  await expect(page.getByTestId('dashboard-annotations')).toContainText('Failovers (pgha: episodes)');
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-postgres-ha-dark.png`, fullPage: true });
  expect(consoleErrors, 'console errors').toEqual([]);
});

test('SLO detail dashboard: the slo variable lists the SLOs from Prometheus and substitutes into every query', async ({
  page,
  consoleErrors,
}) => {
  await page.goto('/d/veza-slo-detail?var-slo=api-latency');
  const select = page.getByLabel('Variable slo');
  await expect(select.locator('option')).toHaveText(['api-latency', 'api-availability', 'payment-success']);
  await expect(select).toHaveValue('api-latency');
  const queries = page.getByTestId('stock-panel-query');
  expect(await queries.count()).toBeGreaterThanOrEqual(8);
  for (const q of await queries.allTextContents()) {
    expect(q).not.toContain('$slo');
  }
  await expect(queries.first()).toContainText('slo="api-latency"');
  await select.selectOption('payment-success');
  await expect(page).toHaveURL(/var-slo=payment-success/);
  await expect(queries.first()).toContainText('slo="payment-success"');
  await expect(page.getByRole('link', { name: 'Open in Veza SLO' })).toHaveAttribute(
    'href',
    '/a/veza-slo-app/slos/payment-success'
  );
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-slo-detail-dark.png`, fullPage: true });
  expect(consoleErrors, 'console errors').toEqual([]);
});

test('NOC wall dashboard at 1920×1080: the SLO panel shows every SLO at wall size, the topology live, the grid fits', async ({
  page,
  consoleErrors,
}) => {
  const primary = await monitorPrimary();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/d/veza-noc-wall');
  const slo = page.locator('[data-panel-type="veza-slo-panel"]');
  const grid = slo.getByTestId(sloPanelTestIds.grid);
  await expect(grid.getByRole('article')).toHaveCount(3, { timeout: 20_000 });
  for (const id of ['api-availability', 'api-latency', 'payment-success']) {
    await expect(grid.getByTestId(testIds.overview.tile(id))).toBeVisible();
  }
  await expect(slo.getByTestId(sloPanelTestIds.panel)).toHaveAttribute('data-prometheus', 'prometheus');
  await expect(
    page.locator('[data-panel-type="veza-pgtopology-panel"]').getByTestId(topologyTestIds.node(primary!))
  ).toContainText(/primary/i, { timeout: 20_000 });
  await expect(page.locator('[data-panel-type="alertlist"]')).toContainText('Stock Grafana panel alertlist');
  // The grid's own height (27 rows of 30 px + gaps) is within one 1080-pixel screen.
  const box = await page.getByTestId('dashboard-grid').boundingBox();
  expect(box!.height).toBeLessThanOrEqual(1080);
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-noc-wall-dark.png`, fullPage: true });
  expect(consoleErrors, 'console errors').toEqual([]);
});

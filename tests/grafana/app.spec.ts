// The same journeys as tests/preview, in a real Grafana through @grafana/plugin-e2e.
import { expect, test } from '@grafana/plugin-e2e';
import { testIds } from '../../src/components/testIds';
import { topologyTestIds } from '../../src/panels/topology/testIds';
import { GRAFANA_SKIP_REASON } from './grafana';

const pluginId = 'veza-slo-app';

test.skip(!!GRAFANA_SKIP_REASON, GRAFANA_SKIP_REASON ?? '');

const pages = [
  { path: 'slos', testId: testIds.pages.SloOverview },
  { path: 'slos/api-availability', testId: testIds.pages.SloDetail },
  { path: 'report', testId: testIds.pages.Report },
  { path: 'topology', testId: testIds.pages.Topology },
  { path: 'runbooks', testId: testIds.pages.Runbooks },
];

for (const p of pages) {
  test(`app page ${p.path} loads`, async ({ gotoAppPage, page }) => {
    await gotoAppPage({ pluginId, path: p.path });
    await expect(page.getByTestId(p.testId)).toBeVisible();
    await page.screenshot({
      path: `test-results/grafana-screenshots/${p.path.replace(/\//g, '-')}.png`,
      fullPage: true,
    });
  });
}

test('app config page saves the provisioned settings', async ({ gotoAppConfigPage, page }) => {
  const appConfigPage = await gotoAppConfigPage({ pluginId });
  await expect(page.getByTestId(testIds.appConfig.submit)).toBeVisible();
  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.submit).click();
  await expect(saved).toBeOK();
});

test('data source config editor saves and its health check reports each component', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Veza PG HA' });
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  await expect(configPage.saveAndTest()).toBeOK();
  for (const component of [/monitor/i, /PgBouncer/i, /node1/, /node2/]) {
    await expect(configPage).toHaveAlert('success', { hasText: component });
  }
});

test('the topology page shows the topology panel', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: 'topology' });
  await expect(page.getByTestId(topologyTestIds.panel)).toBeVisible();
});

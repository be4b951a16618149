// Every page of the app (and the host's plugin pages) loads without console errors, in both themes,
// and leaves a screenshot in test-results/screenshots/.
import { testIds } from '../../src/components/testIds';
import { sloPanelTestIds } from '../../src/panels/slo/testIds';
import { topologyTestIds } from '../../src/panels/topology/testIds';
import { APP, SCREENSHOTS, expect, requireStack, test, waitForAppPage } from './fixtures';

const pages: Array<{ name: string; path: string; testId: string }> = [
  { name: 'slo-overview', path: `${APP}/slos`, testId: testIds.pages.SloOverview },
  { name: 'slo-detail', path: `${APP}/slos/api-availability`, testId: testIds.pages.SloDetail },
  { name: 'report', path: `${APP}/report`, testId: testIds.pages.Report },
  { name: 'topology', path: `${APP}/topology`, testId: testIds.pages.Topology },
  { name: 'runbooks', path: `${APP}/runbooks`, testId: testIds.pages.Runbooks },
  { name: 'runbook-db-failover', path: `${APP}/runbooks/db-failover`, testId: testIds.pages.Runbooks },
  { name: 'app-config', path: '/plugins/veza-slo-app', testId: testIds.appConfig.submit },
  {
    name: 'datasource-config',
    path: '/connections/datasources/edit/pgha',
    testId: 'data-testid Data source settings page Save and Test button',
  },
  { name: 'topology-panel', path: '/preview/panel/veza-pgtopology-panel', testId: topologyTestIds.panel },
  { name: 'slo-panel', path: '/preview/panel/veza-slo-panel', testId: sloPanelTestIds.grid },
  { name: 'dashboard-noc-wall', path: '/d/veza-noc-wall', testId: sloPanelTestIds.grid },
];

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

for (const theme of ['dark', 'light'] as const) {
  for (const p of pages) {
    test(`${p.name} (${theme}) loads without console errors`, async ({ page, consoleErrors }) => {
      await page.goto(`${p.path}?theme=${theme}`);
      await waitForAppPage(page, p.testId);
      expect(await page.locator('html').getAttribute('class')).toContain(`theme-${theme}`);
      await page.screenshot({ path: `${SCREENSHOTS}/${p.name}-${theme}.png`, fullPage: true });
      expect(consoleErrors, 'console errors').toEqual([]);
    });
  }
}

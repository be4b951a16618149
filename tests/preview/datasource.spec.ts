// The data source's own ConfigEditor, rendered by the host's settings page: save (PUT) and "Save & test"
// (health over gRPC CheckHealth), which reports each component of the formation.
import { expect, requireStack, test } from './fixtures';

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

test('config editor saves and its health check reports each component', async ({ page, consoleErrors }) => {
  await page.goto('/connections/datasources/edit/pgha');
  const save = page.getByTestId('data-testid Data source settings page Save and Test button');
  await expect(save).toBeVisible({ timeout: 45_000 });

  const put = page.waitForResponse(
    (r) => r.url().endsWith('/api/datasources/uid/pgha') && r.request().method() === 'PUT'
  );
  const health = page.waitForResponse((r) => r.url().endsWith('/api/datasources/uid/pgha/health'));
  await save.click();
  expect((await put).status()).toBe(200);
  expect((await health).status()).toBe(200);

  const alert = page.getByTestId('data-testid Data source settings page Alert');
  await expect(alert).toBeVisible();
  for (const component of [/monitor/i, /PgBouncer/i, /node1/, /node2/]) {
    await expect(alert).toContainText(component);
  }
  expect(consoleErrors).toEqual([]);

  // The save went through Grafana's API shape: version bumped, no secret in the response.
  const ds = await (await page.request.get('/api/datasources/uid/pgha')).json();
  expect(ds.version).toBeGreaterThan(1);
  expect(JSON.stringify(ds)).not.toMatch(/"secureJsonData"/);
});

// Budget corrections from the report (issue 13, item 2): an editor selects a report row, "Correct…", gives a reason
// and saves; the annotation is stored by the host, the corrected figures and the corrections list show it. A
// viewer sees the list read-only and no "Correct…". Two hosts of their own (Editor and Viewer, PREVIEW_ROLE) on
// free ports sharing one fresh state dir, so the shared host on :3000 and its annotations are never touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testIds } from '../../src/components/testIds';
import { startFaultHost, type FaultHost } from './faultHost';
import { APP, expect, requireStack, test } from './fixtures';

const PROMETHEUS = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
let stateDir: string;
let editor: FaultHost | undefined;
let viewer: FaultHost | undefined;

test.beforeAll(async ({ request }) => {
  await requireStack(request);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-corrections-'));
  [editor, viewer] = await Promise.all(
    (['Editor', 'Viewer'] as const).map((role) =>
      startFaultHost(PROMETHEUS, { extraEnv: { PREVIEW_ROLE: role, PREVIEW_STATE_DIR: stateDir } })
    )
  );
});

test.afterAll(async () => {
  await Promise.all([editor?.close(), viewer?.close()]);
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** Last month in UTC: complete, with history in the stack's backfill. */
function lastMonth(): string {
  const now = new Date();
  const m = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('an editor corrects a report row; the corrected column and the list show it', async ({ page, consoleErrors }) => {
  await page.goto(`${editor!.url}${APP}/report?period=${lastMonth()}&tz=UTC`);
  const table = page.getByTestId(testIds.report.table);
  await expect(table).toBeVisible({ timeout: 45_000 });
  await expect(table.getByTestId(testIds.report.corrected)).toHaveCount(0);
  const row = table.locator('tbody tr').filter({ hasText: 'Payment success' });
  await row.getByTestId(testIds.report.correct).click();
  const form = page.getByTestId(testIds.corrections.form);
  await expect(form).toBeVisible();
  await page.getByTestId(testIds.corrections.reason).fill('Planned PSP maintenance (browser test)');
  await page.getByTestId(testIds.corrections.save).click();
  await expect(form).toBeHidden();
  // Saved through the host's annotations API: the row shows corrected SLI and budget used, the list the reason.
  await expect(row.getByTestId(testIds.report.corrected)).toHaveCount(2);
  const item = page.getByTestId(testIds.corrections.item);
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Maintenance window');
  await expect(item).toContainText('Payment success');
  await expect(item).toContainText('Planned PSP maintenance (browser test)');
  await expect(page.getByTestId(testIds.corrections.section)).toContainText(
    'Alerts are not changed by corrections: burn-rate rules read the raw counters.'
  );
  const stored = await (await fetch(`${editor!.url}/api/annotations?tags=veza-slo-correction`)).json();
  expect(stored).toEqual([
    expect.objectContaining({
      text: 'Planned PSP maintenance (browser test)',
      tags: expect.arrayContaining(['veza-slo-correction', 'kind:maintenance', 'slo:payment-success']),
    }),
  ]);
  expect(consoleErrors).toEqual([]);
});

test('a viewer sees the corrections read-only and no "Correct…"', async ({ page, consoleErrors }) => {
  await page.goto(`${viewer!.url}${APP}/report?period=${lastMonth()}&tz=UTC`);
  await expect(page.getByTestId(testIds.report.table)).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId(testIds.corrections.section)).toBeVisible();
  await expect(page.getByTestId(testIds.report.correct)).toHaveCount(0);
  await expect(page.getByTestId(testIds.corrections.delete)).toHaveCount(0);
  // The host refuses a Viewer's write whatever the UI shows.
  const denied = await fetch(`${viewer!.url}/api/annotations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ time: 0, timeEnd: 1, tags: ['veza-slo-correction'], text: 'x' }),
  });
  expect(denied.status).toBe(403);
  expect(consoleErrors).toEqual([]);
});

test('the overview tile and the SLO page show the rolling budget corrected beside the raw one', async ({
  page,
  consoleErrors,
}) => {
  const now = Date.now();
  const saved = await fetch(`${editor!.url}/api/annotations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      time: now - 2 * 86400000,
      timeEnd: now - 2 * 86400000 + 2 * 3600000,
      tags: ['veza-slo-correction', 'kind:accepted-incident', 'slo:api-availability'],
      text: 'CDN incident, accepted (browser test)',
    }),
  });
  expect(saved.status).toBe(200);
  await page.goto(`${editor!.url}${APP}/slos`);
  const tile = page.getByTestId(testIds.overview.tile('api-availability'));
  const corrected = tile.getByTestId(testIds.overview.corrected);
  await expect(corrected).toHaveText(/^\d+(\.\d)? % left$/, { timeout: 45_000 });
  await expect(corrected).toHaveAttribute(
    'title',
    /1 correction window left out\. Alerts are not changed by corrections\./
  );
  await page.goto(`${editor!.url}${APP}/slos/api-availability`);
  await expect(page.getByTestId(testIds.overview.corrected)).toHaveText(/% left · SLI \d/, { timeout: 45_000 });
  expect(consoleErrors).toEqual([]);
});

// The history's annotations in a Grafana (`npm run stack -- annotate`, what the demo runs): the deploy marks and the
// scripted maintenance posted to a preview host of its own (fresh state dir), idempotent, and the report shows them
// — the maintenance month's corrections list and corrected figures, the failover month's ledger with deploy lines.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testIds } from '../../src/components/testIds';
import { historyAnnotations, historyEndUnix } from '../../stack/history/annotate';
import { historySpan } from '../../stack/history/generate';
import { startFaultHost, type FaultHost } from './faultHost';
import { APP, expect, requireStack, test } from './fixtures';

const PROMETHEUS = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const repo = path.resolve(__dirname, '..', '..');
let stateDir: string;
let host: FaultHost | undefined;

test.beforeAll(async ({ request }) => {
  await requireStack(request);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-annotate-'));
  host = await startFaultHost(PROMETHEUS, { extraEnv: { PREVIEW_ROLE: 'Editor', PREVIEW_STATE_DIR: stateDir } });
});

test.afterAll(async () => {
  await host?.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const annotateCli = () =>
  execFileSync(process.execPath, ['--import', 'tsx', 'stack/cli.ts', 'annotate', '--grafana', host!.url], {
    cwd: repo,
    encoding: 'utf8',
  });
const monthOf = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 7);

test('annotate posts the deploys and the maintenance once; the report shows them', async ({ page, consoleErrors }) => {
  const end = historyEndUnix();
  const wanted = historyAnnotations(end);
  expect(annotateCli()).toContain(`${wanted.length} posted, 0 already there`);
  expect(annotateCli()).toContain(`0 posted, ${wanted.length} already there`);
  const stored = (await (await fetch(`${host!.url}/api/annotations?limit=100`)).json()) as Array<{ tags: string[] }>;
  expect(stored).toHaveLength(wanted.length);
  expect(stored.filter((a) => a.tags.includes('deploy'))).toHaveLength(5);

  // The maintenance month: the correction is listed and every SLO shows corrected figures.
  const span = historySpan(end);
  const maintenance = span.incidents.find((i) => i.id === 'planned-maintenance')!;
  await page.goto(`${host!.url}${APP}/report?period=${monthOf(maintenance.start)}&tz=UTC`);
  const table = page.getByTestId(testIds.report.table);
  await expect(table).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId(testIds.corrections.item)).toContainText('Planned database maintenance');
  await expect(table.getByTestId(testIds.report.corrected)).toHaveCount(6); // SLI and budget used, three SLOs

  // The failover month: its ledger has a deploy line (the routine deploy before it or the regression's).
  const failover = span.incidents.find((i) => i.id === 'failover')!;
  await page.goto(`${host!.url}${APP}/report?period=${monthOf(failover.start)}&tz=UTC`);
  const ledger = page.getByTestId(testIds.ledger.section);
  await expect(ledger).toBeVisible({ timeout: 45_000 });
  await expect(ledger.getByTestId(testIds.ledger.line('deploy')).first()).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

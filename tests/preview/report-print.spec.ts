// The monthly report as a document to forward (issue 13, item 5): the print view printed to PDF by Chromium, then
// read back with poppler (pdfinfo, pdftotext, pdftoppm): A4 pages, a header with the period, the time zone and the
// generation time, the report's tables, no app or host chrome, a light page, the history on a page of its own.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testIds } from '../../src/components/testIds';
import { APP, expect, requireStack, test } from './fixtures';

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

const OUT = 'test-results/report-print';

/** Mean grey level (0 black … 255 white) of a binary PGM file as pdftoppm -gray writes it. */
function meanGrey(file: string): number {
  const buf = fs.readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 50).toString('latin1'))!;
  const pixels = buf.subarray(header[0].length);
  let sum = 0;
  for (const p of pixels) {
    sum += p;
  }
  return sum / pixels.length;
}

test('the report prints to A4 pages: header, tables, light, no chrome, history on its own page', async ({
  page,
  consoleErrors,
}) => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const month = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
  await page.goto(`${APP}/report?month=${month}`);
  await page.getByTestId(testIds.report.printButton).click();
  await expect(page).toHaveURL(/[?&]print/);
  const view = page.getByTestId(testIds.report.print);
  await expect(view.getByTestId(testIds.report.table)).toBeVisible({ timeout: 30_000 });
  await expect(view.getByTestId(testIds.report.history)).toBeVisible();
  const pdf = path.join(OUT, `report-${month}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });

  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/); // A4 within a point

  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const label = last.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  expect(text).toContain('Veza SLO — error budget report');
  expect(text).toMatch(new RegExp(`Period\\s+${label}, UTC calendar month`));
  expect(text).toMatch(/Time zone\s+UTC/);
  expect(text).toMatch(/Generated\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  for (const slo of ['API availability', 'API write latency', 'Payment success']) {
    expect(text).toContain(slo);
  }
  expect(text).toContain('Month by month');
  // No chrome: the host's navigation, the app's buttons and the print view's own buttons are not printed.
  for (const chrome of ['Runbooks', 'Configuration', 'Print or save as PDF', 'Back to the report', 'Download CSV']) {
    expect(text).not.toContain(chrome);
  }
  // The history starts a page: page 1 does not hold it, a later page does.
  const pageText = text.split('\f');
  expect(pageText[0]).not.toContain('Month by month');
  expect(pageText.slice(1).join('\n')).toContain('Month by month');

  // Light: every page is mostly white (no dark page background showing under or around the document).
  execFileSync('pdftoppm', ['-gray', '-r', '30', pdf, path.join(OUT, 'page')]);
  const pgms = fs.readdirSync(OUT).filter((f) => /^page-\d+\.pgm$/.test(f));
  expect(pgms).toHaveLength(pages);
  for (const f of pgms) {
    expect(meanGrey(path.join(OUT, f)), f).toBeGreaterThan(200);
  }
  // Nothing is cut at the right margin: the history table's last month is on the page.
  const oldest = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 6, 1));
  expect(text).toContain(oldest.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }));

  await page.getByRole('button', { name: 'Back to the report' }).click();
  await expect(page.getByTestId(testIds.report.print)).toHaveCount(0);
  expect(consoleErrors, 'console errors').toEqual([]);
});

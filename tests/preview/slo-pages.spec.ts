// The SLO pages against the preview host and the stack's real Prometheus: the overview (worst first, keyboard),
// the drill-down from an alert's dashboard_url to the highlighted rule and its runbook, the report, and the
// kiosk/TV mode that keeps its last values, marked stale, when Prometheus stops answering mid-run.
import fs from 'node:fs';
import path from 'node:path';
import { testIds } from '../../src/components/testIds';
import { APP, SCREENSHOTS, expect, requireStack, test, waitForAppPage } from './fixtures';

const STACK_DIR = process.env.VEZA_STACK_DIR ?? '/var/lib/veza-stack';

interface RulesAnswer {
  data: {
    groups: Array<{
      rules: Array<{
        type: string;
        name: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      }>;
    }>;
  };
}

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

test('overview: one tile per SLO with its budget, reachable by keyboard', async ({ page, consoleErrors }) => {
  await page.goto(`${APP}/slos`);
  await waitForAppPage(page, testIds.pages.SloOverview);
  const grid = page.getByTestId(testIds.overview.grid);
  await expect(grid.getByRole('article')).toHaveCount(3);
  for (const id of ['api-availability', 'api-latency', 'payment-success']) {
    await expect(page.getByTestId(testIds.overview.tile(id)).getByTestId(testIds.overview.remaining)).toHaveText(
      /^−?\d+(\.\d)? %$/
    );
  }
  // Every alert of the SLO has its badge: the two default tiers and the NoData alert of slo-guards.yml.
  const badges = page.getByTestId(testIds.overview.tile('payment-success')).getByTestId(testIds.overview.alertState);
  await expect(badges).toHaveText([/^fast: /, /^slow: /, /^no data: /]);
  // The formation's verdict sits above the tiles (the PG HA data source is provisioned in the preview).
  await expect(page.getByTestId(testIds.overview.postgres)).toHaveAttribute('data-verdict', 'healthy', {
    timeout: 60_000,
  });
  // The first tile's title is a link reachable with Tab, and Enter opens the detail page.
  const first = grid.getByRole('article').first().getByRole('link').first();
  await first.focus();
  await expect(first).toBeFocused();
  await page.keyboard.press('Enter');
  await waitForAppPage(page, testIds.pages.SloDetail);
  await expect(page.getByTestId(testIds.detail.burnChart('1h'))).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('detail: the failover drill reads as one episode (new primary, time to writable), raw events one click away', async ({
  page,
  consoleErrors,
}) => {
  // 52-stack-drill hard-kills the primary before this suite runs, so the last 24 h hold at least one failover.
  await page.goto(`${APP}/slos/payment-success?from=now-24h&to=now`);
  await waitForAppPage(page, testIds.pages.SloDetail);
  const failover = page.getByTestId(testIds.detail.episode).and(page.locator('[data-kind="failover"]')).first();
  await expect(failover).toContainText(/Failover: node\d → node\d/, { timeout: 30_000 });
  await expect(failover).toContainText(/node\d writable after \d+\.\d s/);
  await expect(page.getByTestId(testIds.detail.eventMarker).first()).toBeAttached();
  await failover.getByText(/\d+ monitor events/).click();
  await expect(failover.locator('details ol li').first()).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('drill-down: an alert dashboard_url opens the SLO with the alert highlighted; the runbook is one click away', async ({
  page,
  request,
  consoleErrors,
}) => {
  const rules = (await (
    await request.get('/api/datasources/uid/prometheus/resources/api/v1/rules')
  ).json()) as RulesAnswer;
  const alert = rules.data.groups
    .flatMap((g) => g.rules)
    .find((r) => r.type === 'alerting' && r.name === 'APILatencySLOFastBurn');
  expect(alert?.annotations?.dashboard_url, 'APILatencySLOFastBurn carries dashboard_url').toBeTruthy();
  const url = new URL(alert!.annotations!.dashboard_url);
  // The generated rules name the alert in the link; Alertmanager's templates add the time range.
  expect(url.searchParams.get('alert')).toBe('APILatencySLOFastBurn');
  await page.goto(`${url.pathname}${url.search}`);
  await waitForAppPage(page, testIds.pages.SloDetail);
  const row = page.getByTestId(testIds.detail.highlighted);
  await expect(row).toContainText('APILatencySLOFastBurn');
  await expect(page.getByTestId(testIds.detail.latencyChart)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/slo-drilldown.png`, fullPage: true });
  await row.getByTestId(testIds.detail.runbookLink).click();
  await waitForAppPage(page, testIds.pages.Runbooks);
  await expect(page).toHaveURL(/\/runbooks\/api-latency-slo-burn/);
  await expect(page.getByTestId(testIds.runbooks.body)).toContainText(/latency/i);
  await expect(page.getByTestId(testIds.runbooks.rules)).toContainText('APILatencySLOFastBurn');
  expect(consoleErrors).toEqual([]);
});

interface AlertsAnswer {
  data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

test('landing from a notification: the alert range shows its firing history and a budget with context', async ({
  page,
  request,
  consoleErrors,
}) => {
  // The stack drills (suites 55-59) kill the API and stop exporters, so SLO alerts fired in the last day. Take the
  // latest firing of any SLO alert and open the link Alertmanager's template builds for it:
  // dashboard_url + from = StartsAt − 1 h, to = EndsAt (or now while it fires).
  const q = encodeURIComponent('ALERTS{alertstate="firing", slo=~".+"}[24h]');
  const answer = (await (
    await request.get(`/api/datasources/uid/prometheus/resources/api/v1/query?query=${q}`)
  ).json()) as AlertsAnswer;
  const latest = answer.data.result
    .map((s) => ({ metric: s.metric, last: s.values[s.values.length - 1][0], values: s.values }))
    .sort((a, b) => b.last - a.last)[0];
  test.skip(!latest, 'no SLO alert fired in the last 24 h: run the stack drills (scripts/suites/5*-stack-*.sh) first');
  // The last run of samples (5 s apart while firing) is the latest episode.
  const times = latest.values.map(([t]) => t);
  let start = times.length - 1;
  while (start > 0 && times[start] - times[start - 1] <= 15) {
    start--;
  }
  const firedMs = times[start] * 1000;
  const lastMs = latest.last * 1000;
  const resolved = Date.now() - lastMs > 60_000;
  const params = new URLSearchParams({
    alert: latest.metric.alertname,
    from: String(firedMs - 3600_000),
    to: resolved ? String(lastMs + 5000) : 'now',
  });
  await page.goto(`${APP}/slos/${latest.metric.slo}?${params}`);
  await waitForAppPage(page, testIds.pages.SloDetail);
  const episode = page
    .getByTestId(testIds.detail.alertHistory)
    .getByTestId(testIds.detail.alertEpisode)
    .and(page.locator(`[data-alert="${latest.metric.alertname}"][data-fired="yes"]`))
    .last();
  await expect(episode).toContainText(/fired .*(resolved|still active).* · firing for /, { timeout: 30_000 });
  if (resolved) {
    await expect(episode).toHaveAttribute('data-resolved', 'yes');
  }
  // About 70 minutes: the budget chart shows the 30 days before the range end, the range marked.
  await expect(page.getByTestId(testIds.detail.budgetContext)).toContainText(
    /Budget left .* at the start of this range/
  );
  await expect(page.getByTestId(testIds.detail.budgetChart)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/slo-landing-alert-history.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('report: a complete month with its history table', async ({ page, consoleErrors }) => {
  const d = new Date();
  const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  const key = `${prev.getUTCFullYear()}-${String(prev.getUTCMonth() + 1).padStart(2, '0')}`;
  await page.goto(`${APP}/report?month=${key}`);
  await waitForAppPage(page, testIds.pages.Report);
  await expect(page.getByTestId(testIds.report.table).locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId(testIds.report.history)).toContainText(/met|missed/);
  expect(consoleErrors).toEqual([]);
});

test('kiosk mode never goes blank: Prometheus stopped mid-run → last values stay, marked stale with the reason', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pidFile = path.join(STACK_DIR, 'run', 'prometheus.pid');
  test.skip(!fs.existsSync(pidFile), `no Prometheus pid file at ${pidFile}: the stack is not run by stack/cli.ts here`);
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  await page.goto(`${APP}/slos?kiosk&refresh=5s`);
  await waitForAppPage(page, testIds.overview.kiosk);
  await expect(page.getByTestId(testIds.overview.grid).getByRole('article')).toHaveCount(3);
  const before = await page.getByTestId(testIds.overview.remaining).allTextContents();
  expect(before.every((t) => t !== '—')).toBe(true);
  // SIGSTOP freezes Prometheus (requests hang until the client's timeout), SIGCONT resumes it unchanged.
  process.kill(pid, 'SIGSTOP');
  try {
    await expect(page.getByTestId(testIds.states.stale)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId(testIds.states.stale)).toContainText(/Stale: values from .* ago\./);
    await expect(page.getByTestId(testIds.overview.grid).getByRole('article')).toHaveCount(3);
    expect(await page.getByTestId(testIds.overview.remaining).allTextContents()).toEqual(before);
    // The Postgres strip does not depend on Prometheus: it keeps judging the formation.
    await expect(page.getByTestId(testIds.overview.postgres)).toHaveAttribute('data-verdict', 'healthy');
    await page.screenshot({ path: `${SCREENSHOTS}/slo-kiosk-stale.png`, fullPage: true });
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await expect(page.getByTestId(testIds.states.stale)).toBeHidden({ timeout: 60_000 });
});

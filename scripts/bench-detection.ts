// Detection-time benchmark (npm run bench -- detection): how long a total GET outage takes to reach on-call with the
// PRODUCTION rules the stack loads (provisioning/prometheus/slo.yml: for 2m), never the drills' shortened copy
// (stack/test/rules-mode.ts). From the moment the load generator's GETs all fail, it records when the 1 h error
// ratio crosses the fast-burn threshold, when APIAvailabilitySLOFastBurn turns pending and firing, when
// Alertmanager holds it, and when the page lands in the notification sink (PagerDuty trigger and Slack page
// channel), against the workbook bound read from the committed files (scripts/bench/detectionBound.ts).
//
// The bound assumes a clean long window: errors already in the last hour make the crossing faster. So the bench
// first waits until the availability SLO's last hour holds no 5xx (--max-wait-min, default 75: a full clean hour
// may be needed after a drill), and records the run anyway, with the hour's error count, when it is not clean.
// The knobs are put back as they were as soon as the page has landed (also on Ctrl-C). The bench then waits for
// the alert's RESOLVED notification, so Alertmanager's group is gone before the next drill: a drill whose page
// joins a live group waits for its 5-minute group_interval instead of the 10 s group_wait (--no-settle skips it).
//
// Options: --max-wait-min N, --no-wait (start now, clean or not), --wait-only (wait for a clean hour and exit;
// needs nothing but Prometheus, so it can run outside the stack lock), --no-settle.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PORTS, REPO } from '../stack/lib/config';
import { sleep } from '../stack/lib/proc';
import {
  alertmanagerAlerts,
  notifications,
  promQuery,
  resolvedNotified,
  type Notification,
} from '../stack/test/alertDrill';
import { detectionBound } from './bench/detectionBound';

const ALERT = 'APIAvailabilitySLOFastBurn';
const SLO = 'api-availability';
const KNOBS = `http://127.0.0.1:${PORTS.load}/knobs`;
const PROM = `http://127.0.0.1:${PORTS.prometheus}`;
const RULES = path.join(REPO, 'provisioning', 'prometheus', 'slo.yml');
const BAD_1H = 'sum(increase(http_requests_total{job="veza-api",method="GET",code=~"5.."}[1h]))';
const RATIO = (w: string) => `slo:sli_error:ratio_rate${w}{slo="${SLO}"}`;

const { values: opts } = parseArgs({
  options: {
    'max-wait-min': { type: 'string', default: '75' },
    'no-wait': { type: 'boolean', default: false },
    'wait-only': { type: 'boolean', default: false },
    'no-settle': { type: 'boolean', default: false },
  },
});

const scalar = async (q: string) => Number((await promQuery(q))[0]?.value[1] ?? 0);
const stamp = () => new Date().toISOString().slice(11, 19);

/** Waits until the last hour holds no GET 5xx; returns whether it got there in time. */
async function waitClean(maxMin: number): Promise<boolean> {
  const end = Date.now() + maxMin * 60_000;
  for (;;) {
    const bad = await scalar(BAD_1H);
    if (bad === 0) {
      console.log(`${stamp()} the last hour holds no GET 5xx: clean`);
      return true;
    }
    if (Date.now() >= end) {
      console.log(`${stamp()} still ${Math.round(bad)} GET 5xx in the last hour after ${maxMin} min: running anyway`);
      return false;
    }
    console.log(`${stamp()} ${Math.round(bad)} GET 5xx in the last hour: waiting for a clean hour`);
    await sleep(60_000);
  }
}

interface RulesApi {
  data: {
    groups: Array<{ file: string; rules: Array<{ name: string; type: string; duration: number; labels: object }> }>;
  };
}

/** Refuses to run on anything but the repo's slo.yml as committed (the drills' copy carries drill_run, for: 20s). */
async function checkProductionRules(forS: number) {
  const api = (await (await fetch(`${PROM}/api/v1/rules?type=alert`)).json()) as RulesApi;
  const loaded = api.data.groups
    .flatMap((g) => g.rules.map((r) => ({ ...r, file: g.file })))
    .find((r) => r.name === ALERT);
  if (!loaded || loaded.file !== RULES || loaded.duration !== forS || 'drill_run' in loaded.labels) {
    throw new Error(
      `${ALERT} is not loaded from ${RULES} with for ${forS}s (got ${JSON.stringify(loaded ?? null)}): ` +
        'restore the production rules first (npx tsx stack/test/rules-mode.ts normal)'
    );
  }
}

async function knobs(method: 'GET' | 'PUT', body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(KNOBS, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) {
    throw new Error(`${method} ${KNOBS}: HTTP ${r.status} ${await r.text()}`);
  }
  return ((await r.json()) as { knobs: Record<string, unknown> }).knobs;
}

const firstAt = (ns: Notification[], match: (n: Notification) => boolean) => {
  const hit = ns.filter(match).map((n) => Date.parse(n.receivedAt));
  return hit.length ? Math.min(...hit) : undefined;
};
const names = (n: Notification) => JSON.stringify(n.body).includes(ALERT);
const pagerDutyAt = (ns: Notification[]) =>
  firstAt(ns, (n) => n.kind === 'pagerduty' && n.body.event_action === 'trigger' && names(n));
const slackPageAt = (ns: Notification[]) =>
  firstAt(ns, (n) => n.kind === 'slack' && n.path.includes('page') && JSON.stringify(n.body).includes(`] ${ALERT}`));

/** Our alert in Alertmanager: not a drill's copy (drill_run) nor a second engine's (engine). */
const inAlertmanager = async () =>
  (await alertmanagerAlerts({ alertname: ALERT })).some((a) => !a.labels.drill_run && !a.labels.engine);
const alertState = async (state: string) =>
  (await promQuery(`ALERTS{alertname="${ALERT}",alertstate="${state}",drill_run=""}`)).length > 0;

async function main() {
  const bound = detectionBound(
    fs.readFileSync(RULES, 'utf8'),
    fs.readFileSync(path.join(REPO, 'provisioning', 'alertmanager', 'routes.yml'), 'utf8'),
    ALERT,
    'page-oncall'
  );
  const clean = opts['no-wait'] ? (await scalar(BAD_1H)) === 0 : await waitClean(Number(opts['max-wait-min']));
  if (opts['wait-only']) {
    process.exit(clean ? 0 : 1);
  }
  await checkProductionRules(bound.forS);
  if (await inAlertmanager()) {
    throw new Error(`${ALERT} is already held by Alertmanager: its group would delay the page; try again later`);
  }
  const before = {
    clean,
    getErrorsLastHour: Math.round(await scalar(BAD_1H)),
    ratio1h: await scalar(RATIO('1h')),
    getRps: Math.round((await scalar('sum(rate(http_requests_total{job="veza-api",method="GET"}[5m]))')) * 10) / 10,
  };
  const saved = await knobs('GET');
  let restored = false;
  const restore = async () => {
    if (!restored) {
      restored = true;
      await knobs('PUT', saved); // every route key, as it was
      console.log(`${stamp()} knobs restored`);
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => void restore().finally(() => process.exit(130)));
  }

  const since = new Date().toISOString();
  const t0 = Date.now();
  const at: Record<string, number> = {};
  const mark = (what: string) => {
    if (at[what] === undefined) {
      at[what] = Math.round((Date.now() - t0) / 100) / 10;
      console.log(`${stamp()} +${at[what]} s ${what}`);
    }
  };
  try {
    await knobs('PUT', { GET: { errorShare: 1 } });
    console.log(`${stamp()} total GET outage started (${JSON.stringify(before)})`);
    const deadline = t0 + (bound.boundS + 300) * 1000;
    while (Date.now() < deadline) {
      if (at.crossed === undefined && (await scalar(RATIO('1h'))) > bound.threshold) {
        mark('crossed');
      }
      if (at.pending === undefined && (await alertState('pending'))) {
        mark('pending');
      }
      if (at.firing === undefined && (await alertState('firing'))) {
        mark('firing');
      }
      if (at.alertmanager === undefined && (await inAlertmanager())) {
        mark('alertmanager');
      }
      const ns = await notifications(since);
      const pd = pagerDutyAt(ns);
      const slack = slackPageAt(ns);
      if (pd !== undefined && slack !== undefined) {
        at.pagerduty = Math.round((pd - t0) / 100) / 10;
        at.slack = Math.round((slack - t0) / 100) / 10;
        break;
      }
      await sleep(1000);
    }
  } finally {
    await restore();
  }
  if (at.pagerduty === undefined) {
    throw new Error(`${ALERT}: no page within ${Math.round(bound.boundS + 300)} s (${JSON.stringify(at)})`);
  }
  const pagedS = Math.max(at.pagerduty, at.slack);
  console.log(`${stamp()} paged after ${pagedS} s (PagerDuty ${at.pagerduty} s, Slack ${at.slack} s)`);

  let resolvedS: number | undefined;
  if (!opts['no-settle']) {
    const end = Date.now() + 20 * 60_000;
    while (Date.now() < end && !resolvedNotified(await notifications(since), ALERT)) {
      await sleep(5000);
    }
    resolvedS = Math.round((Date.now() - t0) / 1000);
    console.log(`${stamp()} +${resolvedS} s RESOLVED notified: Alertmanager's group is gone`);
  }
  const summary = {
    at: new Date(t0).toISOString(),
    before,
    bound: { ...bound, crossS: Math.round(bound.crossS * 10) / 10, boundS: Math.round(bound.boundS * 10) / 10 },
    secondsFromOutageStart: at,
    pagedS,
    pagedMin: Math.round((pagedS / 60) * 100) / 100,
    boundMin: Math.round((bound.boundS / 60) * 100) / 100,
    resolvedS,
  };
  console.log(JSON.stringify(summary, null, 2));
}

void main().catch((e: Error) => (console.error(`bench detection: ${e.message}`), process.exit(1)));

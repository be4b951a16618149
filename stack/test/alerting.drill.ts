// Alerting end to end over the running stack (scripts/suites/55-stack-alerting.sh; needs `stack up`, root): a total
// GET outage driven by the load generator's knobs makes APIAvailabilitySLOFastBurn reach the sink through the page
// route (Slack page channel + PagerDuty, with the runbook and SLO page links), while the slow burn of the same SLO
// fires but is inhibited in Alertmanager and never notified. TEST-ONLY settings, restored in after(): every rule
// `for:` cut to 20 s (stack/test/rules-mode.ts), GETs at 60 req/s per route, so that the 1h/6h windows cross
// 14.4×/6× burn within a minute or two. The tests run in order and share the outage.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import yaml from 'js-yaml';
import { PORTS, REPO } from '../lib/config';
import { sleep } from '../lib/proc';
import {
  firing,
  inhibited,
  notifications,
  pagerDutyLinks,
  reportTiming,
  restoreAll,
  rulesMode,
  until,
  type Notification,
} from './alertDrill';

const KNOBS = `http://127.0.0.1:${PORTS.load}/knobs`;
const FAST = 'APIAvailabilitySLOFastBurn';
const SLOW = 'APIAvailabilitySLOSlowBurn';

/** Seconds Alertmanager holds a new ticket group before notifying it (routes.yml: the ticket route, or the root). */
function ticketGroupWaitS(): number {
  const doc = yaml.load(fs.readFileSync(path.join(REPO, 'provisioning', 'alertmanager', 'routes.yml'), 'utf8')) as {
    route: { group_wait?: string; routes?: Array<{ receiver: string; group_wait?: string }> };
  };
  const wait = doc.route.routes?.find((r) => r.receiver === 'ticket-oncall')?.group_wait ?? doc.route.group_wait;
  const m = /^(\d+)([sm])$/.exec(wait ?? '');
  assert.ok(m, `ticket route group_wait ${wait}: expected like 30s or 1m`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

async function knobs(method: 'PUT' | 'POST', url: string, body?: unknown) {
  const r = await fetch(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(r.ok, `${method} ${url}: HTTP ${r.status} ${await r.text()}`);
}

const since = new Date().toISOString();
const ours = () => notifications(since);
const hasPagerDuty = (ns: Notification[], name: string) =>
  ns.some((n) => n.kind === 'pagerduty' && JSON.stringify(n.body).includes(name));
let outageAt = 0;

before(async () => {
  rulesMode('fast');
  await knobs('PUT', KNOBS, { GET: { errorShare: 1, rps: 60 } });
  outageAt = Date.now();
});
after(async () => {
  const reset = await knobs('POST', `${KNOBS}/reset`).then(
    () => undefined,
    (e: Error) => e.message
  );
  restoreAll([() => assert.equal(reset, undefined, 'load generator knobs not reset'), () => rulesMode('normal')]);
});

test(`${FAST} reaches the sink (within 4 min)`, async (t) => {
  // 4 minutes from the outage's start for both. A page of the previous run (< 5 min ago) keeps its Alertmanager
  // group, whose next notification waits for the 5-minute group_interval tick: back-to-back runs may need longer.
  const left = () => Math.max(1, Math.round(240 - (Date.now() - outageAt) / 1000));
  const firingS = await until(`${FAST} firing`, left(), outageAt, async () => (await firing([FAST])).length > 0);
  const notifiedS = await until(`${FAST} at the sink through PagerDuty`, left(), outageAt, async () =>
    hasPagerDuty(await ours(), FAST)
  );
  reportTiming(t, 'fast-burn', { firingS, notifiedS });
});

test('page route: Slack page channel got it', async () => {
  // Alertmanager sends Slack and PagerDuty in the same round; a few seconds allow for the order they land in.
  await until(`${FAST} on the Slack page channel`, 15, Date.now(), async () =>
    (await ours()).some((n) => n.kind === 'slack' && n.path.includes('page') && JSON.stringify(n.body).includes(FAST))
  );
});

test('PagerDuty event links the runbook', async () => {
  const links = pagerDutyLinks(await ours(), FAST);
  assert.ok(
    links.some((l) => l.text === 'Runbook' && l.href.includes('runbooks/')),
    `links: ${JSON.stringify(links)}`
  );
});

test('PagerDuty event links the SLO page', async () => {
  const links = pagerDutyLinks(await ours(), FAST);
  assert.ok(
    links.some((l) => l.text === 'SLO page' && l.href.length > 0),
    `links: ${JSON.stringify(links)}`
  );
});

let slowFiredAt = 0;

test('slow burn is firing but inhibited in Alertmanager', async (t) => {
  const firingS = await until(
    `${SLOW} firing in Prometheus`,
    240,
    outageAt,
    async () => (await firing([SLOW])).length > 0
  );
  slowFiredAt = Date.now();
  const inhibitedS = await until(`${SLOW} held and inhibited by Alertmanager`, 60, outageAt, () =>
    inhibited({ alertname: SLOW })
  );
  reportTiming(t, 'slow-burn', { firingS, inhibitedS });
});

test('no slow-burn notification reached the sink', async () => {
  assert.ok(slowFiredAt, `${SLOW} never fired: nothing to wait for`);
  // A ticket that was not inhibited would be sent group_wait after Alertmanager got the alert: wait past that.
  await sleep(Math.max(0, slowFiredAt + (ticketGroupWaitS() + 15) * 1000 - Date.now()));
  assert.equal(await inhibited({ alertname: SLOW }), true, `${SLOW} no longer inhibited while waiting`);
  // Only a firing notification would break the inhibition: a [RESOLVED] one belongs to an earlier run's alert (a
  // run stopped mid-drill, whose slow burn resolved when the rules were restored) and may arrive at any time.
  const slow = (await ours()).filter((n) => {
    const body = JSON.stringify(n.body);
    return body.includes(SLOW) && !/\[RESOLVED\]|"event_action":"resolve"/.test(body);
  });
  assert.deepEqual(slow, [], `${SLOW} notified although inhibited`);
});

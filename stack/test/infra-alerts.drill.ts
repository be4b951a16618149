// Infra alerts live, over the stack's real exporters (scripts/suites/56-stack-infra-alerts.sh; needs `stack up`,
// root): Redis stopped → RedisDown fires (redis_exporter) and pages with its runbook; `stack up` restarts Redis and
// it resolves. The API's certificate reissued for 1 day → blackbox_exporter sees it, CertExpiringSoon pages and its
// 14-day ticket twin is inhibited; renewed for 90 days → both clear. TEST-ONLY rules for the run (every `for:` 20 s,
// alerts stamped drill_run: stack/test/rules-mode.ts); after() renews the certificate, runs `stack up` and puts
// the repo's rules back, also when a step failed. The tests run in order, each on the state the previous one left.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readPid } from '../lib/proc';
import {
  firing,
  inhibited,
  notifications,
  pagerDutyLinks,
  promQuery,
  reportTiming,
  restoreAll,
  rulesMode,
  stack,
  until,
} from './alertDrill';

const since = new Date().toISOString();
let certChanged = false;

before(() => rulesMode('fast'));
after(() =>
  restoreAll([() => certChanged && stack('cert', '--days', '90'), () => stack('up'), () => rulesMode('normal')])
);

/** The first value of an instant query, or undefined when it returns nothing. */
async function value(q: string): Promise<number | undefined> {
  const [row] = await promQuery(q);
  return row ? Number(row.value[1]) : undefined;
}

/** Seconds `fn` took. */
function seconds(fn: () => unknown): number {
  const t0 = Date.now();
  fn();
  return Math.round((Date.now() - t0) / 100) / 10;
}

const isFiring = async (name: string, severity?: 'page' | 'ticket') => (await firing([name], severity)).length > 0;
const gone = (name: string) => async () => !(await isFiring(name));

/** A PagerDuty event for the alert reached the sink, linking its runbook (or a section of it). */
async function pagedWithRunbook(name: string, runbook: string): Promise<boolean> {
  const href = new RegExp(`runbooks/${runbook}(#[a-z0-9-]+)?$`);
  return pagerDutyLinks(await notifications(since), name).some((l) => l.text === 'Runbook' && href.test(l.href));
}

test('before: Redis up, HTTPS probe of the API succeeds, certificate > 14 days', async () => {
  await until('Redis up and the API certificate probed with over 14 days left', 30, Date.now(), async () => {
    const probe = 'probe_success{job="blackbox"} * (probe_ssl_earliest_cert_expiry - time() > bool 14 * 86400)';
    return (await value('redis_up')) === 1 && (await value(probe)) === 1;
  });
});

// Redis: stopped the way a crash looks to the exporter (the process is gone, its port closed).
const redis: Record<string, number> = {};
let redisStoppedAt = 0;

test('RedisDown fires when Redis stops (within 90 s)', async () => {
  const pid = readPid('redis');
  assert.ok(pid, 'Redis is not running before the drill');
  process.kill(pid, 'SIGTERM');
  redisStoppedAt = Date.now();
  redis.firingS = await until('RedisDown firing as a page', 90, redisStoppedAt, () => isFiring('RedisDown', 'page'));
});

test('RedisDown pages through PagerDuty with the redis-down runbook (within 60 s)', async () => {
  redis.pagedS = await until('RedisDown at PagerDuty with its runbook', 60, redisStoppedAt, () =>
    pagedWithRunbook('RedisDown', 'redis-down')
  );
});

test('npm run stack -- up restarts Redis and RedisDown resolves (within 60 s)', async (t) => {
  redis.upS = seconds(() => stack('up'));
  redis.clearedAfterUpS = await until('RedisDown cleared', 60, Date.now(), gone('RedisDown'));
  reportTiming(t, 'redis-down', redis);
});

// Certificate: reissued for one day, as if renewal had been forgotten.
const cert: Record<string, number> = {};
let reissuedAt = 0;

test('blackbox_exporter sees the reissued certificate (under 2 days left, within 60 s)', async () => {
  certChanged = true;
  stack('cert', '--days', '1');
  reissuedAt = Date.now();
  cert.seenS = await until('the probe seeing under 2 days left', 60, reissuedAt, async () => {
    const days = await value('min(probe_ssl_earliest_cert_expiry{job="blackbox"} - time()) / 86400');
    return days !== undefined && days < 2;
  });
});

test('CertExpiringSoon fires as a page (within 90 s)', async () => {
  cert.pageFiringS = await until('CertExpiringSoon page firing', 90, reissuedAt, () =>
    isFiring('CertExpiringSoon', 'page')
  );
});

test('its 14-day ticket fires too', async () => {
  cert.ticketFiringS = await until('CertExpiringSoon ticket firing', 30, reissuedAt, () =>
    isFiring('CertExpiringSoon', 'ticket')
  );
});

test('Alertmanager inhibits the ticket while the page fires (within 30 s)', async () => {
  cert.ticketInhibitedS = await until('the CertExpiringSoon ticket inhibited', 30, reissuedAt, () =>
    inhibited({ alertname: 'CertExpiringSoon', severity: 'ticket' })
  );
});

test('the page reached PagerDuty with the cert-expiring-soon runbook (within 60 s)', async () => {
  cert.pagedS = await until('CertExpiringSoon at PagerDuty with its runbook', 60, reissuedAt, () =>
    pagedWithRunbook('CertExpiringSoon', 'cert-expiring-soon')
  );
});

test('a renewed certificate (90 days) clears both CertExpiringSoon alerts (within 60 s)', async (t) => {
  cert.renewS = seconds(() => stack('cert', '--days', '90'));
  certChanged = false;
  cert.clearedAfterRenewalS = await until('CertExpiringSoon cleared', 60, Date.now(), gone('CertExpiringSoon'));
  reportTiming(t, 'cert-expiring-soon', cert);
});

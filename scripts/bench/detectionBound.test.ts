// node:test (npx tsx --test scripts/bench/detectionBound.test.ts): the bound as read from the committed files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { detectionBound, durationSeconds } from './detectionBound';

const repo = path.resolve(__dirname, '..', '..');
const read = (...p: string[]) => fs.readFileSync(path.join(repo, ...p), 'utf8');

test('durations as Prometheus writes them', () => {
  assert.equal(durationSeconds('2m'), 120);
  assert.equal(durationSeconds('1h30m'), 5400);
  assert.equal(durationSeconds('10s'), 10);
  assert.throws(() => durationSeconds('2 m'), /not a Prometheus duration/);
  assert.throws(() => durationSeconds(''), /not a Prometheus duration/);
});

test('the fast-burn page of the committed rules: 1 h × 14.4 × 0.5 % + for 2m + group_wait 10s', () => {
  const b = detectionBound(
    read('provisioning', 'prometheus', 'slo.yml'),
    read('provisioning', 'alertmanager', 'routes.yml'),
    'APIAvailabilitySLOFastBurn',
    'page-oncall'
  );
  assert.ok(Math.abs(b.threshold - 0.072) < 1e-12, `threshold ${b.threshold}`);
  assert.ok(Math.abs(b.crossS - 259.2) < 1e-9, `cross ${b.crossS}`);
  assert.equal(b.forS, 120);
  assert.equal(b.groupWaitS, 10);
});

test('an unknown alert or a hand-written expression is refused', () => {
  const routes = 'route: { group_wait: 30s }';
  assert.throws(() => detectionBound('groups: []', routes, 'X', 'page-oncall'), /no such alert/);
  const handWritten = 'groups: [{ rules: [{ alert: X, expr: "up == 0", for: 1m }] }]';
  assert.throws(() => detectionBound(handWritten, routes, 'X', 'page-oncall'), /generated burn-rate rule/);
  const generated =
    'groups: [{ rules: [{ alert: X, expr: "r > (6 * (1 - 0.99))", for: 15m, labels: { slo_long_window: 6h } }] }]';
  const b = detectionBound(generated, routes, 'X', 'ticket-oncall');
  assert.equal(b.groupWaitS, 30); // no such receiver: the root route's group_wait
  assert.ok(Math.abs(b.boundS - (21600 * 0.06 + 900 + 30)) < 1e-9);
});

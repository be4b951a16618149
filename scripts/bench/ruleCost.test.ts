// node:test (npx tsx --test scripts/bench/ruleCost.test.ts): reading rule-group metrics and summing them per set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EvaluationLog, groupReadings, metricValue, ruleSetCost } from './ruleCost';

const metrics = (at: number, ours: number, sloth: number) => `
# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
process_cpu_seconds_total 12.5
prometheus_rule_group_last_evaluation_timestamp_seconds{rule_group="/r/slo.yml;slo-a"} ${at}
prometheus_rule_group_last_duration_seconds{rule_group="/r/slo.yml;slo-a"} ${ours}
prometheus_rule_group_last_evaluation_samples{rule_group="/r/slo.yml;slo-a"} 4
prometheus_rule_group_rules{rule_group="/r/slo.yml;slo-a"} 6
prometheus_rule_group_interval_seconds{rule_group="/r/slo.yml;slo-a"} 5
prometheus_rule_group_last_evaluation_timestamp_seconds{rule_group="/r/slo.yml;slo-hourly"} ${at >= 110 ? 110 : 0}
prometheus_rule_group_last_duration_seconds{rule_group="/r/slo.yml;slo-hourly"} 0.6
prometheus_rule_group_last_evaluation_samples{rule_group="/r/slo.yml;slo-hourly"} 2
prometheus_rule_group_interval_seconds{rule_group="/r/slo.yml;slo-hourly"} 300
prometheus_rule_group_last_evaluation_timestamp_seconds{rule_group="/t/sloth.yml;sloth-a"} ${at}
prometheus_rule_group_last_duration_seconds{rule_group="/t/sloth.yml;sloth-a"} ${sloth}
prometheus_rule_group_last_evaluation_samples{rule_group="/t/sloth.yml;sloth-a"} 8
prometheus_rule_group_rules{rule_group="/t/sloth.yml;sloth-a"} 8
prometheus_rule_group_interval_seconds{rule_group="/t/sloth.yml;sloth-a"} 5
`;

test('readings per group, and a plain metric', () => {
  const r = groupReadings(metrics(100, 0.002, 0.01));
  assert.deepEqual(r.get('/r/slo.yml;slo-a'), { at: 100, durationS: 0.002, samples: 4, rules: 6, intervalS: 5 });
  assert.equal(r.size, 3);
  assert.equal(metricValue(metrics(1, 0, 0), 'process_cpu_seconds_total'), 12.5);
  assert.equal(metricValue(metrics(1, 0, 0), 'missing_metric'), undefined);
});

test('one reading per evaluation; per minute at the interval of each group; sets split by file', () => {
  const log = new EvaluationLog();
  for (const [at, ours, sloth] of [
    [100, 0.002, 0.01],
    [100, 0.002, 0.01], // the same evaluation read twice: counted once
    [105, 0.003, 0.02],
    [110, 0.004, 0.03],
    [115, 0.003, 0.02],
  ]) {
    log.add(groupReadings(metrics(at, ours, sloth)));
  }
  const ours = ruleSetCost(log, ['/r/slo.yml']);
  const sloth = ruleSetCost(log, ['/t/sloth.yml']);
  // slo-a: 4 evaluations of 3 ms on average every 5 s; slo-hourly (not evaluated before 110): 600 ms every 5 min.
  assert.equal(ours.evaluations, 4 + 1);
  assert.ok(Math.abs(ours.msPerMinute - (3 * 12 + 600 / 5)) < 1e-9, `${ours.msPerMinute}`);
  assert.ok(Math.abs(ours.medianMsPerMinute - (3 * 12 + 600 / 5)) < 1e-9);
  assert.equal(ours.samplesPerMinute, 4 * 12 + 2 / 5);
  assert.ok(Math.abs(sloth.msPerMinute - 20 * 12) < 1e-9);
  assert.equal(sloth.samplesPerMinute, 8 * 12);
  assert.equal(ruleSetCost(log, ['/elsewhere.yml']).groups, 0);
});

// `npm run backtest [-- --slo ID] [--objective 0.999] [--tiers FastBurn,SlowBurn,Burn24h] [--min-share 0.02]
//   [--incidents scripted|data] [--history-only] [--expected] [--format table|json]`: replays each tier's alert
// over the stack's history and live data (docs/backtest.md). Prometheus: PROMETHEUS_URL, default
// http://127.0.0.1:9090. --expected prints the ground truth instead: the same figures computed from the history
// generator's counts without PromQL (Prometheus is still asked for the rules: objectives and deployed tiers).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backtestSegments, runBacktest, type BacktestResult, type IncidentWindow } from '../../src/api/backtest';
import { httpBackendSrv } from '../../src/api/httpBackendSrv';
import { PrometheusClient } from '../../src/api/prometheus';
import type { PromRulesData } from '../../src/api/types';
import { discoverSlos } from '../../src/slo';
import { DEFAULT_MIN_SHARE, parseTierList, policyUnderTest, tiersOfSlo } from '../../src/slo/backtest';
import type { Slo } from '../../src/slo/types';
import {
  backtestFrom,
  expectedBacktest,
  regenerate,
  type History,
  type HistorySlo,
} from '../../stack/history/backtestTruth';
import { formatResult } from './format';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const EXPECTED = path.join(__dirname, '../../stack/history/expected.json');

interface Expected {
  startUnix: number;
  endUnix: number;
  incidents: Array<{ id: string; title: string; slos: string[]; start: string; end: string }>;
}

function fail(msg: string): never {
  process.stderr.write(`backtest: ${msg}\n`);
  process.exit(2);
}

function number(name: string, text: string | undefined, ok: (n: number) => boolean): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const n = Number(text);
  return Number.isFinite(n) && ok(n) ? n : fail(`--${name} ${text}: out of range`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      slo: { type: 'string' },
      objective: { type: 'string' },
      tiers: { type: 'string' },
      'min-share': { type: 'string' },
      'min-events': { type: 'string' },
      incidents: { type: 'string', default: 'scripted' },
      'history-only': { type: 'boolean', default: false },
      expected: { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
    },
  });
  if (!['table', 'json'].includes(values.format!)) {
    fail(`--format ${values.format}: table or json`);
  }
  if (!['scripted', 'data'].includes(values.incidents!)) {
    fail(`--incidents ${values.incidents}: scripted (the history generator's) or data (read from the counts)`);
  }
  const objective = number('objective', values.objective, (n) => n > 0 && n < 1);
  const minShare = number('min-share', values['min-share'], (n) => n >= 0 && n <= 1) ?? DEFAULT_MIN_SHARE;
  const minEvents = number('min-events', values['min-events'], (n) => Number.isInteger(n) && n >= 0);
  let tiers;
  try {
    tiers = values.tiers ? parseTierList(values.tiers) : undefined;
  } catch (e) {
    fail(`--tiers: ${(e as Error).message}`);
  }
  if (!fs.existsSync(EXPECTED)) {
    fail(`${EXPECTED} is missing: start the stack (npm run stack -- up), which writes the history and its figures`);
  }
  const expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8')) as Expected;
  const rules = await fetch(`${PROM}/api/v1/rules`).then(
    (r) => r.json() as Promise<{ data: PromRulesData }>,
    (e: Error) => fail(`Prometheus at ${PROM} does not answer (${e.message}); is the stack up?`)
  );
  const slos = discoverSlos(rules.data).filter((s) => !values.slo || s.id === values.slo);
  if (!slos.length) {
    fail(values.slo ? `no SLO "${values.slo}" in the rules of ${PROM}` : `no SLO rules in ${PROM}`);
  }
  const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 120000 });
  const now = Math.floor(Date.now() / 1000);
  const results: BacktestResult[] = [];
  if (values.expected) {
    if (values.incidents !== 'scripted') {
      fail('--expected compares with the scripted incidents only');
    }
    const h = regenerate(expected.endUnix);
    for (const slo of slos.filter((s) => s.id in h.counts)) {
      results.push(groundTruth(h, slo, { objective, tiers, minEvents }, minShare));
    }
  }
  for (const slo of values.expected ? [] : slos) {
    const set = tiers ?? tiersOfSlo(slo);
    // Warm-up: the first evaluation has a full long window of history behind it.
    const from = backtestFrom(expected.startUnix, expected.endUnix, Math.max(...set.map((t) => t.longSeconds)));
    const to = values['history-only'] ? expected.endUnix : now;
    const incidents: IncidentWindow[] | undefined =
      values.incidents === 'scripted'
        ? expected.incidents
            .filter((i) => i.slos.includes(slo.id) && Date.parse(i.start) / 1000 >= from)
            .map((i) => ({
              id: i.id,
              title: i.title,
              start: Date.parse(i.start) / 1000,
              end: Date.parse(i.end) / 1000,
            }))
        : undefined;
    results.push(
      await runBacktest(client, slo, {
        segments: backtestSegments(from, to, expected.endUnix),
        objective,
        tiers,
        minEvents,
        minShare,
        incidents,
      })
    );
  }
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    process.stdout.write(results.map((r) => formatResult(r).join('\n')).join('\n\n') + '\n');
  }
}

/** The history's expected figures in the replay's shape (history segment only, incidents as scripted). */
function groundTruth(
  h: History,
  slo: Slo,
  whatIf: Parameters<typeof policyUnderTest>[1],
  minShare: number
): BacktestResult {
  const policy = policyUnderTest(slo, whatIf);
  const from = backtestFrom(h.start, h.end, Math.max(...policy.tiers.map((t) => t.longSeconds)));
  const e = expectedBacktest(h, {
    slo: slo.id as HistorySlo,
    objective: policy.objective,
    windowSeconds: slo.windowSeconds,
    tiers: policy.tiers,
    from,
    minShare,
  });
  return {
    slo: slo.id,
    objective: policy.objective,
    deployedObjective: slo.objective,
    whatIf: policy.whatIf,
    segments: [{ from, to: h.end, step: h.step, pad: 0 }],
    minShare,
    incidentSource: 'given',
    incidents: e.incidents,
    tiers: e.tiers,
    policy: e.policy,
    queries: {},
  };
}

main().catch((e: Error) => fail(e.message));

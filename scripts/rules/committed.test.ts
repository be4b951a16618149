// The committed rule files, proven with the generator and promtool (docs/alerting.md): they equal a fresh
// generation, promtool loads exactly the rules we expect (the scenarios of provisioning/prometheus/tests run in
// scenarios.test.ts), every alert carries what the app and Alertmanager rely on, and every runbook link lands on a
// runbook section.
// Needs promtool on PATH (scripts/suites/30-rules.sh runs this file in the `rules` Jest project).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { headingSlugs } from '../../src/slo/runbooks';
import { drillRules, generate, promtool, promtoolRuleCount, root } from './commands';
import type { PromRule as Rule } from './rules';

jest.setTimeout(60_000); // each test spawns tsx or promtool; a loaded 2-core machine takes seconds per spawn

const SLO = 'provisioning/prometheus/slo.yml';
const GUARDS = 'provisioning/prometheus/slo-guards.yml';
const BUDGET = 'provisioning/prometheus/slo-budget.yml';
const INFRA = 'provisioning/prometheus/infra.yml';
const TIERS = 'scripts/rules/testdata/tiers';
const GRAFANA_APP = 'http://127.0.0.1:3000/a/veza-slo-app/';

const read = (file: string) => fs.readFileSync(path.resolve(root, file), 'utf8');
const rulesOf = (file: string): Rule[] =>
  (yaml.load(read(file)) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const alerts = [SLO, GUARDS, INFRA].flatMap((file) =>
  rulesOf(file)
    .filter((r) => r.alert)
    .map((rule) => ({ file, rule }))
);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-rules-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('generator --check', () => {
  test('generator: committed slo.yml and slo-guards.yml equal a fresh generation', () => {
    const r = generate('--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('generator: testdata tiers.slo.yml and tiers.slo-guards.yml equal a fresh generation of tiers.slos.yaml', () => {
    const r = generate('--check', '--spec', `${TIERS}.slos.yaml`, '--out', `${TIERS}.slo.yml`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('promtool check rules', () => {
  test.each([
    ['promtool check rules slo.yml: SUCCESS: 18 rules found', SLO, 18],
    ['promtool check rules slo-guards.yml: SUCCESS: 4 rules found (3 NoData + retention)', GUARDS, 4],
    ['promtool check rules testdata tiers.slo.yml: SUCCESS: 31 rules found', `${TIERS}.slo.yml`, 31],
    ['promtool check rules infra.yml: SUCCESS: 12 rules found', INFRA, 12],
    [
      'promtool check rules slo-budget.yml: SUCCESS: 18 rules found (bad + valid, hourly + 5-minute + daily, per SLO)',
      BUDGET,
      18,
    ],
    ['promtool check rules testdata tiers.slo-budget.yml: SUCCESS: 18 rules found', `${TIERS}.slo-budget.yml`, 18],
  ])('%s', (_name, file, count) => {
    expect(promtoolRuleCount(file)).toBe(count);
  });
});

describe('alert metadata and links', () => {
  // The app and Alertmanager's routes and templates rely on these.
  test('every alert has severity, summary, description and runbook_url', () => {
    expect(alerts.length).toBeGreaterThan(0);
    const incomplete = alerts
      .filter(({ rule: { labels: l = {}, annotations: a = {} } }) => {
        return !['page', 'ticket'].includes(l.severity) || !a.runbook_url || !a.summary || !a.description;
      })
      .map(({ file, rule }) => `${file}: ${rule.alert}`);
    expect(incomplete).toEqual([]);
  });

  // runbook_url ↔ docs/runbooks: each link names a runbook file and, after #, a section of it (the anchors the
  // app's runbook page sets: src/slo/runbooks.ts headingSlugs), and each runbook is reached by an alert.
  test('runbook links: every runbook_url exists, every runbook is reached', () => {
    const runbooks = fs.readdirSync(path.join(root, 'docs/runbooks')).filter((f) => f.endsWith('.md'));
    const anchors = new Map(runbooks.map((f) => [f.replace(/\.md$/, ''), headingSlugs(read(`docs/runbooks/${f}`))]));
    const problems: string[] = [];
    const linked = new Set<string>();
    for (const { file, rule } of alerts) {
      const url = rule.annotations?.runbook_url ?? '';
      const m = /\/a\/veza-slo-app\/runbooks\/([^#]+)(?:#(.*))?$/.exec(url);
      const [name, anchor] = m ? [m[1], m[2]] : [url, undefined];
      linked.add(name);
      if (!anchors.has(name)) {
        problems.push(`${file} ${rule.alert}: runbook_url names a missing runbook: ${url}`);
      } else if (anchor !== undefined && !anchors.get(name)!.includes(anchor)) {
        problems.push(`${file} ${rule.alert}: runbook_url names a missing section: ${url}`);
      }
    }
    problems.push(...[...anchors.keys()].filter((n) => !linked.has(n)).map((n) => `no alert links to runbook ${n}`));
    expect(problems).toEqual([]);
  });

  // infra.yml is hand-written: its links must use the generator's default Grafana URL too.
  test('all links use the Grafana base URL http://127.0.0.1:3000', () => {
    const links = alerts.flatMap(({ rule: { annotations: a = {} } }) => [a.runbook_url, a.dashboard_url]);
    expect(links.filter((u) => u !== undefined && !u.startsWith(GRAFANA_APP))).toEqual([]);
  });
});

describe('the Grafana URL the links use', () => {
  const appLinks = (text: string, base: string) =>
    text.split('\n').filter((l) => l.includes(`${base}/a/veza-slo-app/`));

  test('generator --grafana-url rewrites all 19 links, no warning', () => {
    const out = path.join(tmp, 'url.yml');
    const r = generate('--grafana-url', 'https://grafana.example.com/', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const slo = fs.readFileSync(out, 'utf8');
    const guards = fs.readFileSync(path.join(tmp, 'url-guards.yml'), 'utf8');
    expect(appLinks(slo, 'https://grafana.example.com')).toHaveLength(12);
    expect(appLinks(guards, 'https://grafana.example.com')).toHaveLength(7);
    expect(slo + guards).not.toContain('127.0.0.1:3000');
  });

  // The local default would ship links nobody can open from a phone: the generator says so, naming the option.
  test('generator with the default Grafana URL warns on stderr naming --grafana-url', () => {
    const out = path.join(tmp, 'default.yml');
    const r = generate('--out', out);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('--grafana-url');
    expect(fs.readFileSync(out, 'utf8')).toBe(read(SLO));
    expect(fs.readFileSync(path.join(tmp, 'default-guards.yml'), 'utf8')).toBe(read(GUARDS));
  });
});

// The alerting drill's test-only copy (stack/test/rules-mode.ts): same rules, promtool-valid, every alert
// `for: 20s` and stamped with this run's drill_run label, recording rules untouched.
describe('drill rules', () => {
  function drillCopy(file: string): string {
    const r = drillRules(file, 'run-1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = path.join(tmp, `drill-${path.basename(file)}`);
    fs.writeFileSync(out, r.stdout);
    return out;
  }

  test('drill rules (stack/test/rules-mode.ts): for 20s, drill_run label, promtool-valid', () => {
    const copy = drillCopy(SLO);
    const expected = rulesOf(SLO).map((r) =>
      r.alert ? { alert: r.alert, for: '20s', expr: r.expr, severity: r.labels?.severity, drill_run: 'run-1' } : r
    );
    const got = rulesOf(copy).map((r) =>
      r.alert
        ? { alert: r.alert, for: r.for, expr: r.expr, severity: r.labels?.severity, drill_run: r.labels?.drill_run }
        : r
    );
    expect(got).toEqual(expected);
    expect(promtoolRuleCount(copy)).toBe(18);
  });

  // The NoData drill loads slo-guards.yml the same way.
  test('drill rules for slo-guards.yml: drill_run label on all 4 alerts, promtool-valid', () => {
    const copy = drillCopy(GUARDS);
    expect(rulesOf(copy).filter((r) => r.labels?.drill_run === 'run-1')).toHaveLength(4);
    expect(promtoolRuleCount(copy)).toBe(4);
  });
});

describe('hourly budget rules (slo-budget.yml)', () => {
  test('generator --check: a stale slo-budget.yml fails the check and is named', () => {
    const out = path.join(tmp, 'slo.yml');
    expect(generate('--out', out).status).toBe(0);
    expect(generate('--check', '--out', out).status).toBe(0);
    fs.appendFileSync(path.join(tmp, 'slo-budget.yml'), '# edited by hand\n');
    const r = generate('--check', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('slo-budget.yml is stale');
  });

  test('slo.yml keeps exactly 12 recording rules + 6 alerts; the budget rules live only in slo-budget.yml', () => {
    const slo = rulesOf(SLO);
    expect([slo.filter((r) => r.record).length, slo.filter((r) => r.alert).length]).toEqual([12, 6]);
    expect(slo.some((r) => r.record?.endsWith(':increase1h'))).toBe(false);
    const budget = yaml.load(read(BUDGET)) as { groups: Array<{ name: string; interval: string; rules: Rule[] }> };
    expect(
      budget.groups.map((g) => [g.name, g.interval, g.rules.map((r) => `${r.record}{slo=${r.labels?.slo}}`)])
    ).toEqual(
      ['api-availability', 'api-latency', 'payment-success'].flatMap((id) => [
        [
          `slo-budget-${id}`,
          '5m',
          [`slo:sli_bad_events:increase1h{slo=${id}}`, `slo:sli_valid_events:increase1h{slo=${id}}`],
        ],
        [
          `slo-budget-5m-${id}`,
          '1m',
          [`slo:sli_bad_events:increase5m{slo=${id}}`, `slo:sli_valid_events:increase5m{slo=${id}}`],
        ],
        [
          `slo-budget-1d-${id}`,
          '5m',
          [`slo:sli_bad_events:increase1d{slo=${id}}`, `slo:sli_valid_events:increase1d{slo=${id}}`],
        ],
      ])
    );
  });

  // The daily groups alone, over hourly buckets given as input (one sample per hour, written at the hour as the
  // hourly rule does): a day is the sum of its 24 hours, written once 10-15 min after midnight; a day with a
  // missing hour gets no daily bucket at all.
  test('promtool: each daily expression sums the 24 hourly buckets of the UTC day, once, and only a complete day', () => {
    const budget = yaml.load(read(BUDGET)) as { groups: Array<{ name: string }> };
    const daily = path.join(tmp, 'daily.yml');
    fs.writeFileSync(
      daily,
      yaml.dump({ groups: budget.groups.filter((g) => g.name === 'slo-budget-1d-api-availability') })
    );
    // Minutes 0 … 3 days: hour h (ending at minute 60h) carries h bad events; day 2 misses its 13:00 bucket.
    const hourly = (missing: number) =>
      Array.from({ length: 3 * 1440 + 1 }, (_, m) => (m > 0 && m % 60 === 0 && m / 60 !== missing ? m / 60 : '_')).join(
        ' '
      );
    const file = path.join(tmp, 'daily.test.yml');
    const day1 = (24 * 25) / 2; // 1 + … + 24
    const day3 = Array.from({ length: 24 }, (_, i) => 49 + i).reduce((a, b) => a + b, 0);
    fs.writeFileSync(
      file,
      yaml.dump({
        rule_files: [daily],
        evaluation_interval: '5m', // the group's interval (promtool evaluates every group at this one)
        tests: [
          {
            interval: '1m',
            input_series: [
              { series: 'slo:sli_bad_events:increase1h{slo="api-availability"}', values: hourly(24 + 13) },
              { series: 'slo:sli_valid_events:increase1h{slo="api-availability"}', values: hourly(-1) },
            ],
            promql_expr_test: [
              ['bad', '1d10m', day1],
              ['valid', '1d14m', day1],
              ['valid', '1d5m'], // before 00:10: not yet
              ['bad', '2d10m'], // day 2 lacks an hour: no daily bucket
              ['valid', '2d10m', day1 + 24 * 24],
              ['bad', '3d10m', day3],
            ]
              .map(([kind, t, value]) => ({
                expr: `slo:sli_${kind}_events:increase1d`,
                eval_time: t as string,
                exp_samples:
                  value === undefined
                    ? []
                    : [{ labels: `slo:sli_${kind}_events:increase1d{slo="api-availability"}`, value }],
              }))
              .concat([
                {
                  // one sample per day: three days of evaluations every 5 minutes wrote the valid bucket 3 times, no more
                  expr: 'count_over_time(slo:sli_valid_events:increase1d[3d])',
                  eval_time: '3d15m',
                  exp_samples: [{ labels: '{slo="api-availability"}', value: 3 }],
                },
              ]),
          },
        ],
      })
    );
    const r = promtool('test', 'rules', file);
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  // promtool evaluates the committed expressions of one bucket size over counters sampled every minute, one with a
  // reset at 1h30m after which it climbs past its old value (the case a bare difference gets wrong). `cases` gives
  // (record kind, eval time, expected value or none) for the SLO api-availability.
  const promtoolBuckets = (size: '1h' | '5m', cases: Array<['bad' | 'valid', string, number?]>) => {
    const expr = (kind: string) =>
      rulesOf(BUDGET).find(
        (r) => r.record === `slo:sli_${kind}_events:increase${size}` && r.labels?.slo === 'api-availability'
      )!.expr;
    const file = path.join(tmp, `budget${size}.test.yml`);
    fs.writeFileSync(
      file,
      yaml.dump({
        rule_files: [],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              { series: 'http_requests_total{job="veza-api",method="GET",route="/x",code="200"}', values: '0+10x180' },
              {
                series: 'http_requests_total{job="veza-api",method="GET",route="/x",code="500"}',
                values: '0+1x89 0+5x90',
              },
            ],
            promql_expr_test: cases.map(([kind, t, value]) => ({
              expr: expr(kind),
              eval_time: t,
              exp_samples: value === undefined ? [] : [{ labels: '{}', value }],
            })),
          },
        ],
      })
    );
    return promtool('test', 'rules', file);
  };

  test('promtool: each expression gives the exact events of the clock hour, once, reset included', () => {
    const r = promtoolBuckets('1h', [
      ['bad', '1h', 60],
      ['valid', '1h', 660],
      ['valid', '1h4m', 660], // any evaluation in the hour's first 5 minutes records the same clock hour
      ['valid', '1h5m'], // later ones record nothing: one sample per hour
      ['bad', '2h', 29 + 150], // 60→89, reset, 0→150: not 150 − 60
      ['valid', '2h', 600 + 179],
      ['bad', '3h2m', 300],
      ['valid', '3h2m', 900],
    ]);
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
  // The same counters, read by the 5-minute rules: each bucket (m − 5m, m] once, in the first minute after m, and
  // twelve of them add up to the clock hour the hourly rule records.
  test('promtool: the 5-minute expressions give the exact events of each 5-minute mark, once, reset included', () => {
    const r = promtoolBuckets('5m', [
      ['bad', '5m', 5],
      ['valid', '5m', 55],
      ['valid', '5m30s', 55], // any evaluation in the mark's first minute records the same bucket
      ['valid', '6m'], // later ones record nothing: one sample per bucket
      ['valid', '9m'],
      ['bad', '1h30m', 4], // 85→89, then a reset to 0 at 1h30m: not 0 − 85
      ['bad', '1h35m', 25], // 0→25 just after the reset (resets() still sees it: increase() counts it)
      ['bad', '2h', 25],
      ['valid', '2h', 50 + 25],
    ]);
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

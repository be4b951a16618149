// Property tests (fast-check) for the SLO spec parser and the rule generator: any spec built from valid parts
// parses and yields rule files that survive a YAML round trip, whose alerts carry the labels Alertmanager and the
// app rely on and whose thresholds are burnRate × (1 − objective); any broken spec is refused with a SpecError
// naming the field, never with another kind of exception.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { guardFile } from './guards';
import { renderGenerated, ruleFile } from './rules';
import { parseSelector } from './selector';
import { parseSpec, RuleWindow, Spec, SpecError } from './spec';

const root = path.resolve(__dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'provisioning/slo/slos.schema.json'), 'utf8'));
const GRAFANA = 'https://grafana.example.com';
// Modest: the whole file must stay well under a few seconds (the rules suite runs it on every test command).
const RUNS = { numRuns: 40 };

/** The schema's windows, shortest first. */
const WINDOWS: RuleWindow[] = ['5m', '30m', '1h', '2h', '6h', '24h', '3d'];

// ---- valid parts ----

const camel = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,10}$/);
const slug = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
/** Titles, descriptions, owners: any text without the template braces Prometheus would expand. */
const text = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => !/\{\{|\}\}/.test(s));
/** Label values with what a careless quoting would break: quotes, backslashes, slashes, newlines, tabs. */
const labelValue = fc.string({
  maxLength: 12,
  unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '/', ' ', ':', '"', '\\', "'", '\n', '\t', '|', 'é'),
});
/** A PromQL double-quoted literal of a label value. */
const quote = (v: string) =>
  `"${v
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')}"`;

const tierArb = fc.record({
  burnRate: fc.double({ min: 1e-3, max: 1000, noNaN: true }),
  windows: fc.uniqueArray(fc.integer({ min: 0, max: WINDOWS.length - 1 }), { minLength: 2, maxLength: 2 }),
  for: fc.constantFrom('30s', '1m', '2m', '15m', '1h', '1h30m', '3h', '90s', '1d'),
  severity: fc.constantFrom('page', 'ticket'),
});

const sliArb = fc.record({
  kind: fc.constantFrom('availability-bad', 'availability-codes', 'success', 'latency'),
  metric: fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
  job: labelValue,
  route: fc.option(fc.tuple(fc.constantFrom('=', '!='), labelValue), { nil: undefined }),
  codes: fc.uniqueArray(fc.stringMatching(/^[1-5]([0-9]{2}|xx)$/), { minLength: 1, maxLength: 3 }),
  codesOnly: fc.boolean(),
  le: fc.double({ min: 0.001, max: 60, noNaN: true }),
});

const sloArb = fc.record({
  id: slug,
  name: camel,
  title: text,
  description: text,
  owner: text,
  objective: fc.double({ min: 0, max: 1, minExcluded: true, maxExcluded: true, noNaN: true }),
  window: fc.constantFrom('7d', '28d', '30d', '90d'),
  sli: sliArb,
  on: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  runbook: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  minEvents: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
});

type SliParts = typeof sliArb extends fc.Arbitrary<infer T> ? T : never;

/** The spec's sli (and the kind and latency fields it implies) from the generated parts. */
function sliOf(s: SliParts) {
  const matchers = [`job=${quote(s.job)}`, ...(s.route ? [`route${s.route[0]}${quote(s.route[1])}`] : [])].join(',');
  switch (s.kind) {
    case 'availability-bad':
      return {
        kind: 'availability',
        sli: { valid: `${s.metric}{${matchers}}`, bad: `${s.metric}_failed{${matchers}}` },
      };
    case 'availability-codes':
      return {
        kind: 'availability',
        sli: { valid: `${s.metric}{${matchers}}`, badCodes: s.codesOnly ? { only: s.codes } : { allBut: s.codes } },
      };
    case 'success':
      return { kind: 'success', sli: { valid: `${s.metric}{${matchers}}`, good: `${s.metric}_ok{${matchers}}` } };
    default:
      return {
        kind: 'latency',
        latencyThresholdSeconds: s.le,
        sli: { valid: `${s.metric}_count{${matchers}}`, good: `${s.metric}_bucket{${matchers},le="${s.le}"}` },
      };
  }
}

/**
 * A spec document (the parsed YAML) from valid parts. A tier is on for an SLO only where its threshold stays under
 * 100 % errors (the parser refuses a tier that could never fire); at least one tier is on, the objective raised
 * if even the slowest tier could not fire.
 */
const specDoc = fc
  .record({
    tierNames: fc.uniqueArray(camel, { minLength: 1, maxLength: 4 }),
    tiers: fc.array(tierArb, { minLength: 4, maxLength: 4 }),
    slos: fc.array(sloArb, { minLength: 1, maxLength: 3 }),
  })
  .map(({ tierNames, tiers, slos }) => {
    const policy = tierNames.map((name, i) => {
      const [a, b] = tiers[i].windows;
      const { burnRate, severity } = tiers[i];
      return [
        name,
        {
          burnRate,
          longWindow: WINDOWS[Math.max(a, b)],
          shortWindow: WINDOWS[Math.min(a, b)],
          for: tiers[i].for,
          severity,
        },
      ] as const;
    });
    const slowest = policy.reduce((a, b) => (b[1].burnRate < a[1].burnRate ? b : a));
    return {
      version: 1,
      alertPolicy: Object.fromEntries(policy),
      slos: slos.map((s, i) => {
        let objective = s.objective;
        const canFire = (burnRate: number) => burnRate * (1 - objective) < 1;
        let on = policy.map(([, t], j) => s.on[j] && canFire(t.burnRate));
        if (!on.includes(true)) {
          if (!canFire(slowest[1].burnRate)) {
            objective = 1 - 0.5 / slowest[1].burnRate;
          }
          on = policy.map(([name, t]) => name === slowest[0] || (s.on[0] && canFire(t.burnRate)));
        }
        return {
          // Index suffixes keep ids and names unique, as the parser demands.
          id: `${s.id}-${i}`,
          name: `${s.name}${i}`,
          title: s.title,
          description: s.description,
          owner: s.owner,
          ...sliOf(s.sli),
          objective,
          window: s.window,
          ...(s.minEvents === undefined ? {} : { minEvents: s.minEvents }),
          alerts: Object.fromEntries(
            policy.map(([name], j) => [name, on[j] ? { runbook: s.runbook } : { enabled: false }])
          ),
        };
      }),
    };
  });

const parse = (doc: unknown): Spec => parseSpec(yaml.dump(doc), schema);

/** Every rule of a rule file (slo.yml or slo-guards.yml). */
const rulesOf = (file: { groups: Array<{ rules: object[] }> }) =>
  file.groups.flatMap((g) => g.rules) as Array<{
    alert?: string;
    expr: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }>;

describe('any spec built from valid parts', () => {
  it('parses, and the generated rule files survive a YAML round trip', () => {
    fc.assert(
      fc.property(specDoc, (doc) => {
        const spec = parse(doc);
        for (const file of [ruleFile(spec, GRAFANA), guardFile(spec, GRAFANA)]) {
          const back = yaml.load(renderGenerated(file, GRAFANA));
          expect(back).toEqual(JSON.parse(JSON.stringify(file)));
        }
      }),
      RUNS
    );
  });

  it('gives every burn-rate alert its tier labels and a threshold of burnRate × (1 − objective)', () => {
    fc.assert(
      fc.property(specDoc, (doc) => {
        const spec = parse(doc);
        const file = ruleFile(spec, GRAFANA);
        spec.slos.forEach((slo, i) => {
          const alerts = rulesOf({ groups: [file.groups[i]] }).filter((r) => r.alert);
          const on = Object.entries(spec.alertPolicy).filter(([name]) => slo.alerts[name].enabled !== false);
          expect(alerts.map((a) => a.labels!.slo_tier)).toEqual(on.map(([name]) => name));
          alerts.forEach((alert, j) => {
            const [, tier] = on[j];
            const l = alert.labels!;
            expect(l.severity).toBe(tier.severity);
            expect(l.slo_tier_rank).toMatch(/^[1-9][0-9]*$/);
            expect(Number(l.slo_tier_rank)).toBeLessThanOrEqual(Object.keys(spec.alertPolicy).length);
            // An integer ≥ 1 (a budget of 1e-13 with a slow tier asks for ~1e16 events: large, still a number).
            expect(Number.isInteger(Number(l.slo_min_events)) && Number(l.slo_min_events) >= 1).toBe(true);
            expect(l.slo_min_events).toBe(String(slo.minEvents ?? l.slo_min_events));
            // Both windows compare against the same threshold, written from the spec's own numbers.
            const thresholds = [...alert.expr.matchAll(/> \((\S+) \* \(1 - (\S+)\)\)/g)];
            expect(thresholds).toHaveLength(2);
            for (const [, burnRate, objective] of thresholds) {
              expect(Number(burnRate)).toBe(tier.burnRate);
              expect(Number(objective)).toBe(slo.objective);
            }
            expect(alert.expr).toContain(`>= ${l.slo_min_events}`);
          });
        });
      }),
      RUNS
    );
  });

  it('writes no NaN or Infinity into any expression or label, and quotes the job of NoData back to itself', () => {
    fc.assert(
      fc.property(specDoc, (doc) => {
        const spec = parse(doc);
        const guards = guardFile(spec, GRAFANA);
        for (const rule of [...rulesOf(ruleFile(spec, GRAFANA)), ...rulesOf(guards)]) {
          const { slo_title: _title, ...labels } = rule.labels ?? {};
          expect(`${rule.expr} ${Object.values(labels).join(' ')}`).not.toMatch(/NaN|Infinity|undefined/);
        }
        spec.slos.forEach((slo, i) => {
          const expr = guards.groups[0].rules[i].expr;
          const m = /^\(sum\(up\{(.*)\}\) or vector\(0\)\) == 0/.exec(expr);
          expect(m).not.toBeNull();
          const job = parseSelector(slo.sli.valid).matchers.find((x) => x.name === 'job')!.value;
          expect(parseSelector(`up{${m![1]}}`).matchers).toEqual([{ name: 'job', op: '=', value: job }]);
        });
      }),
      RUNS
    );
  });
});

// ---- broken specs ----

type Doc = ReturnType<typeof JSON.parse>;
/** Breaks a valid document in place; returns the field the refusal must name. */
type Breaker = (doc: Doc) => string;

const sloIndex = (doc: Doc, n: number) => n % doc.slos.length;
const tierName = (doc: Doc, n: number) => {
  const names = Object.keys(doc.alertPolicy);
  return names[n % names.length];
};

const breakers: Array<fc.Arbitrary<Breaker>> = [
  fc
    .tuple(fc.nat(), fc.constantFrom<unknown>(0, 1, -0.5, 1.5, 99.5, '99,5', null, true, [0.9], NaN, Infinity))
    .map(([n, v]) => (d: Doc) => {
      const i = sloIndex(d, n);
      d.slos[i].objective = v;
      return `slos[${i}].objective`;
    }),
  fc.tuple(fc.nat(), fc.constantFrom<unknown>(0, -1, 'fast', null, Infinity, NaN)).map(([n, v]) => (d: Doc) => {
    const t = tierName(d, n);
    d.alertPolicy[t].burnRate = v;
    return `alertPolicy.${t}.burnRate`;
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom('longWindow', 'shortWindow'), fc.constantFrom<unknown>('90m', '1d', 5, null, ''))
    .map(([n, key, v]) => (d: Doc) => {
      const t = tierName(d, n);
      d.alertPolicy[t][key] = v;
      return `alertPolicy.${t}.${key}`;
    }),
  fc
    .tuple(fc.nat(), fc.constantFrom<unknown>('5m5m', '0m', '999999999h', '', 7, '1h30', 'm', '-1m', '1.5h', '2 m'))
    .map(([n, v]) => (d: Doc) => {
      const t = tierName(d, n);
      d.alertPolicy[t].for = v;
      return `alertPolicy.${t}.for`;
    }),
  fc
    .tuple(fc.nat(), fc.constantFrom('title', 'description', 'owner'), fc.constantFrom('{{ $value }}', 'a }} b', '{{'))
    .map(([n, key, v]) => (d: Doc) => {
      const i = sloIndex(d, n);
      d.slos[i][key] = `${d.slos[i][key]} ${v}`;
      return `slos[${i}].${key}`;
    }),
  // Unknown fields, at every level that has a fixed set of them.
  fc.tuple(fc.nat(), fc.constantFrom('root', 'tier', 'slo', 'sli', 'switch')).map(([n, where]) => (d: Doc) => {
    const i = sloIndex(d, n);
    const t = tierName(d, n);
    const [target, at] = {
      root: [d, ''],
      tier: [d.alertPolicy[t], `alertPolicy.${t}.`],
      slo: [d.slos[i], `slos[${i}].`],
      sli: [d.slos[i].sli, `slos[${i}].sli.`],
      switch: [d.slos[i].alerts[t], `slos[${i}].alerts.${t}.`],
    }[where] as [Doc, string];
    target.unknownField = 1;
    return `${at}unknownField`;
  }),
  // A tier the policy does not have, including names every object inherits.
  fc
    .tuple(fc.nat(), fc.constantFrom('Unknown', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'))
    .map(([n, t]) => (d: Doc) => {
      const i = sloIndex(d, n);
      d.slos[i].alerts[t] = { runbook: 'x' };
      return `slos[${i}].alerts.${t}`;
    }),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('id', 'name', 'title', 'description', 'owner', 'kind', 'objective', 'window', 'sli', 'alerts')
    )
    .map(([n, key]) => (d: Doc) => {
      const i = sloIndex(d, n);
      delete d.slos[i][key];
      return `slos[${i}].${key}`;
    }),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom<[string, unknown]>(
        ['id', 'Upper'],
        ['id', 7],
        ['name', 'lower'],
        ['window', '1month'],
        ['kind', 'speed'],
        ['minEvents', 0],
        ['minEvents', 1.5],
        ['minEvents', Infinity],
        ['minEvents', 'ten'],
        ['alerts', []],
        ['sli', 'http_requests_total{job="x"}']
      )
    )
    .map(([n, [key, v]]) => (d: Doc) => {
      const i = sloIndex(d, n);
      d.slos[i][key] = v;
      return `slos[${i}].${key}`;
    }),
  fc
    .tuple(fc.nat(), fc.constantFrom('m{job=unquoted}', 'm{route="x"}', 'm{job="a",method=~"(x"}', 'm{job="{{ x }}"}'))
    .map(([n, v]) => (d: Doc) => {
      const i = sloIndex(d, n);
      d.slos[i].sli.valid = v;
      return `slos[${i}].sli.valid`;
    }),
  fc.constantFrom<Breaker>(
    (d) => ((d.version = 2), 'version'),
    (d) => ((d.slos = {}), 'slos'),
    (d) => ((d.slos = []), 'slos'),
    (d) => ((d.alertPolicy = []), 'alertPolicy'),
    (d) => ((d.alertPolicy = {}), 'alertPolicy'),
    (d) => (d.slos.push(JSON.parse(JSON.stringify(d.slos[0]))), `slos[${d.slos.length - 1}].id`),
    // Burn rates so small that the default minEvents, 1 / (burnRate × (1 − objective)), overflows to Infinity.
    (d) => {
      Object.values(d.alertPolicy).forEach((t: Doc) => (t.burnRate = 5e-324));
      d.slos.forEach((s: Doc) => delete s.minEvents);
      return 'slos[0].minEvents';
    }
  ),
];

/** The SpecError parseSpec throws for a document, or the other exception it threw, or undefined if it parsed. */
function refusal(doc: unknown): unknown {
  try {
    parse(doc);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('any broken spec', () => {
  it('is refused with a SpecError naming the broken field', () => {
    fc.assert(
      fc.property(specDoc, fc.oneof(...breakers), (generated, breaker) => {
        // A copy: fast-check may hand the same generated value to several runs while it shrinks.
        const doc = structuredClone(generated);
        const field = breaker(doc);
        const err = refusal(doc);
        expect(err).toBeInstanceOf(SpecError);
        const problems = (err as SpecError).problems;
        expect(problems.some((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}.`))).toBe(true);
      }),
      RUNS
    );
  });

  it('with any JSON value at any place is parsed or refused with a SpecError, never another exception', () => {
    /** Every path into the document: object keys and array indices. */
    const paths = (v: unknown, at: Array<string | number> = []): Array<Array<string | number>> =>
      v !== null && typeof v === 'object'
        ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))]
        : [at];
    fc.assert(
      fc.property(specDoc, fc.nat(), fc.option(fc.jsonValue(), { nil: undefined }), (generated, n, value) => {
        const doc = structuredClone(generated);
        const all = paths(doc).filter((p) => p.length > 0);
        const p = all[n % all.length];
        const parent = p.slice(0, -1).reduce((o: Doc, k) => o[k], doc);
        if (value === undefined) {
          delete parent[p[p.length - 1]];
        } else {
          parent[p[p.length - 1]] = value;
        }
        const err = refusal(doc);
        if (err === undefined) {
          // Whatever parsed must also generate.
          const spec = parse(doc);
          expect(() => [ruleFile(spec, GRAFANA), guardFile(spec, GRAFANA)]).not.toThrow();
        } else {
          expect(err).toBeInstanceOf(SpecError);
        }
      }),
      RUNS
    );
  });
});

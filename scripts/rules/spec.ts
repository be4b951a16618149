// The SLO spec (provisioning/slo/slos.yaml): types, parsing and validation.
// Validation is two steps: the JSON Schema (shape, types, ranges), then the cross-field rules a
// schema cannot express. Every message names the field, e.g. `slos[0].objective: must be < 1`.
import Ajv, { ErrorObject } from 'ajv';
import yaml from 'js-yaml';
import { parsePromDuration } from './duration';
import { parseSelector, Selector } from './selector';
import { type BudgetPolicy, policyProblems } from '../../src/slo/policy';
import { type RecurringCorrection, recurringProblems } from '../../src/slo/recurringCorrections';

/** Windows with a recording rule: 5m–6h always, 2h/24h/3d only for an SLO whose enabled tiers use them. */
export type RuleWindow = '5m' | '30m' | '1h' | '2h' | '6h' | '24h' | '3d';

export interface Tier {
  burnRate: number;
  longWindow: RuleWindow;
  shortWindow: RuleWindow;
  for: string;
  severity: 'page' | 'ticket';
}

/**
 * Which HTTP answers (label `code`) count as bad: `only` these, or `allBut` these. Items are a class
 * (`5xx`) or one code (`429`). The generator builds the bad selector from it: valid + `code=~"…"` / `code!~"…"`.
 */
export interface BadCodes {
  only?: string[];
  allBut?: string[];
}

/**
 * Valid events plus exactly one of: bad events, good events, or the bad HTTP codes. After parseSpec,
 * `bad` is always filled in when `badCodes` is given, so the rule builders read `bad` or `good`.
 */
export interface Sli {
  valid: string;
  bad?: string;
  good?: string;
  badCodes?: BadCodes;
}

/** A tier of the policy for one SLO: its runbook, or switched off for this SLO. */
export interface TierSwitch {
  runbook?: string;
  enabled?: boolean;
}

export interface Slo {
  id: string;
  name: string;
  title: string;
  description: string;
  owner: string;
  kind: 'availability' | 'latency' | 'success';
  latencyThresholdSeconds?: number;
  objective: number;
  window: string;
  sli: Sli;
  /** Valid events a tier's long window must hold before that tier may fire; default: see defaultMinEvents. */
  minEvents?: number;
  alerts: Record<string, TierSwitch>;
  /** This SLO's own error-budget policy, instead of the spec's. */
  budgetPolicy?: BudgetPolicy;
  /** Recurring correction windows (RFC 5545 rules), carried to the app in the slo_corrections annotation. */
  corrections?: RecurringCorrection[];
}

export interface Spec {
  version: 1;
  alertPolicy: Record<string, Tier>;
  /** The error-budget policy of every SLO that has none of its own (src/slo/policy.ts). */
  budgetPolicy?: BudgetPolicy;
  slos: Slo[];
}

/** The policy that applies to an SLO: its own, else the spec's; undefined when neither sets one. */
export const sloPolicy = (spec: Spec, slo: Slo): BudgetPolicy | undefined => slo.budgetPolicy ?? spec.budgetPolicy;

export class SpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid SLO spec:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Seconds in a duration such as 5m, 6h or 30d. */
export function seconds(duration: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  const m = /^(\d+)([smhd])$/.exec(duration);
  if (!m) {
    throw new Error(`not a duration: ${duration}`);
  }
  return Number(m[1]) * units[m[2]];
}

/** `/slos/0/objective` → `slos[0].objective` */
function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (extra) {
    parts.push(extra);
  }
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(root)';
}

function describe(e: ErrorObject): string | undefined {
  // The sli oneOf and the latency if/then repeat what their branches already reported.
  if (e.keyword === 'if' || e.schemaPath.includes('/oneOf/')) {
    return undefined;
  }
  if (e.keyword === 'oneOf') {
    return `${fieldName(e.instancePath)}: must set exactly one of "bad", "badCodes" or "good" (plus "valid")`;
  }
  if (e.keyword === 'required') {
    return `${fieldName(e.instancePath, String(e.params.missingProperty))}: is required`;
  }
  if (e.keyword === 'additionalProperties') {
    return `${fieldName(e.instancePath, String(e.params.additionalProperty))}: is not a known field`;
  }
  const value = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)})`;
  const allowed = e.keyword === 'enum' ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : '';
  return `${fieldName(e.instancePath)}: ${e.message}${allowed}${value}`;
}

/** The tiers of the policy that are on for this SLO, in policy order. */
export function enabledTiers(spec: Spec, slo: Slo): Array<[string, Tier]> {
  return Object.entries(spec.alertPolicy).filter(([name]) => slo.alerts[name]?.enabled !== false);
}

/**
 * The low-traffic guard when the spec sets none: the fewest valid events among which a single bad one stays
 * at or under the threshold of the SLO's fastest enabled tier, i.e. ceil(1 / (largest burnRate × (1 − objective))).
 * 99.5 % with 14.4×: ceil(1 / 0.072) = 14. The −1e-9 absorbs float noise (1 / 0.1 = 9.999…98).
 */
export function defaultMinEvents(spec: Spec, slo: Slo): number {
  const fastest = Math.max(...enabledTiers(spec, slo).map(([, t]) => t.burnRate));
  return Math.max(1, Math.ceil(1 / (fastest * (1 - slo.objective)) - 1e-9));
}

export const minEvents = (spec: Spec, slo: Slo) => slo.minEvents ?? defaultMinEvents(spec, slo);

/** `5xx` → `5..`, `429` → `429`: the RE2 alternative a badCodes item stands for. */
const codeRegex = (items: string[]) => items.map((c) => c.replace(/x/g, '.')).join('|');

/** The bad-events selector a badCodes statement means: valid plus one matcher on `code`. */
export function badSelector(valid: string, codes: BadCodes): string {
  const matcher = codes.only ? `code=~"${codeRegex(codes.only)}"` : `code!~"${codeRegex(codes.allBut ?? [])}"`;
  return `${valid.slice(0, -1)},${matcher}}`;
}

/** The job matcher of the valid selector, e.g. `job="veza-api"` (the NoData alert watches `up{<it>}`). */
export function jobMatcher(valid: string): string {
  const m = parseSelector(valid).matchers.find((x) => x.name === 'job' && (x.op === '=' || x.op === '=~'));
  if (!m) {
    throw new Error('has no job="…" matcher');
  }
  return `job${m.op}${JSON.stringify(m.value)}`;
}

// Text the generator puts into annotations Prometheus expands as Go templates: `{{` would run.
const TEMPLATE = /\{\{|\}\}/;

function sliProblems(slo: Slo, at: string): string[] {
  const problems: string[] = [];
  const parsed: Record<string, Selector> = {};
  for (const key of ['valid', 'bad', 'good'] as const) {
    const text = slo.sli[key];
    if (text === undefined) {
      continue;
    }
    if (TEMPLATE.test(text) || text.includes('`')) {
      problems.push(`${at}.sli.${key}: must not contain {{, }} or a backtick (the alert descriptions quote it)`);
      continue;
    }
    try {
      parsed[key] = parseSelector(text);
    } catch (err) {
      problems.push(`${at}.sli.${key}: not a valid selector: ${(err as Error).message}`);
    }
  }
  const valid = parsed.valid;
  if (valid) {
    try {
      jobMatcher(slo.sli.valid);
    } catch {
      problems.push(`${at}.sli.valid: needs a job="…" matcher (the NoData alert watches up{job="…"})`);
    }
    for (const key of ['bad', 'good'] as const) {
      const sel = parsed[key];
      const same = (m: { name: string; op: string; value: string }) =>
        sel?.matchers.some((x) => x.name === m.name && x.op === m.op && x.value === m.value);
      const missing = sel ? valid.matchers.filter((m) => !same(m)) : [];
      if (missing.length > 0) {
        const list = missing.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ');
        problems.push(
          `${at}.sli.${key}: must keep every matcher of sli.valid (missing ${list}), or it counts events outside the SLI`
        );
      }
    }
  }
  if (parsed.bad?.matchers.some((m) => m.name === 'code')) {
    problems.push(
      `${at}.sli.bad: matches on code; state which answers are bad with sli.badCodes instead (docs/alerting.md)`
    );
  }
  return problems;
}

function tierProblems(spec: Spec): string[] {
  const problems: string[] = [];
  for (const [name, tier] of Object.entries(spec.alertPolicy)) {
    if (seconds(tier.shortWindow) >= seconds(tier.longWindow)) {
      problems.push(`alertPolicy.${name}.shortWindow: must be shorter than longWindow (${tier.longWindow})`);
    }
    try {
      parsePromDuration(tier.for);
    } catch (err) {
      problems.push(`alertPolicy.${name}.for: ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * YAML has .inf (and .nan), JSON Schema has no way to refuse them, and Ajv's number and integer types let
 * Infinity through: `minEvents: .inf` would make every alert of the SLO unable to fire.
 */
function infiniteProblems(spec: Spec): string[] {
  const numbers: Array<[string, number | undefined]> = [
    ...Object.entries(spec.alertPolicy).map(([name, t]): [string, number] => [
      `alertPolicy.${name}.burnRate`,
      t.burnRate,
    ]),
    ...spec.slos.flatMap((slo, i): Array<[string, number | undefined]> => [
      [`slos[${i}].minEvents`, slo.minEvents],
      [`slos[${i}].latencyThresholdSeconds`, slo.latencyThresholdSeconds],
    ]),
  ];
  return numbers
    .filter(([, n]) => n !== undefined && !Number.isFinite(n))
    .map(([field, n]) => `${field}: must be a finite number (got ${n})`);
}

/** Both policies' order and catch-all, and their texts (they travel in an alert annotation, a template). */
function budgetPolicyProblems(spec: Spec): string[] {
  const policies: Array<[string, BudgetPolicy | undefined]> = [
    ['budgetPolicy', spec.budgetPolicy],
    ...spec.slos.map((slo, i): [string, BudgetPolicy | undefined] => [`slos[${i}].budgetPolicy`, slo.budgetPolicy]),
  ];
  return policies.flatMap(([at, policy]) =>
    policy
      ? [
          ...policyProblems(policy, at),
          ...policy
            .map((st, i) =>
              TEMPLATE.test(st.text)
                ? `${at}[${i}].text: must not contain {{ or }} (Prometheus would run it as a template)`
                : ''
            )
            .filter(Boolean),
        ]
      : []
  );
}

function crossFieldProblems(spec: Spec): string[] {
  const problems = [
    ...infiniteProblems(spec),
    ...tierProblems(spec),
    ...budgetPolicyProblems(spec),
    ...spec.slos.flatMap((slo, i) => recurringProblems(slo.corrections ?? [], `slos[${i}].corrections`)),
  ];
  const tiers = Object.keys(spec.alertPolicy);
  const seen = new Map<string, string>();
  spec.slos.forEach((slo, i) => {
    const at = `slos[${i}]`;
    for (const key of ['id', 'name'] as const) {
      const prior = seen.get(`${key}:${slo[key]}`);
      if (prior) {
        problems.push(`${at}.${key}: "${slo[key]}" is already used by ${prior}`);
      }
      seen.set(`${key}:${slo[key]}`, at);
    }
    for (const key of ['title', 'description', 'owner'] as const) {
      if (TEMPLATE.test(slo[key])) {
        problems.push(`${at}.${key}: must not contain {{ or }} (Prometheus would run it as a template)`);
      }
    }
    for (const tier of tiers) {
      if (!slo.alerts[tier]) {
        problems.push(`${at}.alerts.${tier}: is required (alertPolicy has a ${tier} tier)`);
      }
      const threshold = spec.alertPolicy[tier].burnRate * (1 - slo.objective);
      if (threshold >= 1 && slo.alerts[tier]?.enabled !== false) {
        problems.push(
          `${at}.objective: ${slo.objective} makes the ${tier} threshold ${threshold.toFixed(3)} (≥ 100 % errors), so it could never fire`
        );
      }
    }
    for (const tier of Object.keys(slo.alerts)) {
      // Own keys only: `toString` or `constructor` must not pass for tiers of the policy.
      if (!Object.prototype.hasOwnProperty.call(spec.alertPolicy, tier)) {
        problems.push(`${at}.alerts.${tier}: is not a tier of alertPolicy (${tiers.join(', ')})`);
      }
    }
    if (tiers.length > 0 && tiers.every((t) => slo.alerts[t]?.enabled === false)) {
      problems.push(`${at}.alerts: every tier is off; an SLO needs at least one burn-rate alert`);
    }
    // A burn rate or budget so small that 1 / (burnRate × (1 − objective)) overflows would write `>= Infinity`.
    const on = tiers.filter((t) => slo.alerts[t]?.enabled !== false);
    if (slo.minEvents === undefined && on.length > 0 && !Number.isFinite(defaultMinEvents(spec, slo))) {
      problems.push(`${at}.minEvents: the default, 1 / (burnRate × (1 − objective)), overflows; set minEvents`);
    }
    problems.push(...sliProblems(slo, at));
    if (slo.kind === 'latency') {
      // The threshold label is what the app charts; it must be the bucket the SLI counts.
      const le = `le="${slo.latencyThresholdSeconds}"`;
      if (!slo.sli.good?.includes(le)) {
        problems.push(`${at}.sli.good: a latency SLI counts the histogram bucket ${le} (latencyThresholdSeconds)`);
      }
    } else if (slo.latencyThresholdSeconds !== undefined) {
      problems.push(`${at}.latencyThresholdSeconds: only applies to kind latency`);
    }
  });
  return problems;
}

/** Parses and validates the spec text; throws SpecError listing every problem found. */
export function parseSpec(text: string, schema: object): Spec {
  let data: unknown;
  try {
    data = yaml.load(text);
  } catch (err) {
    throw new SpecError([`not valid YAML: ${(err as Error).message}`]);
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile<Spec>(schema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map(describe).filter((p): p is string => p !== undefined);
    throw new SpecError([...new Set(problems)]);
  }
  const problems = crossFieldProblems(data);
  if (problems.length > 0) {
    throw new SpecError(problems);
  }
  for (const slo of data.slos) {
    if (slo.sli.badCodes) {
      slo.sli.bad = badSelector(slo.sli.valid, slo.sli.badCodes);
    }
  }
  return data;
}

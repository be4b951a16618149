// The SLO spec (provisioning/slo/slos.yaml): types, parsing and validation.
// Validation is two steps: the JSON Schema (shape, types, ranges), then the cross-field rules a
// schema cannot express. Every message names the field, e.g. `slos[0].objective: must be < 1`.
import Ajv, { ErrorObject } from 'ajv';
import yaml from 'js-yaml';

export type RuleWindow = '5m' | '30m' | '1h' | '6h';

export interface Tier {
  burnRate: number;
  longWindow: RuleWindow;
  shortWindow: RuleWindow;
  for: string;
  severity: 'page' | 'ticket';
}

/** Either the bad events or the good events, always with the valid events. */
export type Sli = { valid: string } & ({ bad: string; good?: undefined } | { good: string; bad?: undefined });

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
  alerts: Record<string, { runbook: string }>;
}

export interface Spec {
  version: 1;
  alertPolicy: Record<string, Tier>;
  slos: Slo[];
}

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
    return `${fieldName(e.instancePath)}: must set exactly one of "bad" or "good" (plus "valid")`;
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

function crossFieldProblems(spec: Spec): string[] {
  const problems: string[] = [];
  const tiers = Object.keys(spec.alertPolicy);
  for (const [name, tier] of Object.entries(spec.alertPolicy)) {
    if (seconds(tier.shortWindow) >= seconds(tier.longWindow)) {
      problems.push(`alertPolicy.${name}.shortWindow: must be shorter than longWindow (${tier.longWindow})`);
    }
  }
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
    for (const tier of tiers) {
      if (!slo.alerts[tier]) {
        problems.push(`${at}.alerts.${tier}: is required (alertPolicy has a ${tier} tier)`);
      }
      const threshold = spec.alertPolicy[tier].burnRate * (1 - slo.objective);
      if (threshold >= 1) {
        problems.push(
          `${at}.objective: ${slo.objective} makes the ${tier} threshold ${threshold.toFixed(3)} (≥ 100 % errors), so it could never fire`
        );
      }
    }
    for (const tier of Object.keys(slo.alerts)) {
      if (!spec.alertPolicy[tier]) {
        problems.push(`${at}.alerts.${tier}: is not a tier of alertPolicy (${tiers.join(', ')})`);
      }
    }
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
  return data;
}

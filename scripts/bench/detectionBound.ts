// The workbook's detection bound for a fast-burn page, read from the committed files rather than restated: a total
// outage (error ratio 1) starting from a clean long window crosses the threshold burnRate × (1 − objective) after
// longWindow × threshold; the alert then waits its `for:`, and Alertmanager the page route's group_wait.
import yaml from 'js-yaml';

/** Seconds of a Prometheus duration made of one or more `<n><unit>` parts (`2m`, `1h30m`). */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`not a Prometheus duration: ${JSON.stringify(text)}`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}

export interface DetectionBound {
  alert: string;
  threshold: number; // error ratio the long window must exceed
  longWindowS: number;
  crossS: number; // longWindow × threshold: total outage needed from a clean window
  forS: number;
  groupWaitS: number;
  boundS: number; // crossS + forS + groupWaitS
}

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; expr: string; for?: string; labels?: Record<string, string> }> }>;
}
interface Routes {
  route: { group_wait?: string; routes?: Array<{ receiver: string; group_wait?: string }> };
}

/** The bound for `alert` of a generated rule file (slo.yml text) routed by routes.yml (text) to `receiver`. */
export function detectionBound(rulesText: string, routesText: string, alert: string, receiver: string): DetectionBound {
  const rule = (yaml.load(rulesText) as RuleFile).groups.flatMap((g) => g.rules).find((r) => r.alert === alert);
  if (!rule) {
    throw new Error(`${alert}: no such alert in the rule file`);
  }
  // The generator writes the threshold as `> (<burnRate> * (1 - <objective>))` (docs/alerting.md).
  const m = /> \(([\d.]+) \* \(1 - ([\d.]+)\)\)/.exec(rule.expr);
  const longWindow = rule.labels?.slo_long_window;
  if (!m || !longWindow) {
    throw new Error(`${alert}: expected a generated burn-rate rule (threshold and slo_long_window)`);
  }
  const threshold = Number(m[1]) * (1 - Number(m[2]));
  const routes = yaml.load(routesText) as Routes;
  const groupWait = routes.route.routes?.find((r) => r.receiver === receiver)?.group_wait ?? routes.route.group_wait;
  const longWindowS = durationSeconds(longWindow);
  const crossS = longWindowS * threshold;
  const forS = rule.for ? durationSeconds(rule.for) : 0;
  const groupWaitS = durationSeconds(groupWait ?? '30s'); // Alertmanager's default
  return { alert, threshold, longWindowS, crossS, forS, groupWaitS, boundS: crossS + forS + groupWaitS };
}

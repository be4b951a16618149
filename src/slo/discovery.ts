/**
 * Discovers SLOs from the Prometheus rules API alone (DESIGN.md: Prometheus is the single source of truth).
 * Two dialects: our generator's `slo_*` labels (CONTRIBUTING.md contract) and Sloth's `sloth_*` labels.
 */
import type { PromAlertingRule, PromRecordingRule, PromRulesData } from '../api/types';
import { parseDuration } from './duration';
import { RATIO_METRIC_PREFIX } from './promql';
import { AlertState, Slo, SloAlert, SloKind, SliWindow, WINDOWS } from './types';

const KINDS: SloKind[] = ['availability', 'latency', 'success'];
const DEFAULT_WINDOW = 30 * 86400;

function windowOf(ruleName: string): SliWindow | undefined {
  if (!ruleName.startsWith(RATIO_METRIC_PREFIX)) {
    return undefined;
  }
  const w = ruleName.slice(RATIO_METRIC_PREFIX.length);
  return (WINDOWS as readonly string[]).includes(w) ? (w as SliWindow) : undefined;
}

/** Reads a number out of a Sloth metadata rule such as `vector(0.9990000000000001)`. */
function vectorConstant(expr: string): number | undefined {
  const m = /^\s*vector\(\s*([0-9.eE+-]+)\s*\)\s*$/.exec(expr);
  return m ? Number(m[1]) : undefined;
}

function alertState(rule: PromAlertingRule): AlertState {
  if (rule.state === 'firing' || rule.alerts?.some((a) => a.state === 'firing')) {
    return 'firing';
  }
  if (rule.state === 'pending' || rule.alerts?.some((a) => a.state === 'pending')) {
    return 'pending';
  }
  return 'inactive';
}

function toAlert(rule: PromAlertingRule, severity: string, burnRate: number, long: string, short: string): SloAlert {
  const active = rule.alerts?.find((a) => a.state === 'firing') ?? rule.alerts?.find((a) => a.state === 'pending');
  const value = active?.value !== undefined ? Number(active.value) : undefined;
  return {
    name: rule.name,
    state: alertState(rule),
    severity,
    burnRate,
    longWindow: long,
    shortWindow: short,
    forSeconds: rule.duration ?? 0,
    expr: rule.query,
    summary: rule.annotations?.summary,
    description: rule.annotations?.description,
    runbookUrl: rule.annotations?.runbook_url,
    dashboardUrl: rule.annotations?.dashboard_url,
    activeAt: active?.activeAt,
    value: value !== undefined && Number.isFinite(value) ? value : undefined,
    health: rule.health,
    lastError: rule.lastError,
  };
}

/** Sloth's page alert is (5m and 1h > 14.4×) or (30m and 6h > 6×); its ticket alert is 3× (2h/1d) or 1× (6h/3d). */
function slothTiers(severity: string): { burnRate: number; long: string; short: string } {
  return severity === 'page' ? { burnRate: 14.4, long: '1h', short: '5m' } : { burnRate: 3, long: '1d', short: '2h' };
}

/** Every SLO found in the rules, in a stable order (by id). Rules of other kinds are ignored. */
export function discoverSlos(data: PromRulesData | undefined): Slo[] {
  const byId = new Map<string, Slo>();
  const slothMeta = new Map<string, { objective?: number; days?: number }>();
  const alerting: PromAlertingRule[] = [];

  for (const group of data?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      if (rule.type === 'alerting') {
        alerting.push(rule);
        continue;
      }
      const labels = rule.labels ?? {};
      if (labels.sloth_id && (rule.name === 'slo:objective:ratio' || rule.name === 'slo:time_period:days')) {
        const meta = slothMeta.get(labels.sloth_id) ?? {};
        const v = vectorConstant(rule.query);
        if (rule.name === 'slo:objective:ratio') {
          meta.objective = v;
        } else {
          meta.days = v;
        }
        slothMeta.set(labels.sloth_id, meta);
        continue;
      }
      const w = windowOf(rule.name);
      if (!w) {
        continue;
      }
      addRecording(byId, rule, w);
    }
  }

  for (const [id, meta] of slothMeta) {
    const slo = byId.get(`sloth:${id}`);
    if (slo) {
      if (meta.objective !== undefined && meta.objective > 0 && meta.objective < 1) {
        slo.objective = meta.objective;
      }
      if (meta.days) {
        slo.windowSeconds = meta.days * 86400;
        slo.windowLabel = `${meta.days}d`;
      }
    }
  }

  for (const rule of alerting) {
    const labels = rule.labels ?? {};
    if (labels.slo && byId.has(labels.slo)) {
      const burn = Number(labels.slo_burn_rate);
      byId
        .get(labels.slo)!
        .alerts.push(
          toAlert(
            rule,
            labels.severity ?? '',
            Number.isFinite(burn) ? burn : 0,
            labels.slo_long_window ?? '',
            labels.slo_short_window ?? ''
          )
        );
    } else if (labels.sloth_id && byId.has(`sloth:${labels.sloth_id}`)) {
      const severity = labels.sloth_severity ?? labels.severity ?? 'page';
      const t = slothTiers(severity);
      byId.get(`sloth:${labels.sloth_id}`)!.alerts.push(toAlert(rule, severity, t.burnRate, t.long, t.short));
    }
  }

  const slos = [...byId.values()].filter((s) => s.objective > 0 && s.objective < 1);
  for (const slo of slos) {
    // Fast tier first: the order people read them in.
    slo.alerts.sort((a, b) => b.burnRate - a.burnRate || a.name.localeCompare(b.name));
  }
  return slos.sort((a, b) => a.id.localeCompare(b.id));
}

function addRecording(byId: Map<string, Slo>, rule: PromRecordingRule, w: SliWindow) {
  const labels = rule.labels ?? {};
  if (labels.slo) {
    const id = labels.slo;
    const slo =
      byId.get(id) ??
      ({
        id,
        title: labels.slo_title || id,
        objective: Number(labels.slo_objective),
        windowSeconds: parseDuration(labels.slo_window) ?? DEFAULT_WINDOW,
        windowLabel: labels.slo_window || '30d',
        kind: (KINDS as string[]).includes(labels.slo_kind) ? (labels.slo_kind as SloKind) : 'other',
        latencyThresholdSeconds: labels.slo_latency_threshold_seconds
          ? Number(labels.slo_latency_threshold_seconds)
          : undefined,
        source: 'veza',
        matcher: `slo="${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
        ratioExprs: {},
        alerts: [],
      } satisfies Slo);
    slo.ratioExprs[w] = rule.query;
    byId.set(id, slo);
  } else if (labels.sloth_id) {
    const key = `sloth:${labels.sloth_id}`;
    const slo =
      byId.get(key) ??
      ({
        id: key,
        title: [labels.sloth_service, labels.sloth_slo].filter(Boolean).join(' / ') || labels.sloth_id,
        // Sloth keeps the objective in a metadata rule; 0 until it is seen (SLOs without one are dropped).
        objective: 0,
        windowSeconds: DEFAULT_WINDOW,
        windowLabel: '30d',
        kind: 'other',
        source: 'sloth',
        matcher: `sloth_id="${labels.sloth_id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
        ratioExprs: {},
        alerts: [],
      } satisfies Slo);
    slo.ratioExprs[w] = rule.query;
    byId.set(key, slo);
  }
}

/** The SLO a series of a ratio query belongs to: our `slo` label, or Sloth's `sloth_id`. */
export function sloIdOfSeries(labels: Record<string, string>): string | undefined {
  if (labels.slo) {
    return labels.slo;
  }
  return labels.sloth_id ? `sloth:${labels.sloth_id}` : undefined;
}

/** The recorded window of a series from its __name__ (slo:sli_error:ratio_rate1h → "1h"). */
export function windowOfSeries(labels: Record<string, string>): SliWindow | undefined {
  return windowOf(labels.__name__ ?? '');
}

/**
 * Discovers SLOs from the Prometheus rules API alone (DESIGN.md: Prometheus is the single source of truth).
 * Two dialects: our generator's `slo_*` labels (CONTRIBUTING.md contract) and Sloth's `sloth_*` labels. Our rules
 * come in two generations, both read: before issue 10 (two tiers, two-window expression, no tier labels) and after
 * (any tiers with slo_tier / slo_tier_rank / slo_min_events, a low-traffic guard line, `<Name>SLONoData` alerts).
 */
import { CORRECTIONS_ANNOTATION, parseRecurring } from './recurringCorrections';
import type { PromAlertingRule, PromRecordingRule, PromRulesData } from '../api/types';
import { parseDuration } from './duration';
import { parsePolicy, POLICY_ANNOTATION } from './policy';
import { RATIO_METRIC_PREFIX } from './promql';
import { AlertGuard, AlertState, Slo, SloAlert, SloKind, SliWindow } from './types';

const KINDS: SloKind[] = ['availability', 'latency', 'success'];
const DEFAULT_WINDOW = 30 * 86400;

/** The window of a ratio rule name (slo:sli_error:ratio_rate24h → "24h"); any valid Prometheus duration. */
function windowOf(ruleName: string): SliWindow | undefined {
  if (!ruleName.startsWith(RATIO_METRIC_PREFIX)) {
    return undefined;
  }
  const w = ruleName.slice(RATIO_METRIC_PREFIX.length);
  return /^[0-9]+[a-z]+$/.test(w) && parseDuration(w) ? w : undefined;
}

/** The alert label that marks our signal-loss alert (`<Name>SLONoData`). */
export const NO_DATA_LABEL_VALUE = 'no-data';

/**
 * The low-traffic guard at the end of a burn alert's expression (alert contract, issue 10):
 * `… and on()\nsum(increase(<valid>[<long>])) >= <N>`. Undefined for expressions without one.
 */
export function parseGuard(expr: string): AlertGuard | undefined {
  const m = /\band\s+on\s*\(\s*\)\s*(sum\s*\(\s*increase\s*\([\s\S]*\)\s*\))\s*>=\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(
    expr
  );
  if (!m) {
    return undefined;
  }
  const w = /\[\s*([0-9a-z]+)\s*\]\s*\)\s*\)$/.exec(m[1]);
  if (!w || parseDuration(w[1]) === undefined) {
    return undefined;
  }
  return { countExpr: m[1].trim(), window: w[1], minEvents: Number(m[2]) };
}

function positiveInt(v: string | undefined): number | undefined {
  const n = v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
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

interface AlertFacts {
  kind?: SloAlert['kind'];
  tier: string;
  severity: string;
  burnRate: number;
  long: string;
  short: string;
  evalIntervalSeconds?: number;
}

function toAlert(rule: PromAlertingRule, f: AlertFacts): SloAlert {
  const { severity, burnRate, long, short } = f;
  const active = rule.alerts?.find((a) => a.state === 'firing') ?? rule.alerts?.find((a) => a.state === 'pending');
  const value = active?.value !== undefined ? Number(active.value) : undefined;
  const labels = rule.labels ?? {};
  const guard = parseGuard(rule.query);
  return {
    name: rule.name,
    kind: f.kind ?? 'burn',
    tier: f.tier,
    tierRank: positiveInt(labels.slo_tier_rank),
    // The label is the contract; the parsed expression covers rules whose labels were edited away.
    minEvents: positiveInt(labels.slo_min_events) ?? guard?.minEvents,
    guard,
    evalIntervalSeconds: f.evalIntervalSeconds,
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
  const alerting: Array<{ rule: PromAlertingRule; interval?: number }> = [];

  for (const group of data?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      if (rule.type === 'alerting') {
        alerting.push({ rule, interval: group.interval });
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

  for (const { rule, interval } of alerting) {
    const labels = rule.labels ?? {};
    if (labels.slo && byId.has(labels.slo)) {
      const slo = byId.get(labels.slo)!;
      if (labels.slo_alert === NO_DATA_LABEL_VALUE) {
        slo.noDataAlerts.push(
          toAlert(rule, {
            kind: 'no-data',
            tier: 'NoData',
            severity: labels.severity ?? '',
            burnRate: 0,
            long: '',
            short: '',
            evalIntervalSeconds: interval,
          })
        );
      } else if (!labels.slo_alert) {
        const burn = Number(labels.slo_burn_rate);
        // Every burn alert carries the SLO's error-budget policy; the first valid one is kept.
        slo.budgetPolicy ??= parsePolicy(rule.annotations?.[POLICY_ANNOTATION]);
        slo.corrections ??= parseRecurring(rule.annotations?.[CORRECTIONS_ANNOTATION]);
        slo.alerts.push(
          toAlert(rule, {
            // Rules from before the tier labels: the tier is the name's suffix (<Name>SLOFastBurn).
            tier: labels.slo_tier || /SLO([A-Za-z0-9]+)$/.exec(rule.name)?.[1] || rule.name,
            severity: labels.severity ?? '',
            burnRate: Number.isFinite(burn) ? burn : 0,
            long: labels.slo_long_window ?? '',
            short: labels.slo_short_window ?? '',
            evalIntervalSeconds: interval,
          })
        );
      }
    } else if (labels.sloth_id && byId.has(`sloth:${labels.sloth_id}`)) {
      const severity = labels.sloth_severity ?? labels.severity ?? 'page';
      const t = slothTiers(severity);
      byId.get(`sloth:${labels.sloth_id}`)!.alerts.push(
        toAlert(rule, {
          tier: severity,
          severity,
          burnRate: t.burnRate,
          long: t.long,
          short: t.short,
          evalIntervalSeconds: interval,
        })
      );
    }
  }

  const slos = [...byId.values()].filter((s) => s.objective > 0 && s.objective < 1);
  for (const slo of slos) {
    // Fast tier first: the order people read them in (the rank when the rules carry it, else the burn rate).
    slo.alerts.sort(
      (a, b) =>
        (a.tierRank ?? Infinity) - (b.tierRank ?? Infinity) || b.burnRate - a.burnRate || a.name.localeCompare(b.name)
    );
    const mins = slo.alerts.map((a) => a.minEvents).filter((n): n is number => n !== undefined);
    slo.minEvents = mins.length ? Math.max(...mins) : undefined;
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
        noDataAlerts: [],
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
        noDataAlerts: [],
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

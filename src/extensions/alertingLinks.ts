// Links the app adds to Grafana's alerting views (alert rule actions, alert instance actions): "Open SLO page" and
// "Open runbook" for alerts that carry the `slo` label (every alert the rule generator writes). Pure: Grafana calls
// `configure` with the rule or instance it shows, and a link that returns undefined is not shown.
//
// The context differs between Grafana versions: older ones pass `{ rule: CombinedRule, instance: Alert }`, newer ones
// a flat `{ rule: { name, labels, annotations, uid }, instance: { labels, annotations, activeAt, ... } }`. Both keep
// labels and annotations under those names, which is all this reads.
import { PLUGIN_BASE_URL, ROUTES } from '../constants';
import { runbookName } from '../slo/words';
import { sloPath } from '../components/slo/links';

type Labels = Record<string, string | undefined>;
interface AlertSide {
  labels?: Labels;
  annotations?: Labels;
  activeAt?: string;
  name?: string;
}

/** The parts of an alerting extension context this reads, whatever the Grafana version. */
export interface AlertContext {
  slo?: string;
  alertname?: string;
  runbookUrl?: string;
  /** When the instance became active (ms), for the SLO page's time range. */
  activeAtMs?: number;
}

function side(v: unknown): AlertSide | undefined {
  return v && typeof v === 'object' ? (v as AlertSide) : undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function readAlertContext(context: unknown): AlertContext {
  const c = side(context) as { rule?: unknown; instance?: unknown } | undefined;
  const rule = side(c?.rule);
  const instance = side(c?.instance);
  const label = (k: string) => text(instance?.labels?.[k]) ?? text(rule?.labels?.[k]);
  const annotation = (k: string) => text(instance?.annotations?.[k]) ?? text(rule?.annotations?.[k]);
  const activeAt = text(instance?.activeAt);
  const activeAtMs = activeAt && !activeAt.startsWith('0001') ? Date.parse(activeAt) : NaN;
  return {
    slo: label('slo'),
    alertname: label('alertname') ?? text(rule?.name),
    runbookUrl: annotation('runbook_url'),
    activeAtMs: Number.isFinite(activeAtMs) ? activeAtMs : undefined,
  };
}

/** "Open SLO page": the SLO page with the alert highlighted, from an hour before the instance fired (as Slack's link). */
export function sloLinkPath(context: unknown): string | undefined {
  const a = readAlertContext(context);
  if (!a.slo) {
    return undefined;
  }
  const from = a.activeAtMs !== undefined ? String(a.activeAtMs - 3600_000) : undefined;
  return sloPath(a.slo, { alert: a.alertname, from, to: from ? 'now' : undefined });
}

/** "Open runbook": the runbook (and section) the alert's runbook_url names, opened in the app. */
export function runbookLinkPath(context: unknown): string | undefined {
  const a = readAlertContext(context);
  const name = a.slo ? runbookName(a.runbookUrl) : undefined;
  if (!name) {
    return undefined;
  }
  const anchor = /#([a-z0-9_-]+)$/i.exec(a.runbookUrl ?? '')?.[1];
  return `${PLUGIN_BASE_URL}/${ROUTES.Runbooks}/${name}${anchor ? `#${anchor}` : ''}`;
}

/** A link's `configure`: shown with the path `pathOf` gives for the context, hidden when it gives none. */
export function configureWith(pathOf: (context: unknown) => string | undefined) {
  return (context: unknown) => {
    const path = pathOf(context);
    return path ? { path } : undefined;
  };
}

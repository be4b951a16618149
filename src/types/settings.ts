import { isTimeZone } from '../slo/periods';

/** The app's jsonData, saved by the config page and read by every page (no secrets here). */
export interface AppSettings {
  /** uid of the Prometheus data source that holds the SLO rules. */
  prometheusUid?: string;
  /** uid of the veza-pgha-datasource instance (optional: failover events and the topology page). */
  pghaUid?: string;
  /** Grafana base URL used in alert links (runbook_url, dashboard_url). */
  grafanaUrl?: string;
  /** IANA time zone of the report's calendar periods (months, quarters, ISO weeks); default UTC. */
  timeZone?: string;
}

export const DEFAULT_GRAFANA_URL = 'http://127.0.0.1:3000';

/** Returns the first problem with the settings, in words, or undefined when they can be saved. */
export function validateSettings(s: AppSettings): string | undefined {
  if (!s.prometheusUid?.trim()) {
    return 'Pick the Prometheus data source that holds the SLO rules.';
  }
  if (s.grafanaUrl) {
    try {
      const u = new URL(s.grafanaUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') {
        return 'The Grafana URL must start with http:// or https://.';
      }
    } catch {
      return `"${s.grafanaUrl}" is not a URL: use the address people open Grafana at, e.g. ${DEFAULT_GRAFANA_URL}.`;
    }
  }
  if (s.timeZone !== undefined && s.timeZone !== '' && !isTimeZone(s.timeZone)) {
    return `"${s.timeZone}" is not an IANA time zone this browser knows: use a name such as UTC, Europe/Berlin or America/New_York.`;
  }
  return undefined;
}

/** Alert links vs the Grafana the app lives in. Pure. */
import type { PromRulesData } from '../api/types';

/**
 * The runbook_url and dashboard_url annotations of alerting rules that do not start with `grafanaUrl`: alerts
 * whose links would send on-call to another Grafana (the rules were generated with another --grafana-url).
 */
export function linksOutside(data: PromRulesData | undefined, grafanaUrl: string): string[] {
  const base = grafanaUrl.replace(/\/+$/, '');
  const out: string[] = [];
  for (const g of data?.groups ?? []) {
    for (const r of g.rules ?? []) {
      if (r.type !== 'alerting') {
        continue;
      }
      for (const key of ['runbook_url', 'dashboard_url']) {
        const url = r.annotations?.[key];
        if (url && url !== base && !url.startsWith(`${base}/`) && !url.startsWith(`${base}?`)) {
          out.push(url);
        }
      }
    }
  }
  return out;
}

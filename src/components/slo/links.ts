import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { runbookName } from '../../slo/words';

export function sloPath(id: string, params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined) {
      q.set(k, v);
    }
  }
  const qs = q.toString();
  return `${PLUGIN_BASE_URL}/${ROUTES.Slos}/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`;
}

/** In-app runbook route for a runbook_url (the generated URLs point at this app); the raw URL otherwise. */
export function runbookHref(url: string | undefined): { href: string; internal: boolean } | undefined {
  const name = runbookName(url);
  if (name) {
    return { href: `${PLUGIN_BASE_URL}/${ROUTES.Runbooks}/${name}`, internal: true };
  }
  return url ? { href: url, internal: false } : undefined;
}

/** Grafana Explore for one PromQL query on the app's Prometheus data source. */
export function exploreHref(uid: string, expr: string, from = 'now-6h', to = 'now'): string {
  const left = {
    datasource: uid,
    queries: [{ refId: 'A', expr, datasource: { type: 'prometheus', uid } }],
    range: { from, to },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify({ a: left }))}`;
}

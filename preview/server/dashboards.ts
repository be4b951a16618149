// The dashboards the app ships (plugin.json `includes` of type dashboard, files under dist/), served through the
// shapes of Grafana's HTTP API the preview shell reads: GET /api/search?type=dash-db and
// GET /api/dashboards/uid/<uid>. Read from disk on every request, so a rebuilt plugin is seen without a restart;
// a file that is missing or not JSON is skipped with a reason (GET /api/search lists it under `problems`).
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedPlugin } from './plugins';

export interface ShippedDashboard {
  uid: string;
  title: string;
  tags: string[];
  /** Path inside the plugin (dashboards/slo-detail.json). */
  file: string;
  pluginId: string;
  model: Record<string, unknown>;
}

export function shippedDashboards(plugins: Map<string, LoadedPlugin>): {
  dashboards: ShippedDashboard[];
  problems: string[];
} {
  const dashboards: ShippedDashboard[] = [];
  const problems: string[] = [];
  for (const p of plugins.values()) {
    for (const inc of (p.json.includes ?? []).filter((i) => i.type === 'dashboard' && typeof i.path === 'string')) {
      const file = path.resolve(p.dir, inc.path!);
      // A path in plugin.json never leads out of the plugin's folder.
      if (!file.startsWith(path.resolve(p.dir) + path.sep)) {
        problems.push(`${p.json.id}: ${inc.path} is outside the plugin`);
        continue;
      }
      try {
        const model = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        if (typeof model.uid !== 'string' || typeof model.title !== 'string') {
          throw new Error('no uid or title');
        }
        dashboards.push({
          uid: model.uid,
          title: model.title,
          tags: Array.isArray(model.tags) ? (model.tags as string[]) : [],
          file: inc.path!,
          pluginId: p.json.id,
          model,
        });
      } catch (e) {
        problems.push(`${p.json.id}: ${inc.path}: ${(e as Error).message}`);
      }
    }
  }
  return { dashboards, problems };
}

/** GET /api/search?type=dash-db (the fields Grafana's search returns that the shell reads). */
export const searchHits = (ds: ShippedDashboard[]) =>
  ds.map((d) => ({
    uid: d.uid,
    title: d.title,
    tags: d.tags,
    type: 'dash-db',
    url: `/d/${d.uid}`,
    folderTitle: 'Veza SLO',
  }));

/** GET /api/dashboards/uid/<uid>: { dashboard, meta } like Grafana, meta saying where it comes from. */
export const dashboardByUid = (d: ShippedDashboard) => ({
  dashboard: d.model,
  meta: { slug: d.uid, url: `/d/${d.uid}`, provisioned: true, canSave: false, pluginId: d.pluginId, file: d.file },
});

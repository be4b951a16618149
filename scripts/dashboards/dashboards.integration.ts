/**
 * Every Prometheus target of every shipped dashboard (src/dashboards/*.json), executed against the local stack's
 * real Prometheus as Grafana would run it (range query over the dashboard's default range, `$slo` set to each value
 * its variable query lists), must return data. Run: VEZA_INTEGRATION=1 npx jest --selectProjects integration
 */
import fs from 'fs';
import path from 'path';
import { parseSpec } from '../rules/spec';
import { allPanels, type Dashboard, type Target } from './model';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const root = path.resolve(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const spec = parseSpec(read('provisioning/slo/slos.yaml'), JSON.parse(read('provisioning/slo/slos.schema.json')));
const dashboards: Dashboard[] = fs
  .readdirSync(path.join(root, 'src/dashboards'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(read(`src/dashboards/${f}`)));

async function prom(endpoint: string, params: Record<string, string>) {
  // Label values are GET only; queries are POSTed as Grafana's data source does (httpMethod: POST).
  const r = endpoint.startsWith('label/')
    ? await fetch(`${PROM}/api/v1/${endpoint}?${new URLSearchParams(params)}`)
    : await fetch(`${PROM}/api/v1/${endpoint}`, { method: 'POST', body: new URLSearchParams(params) });
  const body = (await r.json()) as { status: string; error?: string; data: unknown };
  if (body.status !== 'success') {
    throw new Error(`${endpoint} ${JSON.stringify(params)}: ${body.error}`);
  }
  return body.data;
}

/** A `label_values(metric, label)` variable query, as Grafana's Prometheus data source runs it. */
async function labelValues(query: string): Promise<string[]> {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  if (!m) {
    throw new Error(`not a label_values query: ${query}`);
  }
  return (await prom(`label/${m[2]}/values`, { 'match[]': m[1] })) as string[];
}

const promTargets = dashboards.flatMap((d) =>
  allPanels(d).flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => (t.datasource ?? p.datasource)?.type === 'prometheus')
      .map((t: Target) => ({ dashboard: d, panel: p.title!, target: t, step: p.interval === '1h' ? 3600 : 300 }))
  )
);

test('the dashboards hold Prometheus targets to run', () => {
  expect(promTargets.length).toBeGreaterThanOrEqual(8);
});

test('the slo variable lists every SLO of the spec (from the recorded series on Prometheus)', async () => {
  for (const d of dashboards) {
    for (const v of (d.templating?.list ?? []).filter((x) => x.type === 'query')) {
      const q = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
      expect((await labelValues(q)).sort()).toEqual(spec.slos.map((s) => s.id).sort());
    }
  }
});

describe.each(spec.slos.map((s) => s.id))('slo=%s', (slo) => {
  test.each(promTargets.map((t) => [`${t.dashboard.title} / ${t.panel} / ${t.target.refId}`, t] as const))(
    '%s returns data',
    async (_name, { target, step }) => {
      const expr = target.expr!.replace(/\$slo\b/g, slo);
      expect(expr).not.toMatch(/\$\w/); // every variable substituted
      const end = Math.floor(Date.now() / 1000);
      const data = target.instant
        ? ((await prom('query', { query: expr, time: String(end) })) as { result: unknown[] })
        : ((await prom('query_range', {
            query: expr,
            start: String(end - 6 * 3600),
            end: String(end),
            step: String(step),
          })) as { result: Array<{ values: Array<[number, string]> }> });
      expect(data.result.length).toBeGreaterThan(0);
      const values = (data.result as Array<{ value?: [number, string]; values?: Array<[number, string]> }>).flatMap(
        (r) => (r.values ?? [r.value!]).map(([, v]) => Number(v))
      );
      expect(values.some(Number.isFinite)).toBe(true);
    }
  );
});

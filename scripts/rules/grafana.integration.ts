/**
 * The Grafana-managed alert rules' queries (provisioning/grafana-managed/slo-alerts.yaml) executed against the
 * local stack's real Prometheus, as Grafana's alerting sends them (instant queries at the end of the rule's relative
 * range): every one is accepted and answers a vector; on the healthy stack no burn or no-data condition holds, as
 * Prometheus' own alerts say. Run: VEZA_INTEGRATION=1 npx jest --selectProjects integration
 */
import fs from 'fs';
import path from 'path';
import yaml from 'js-yaml';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const root = path.resolve(__dirname, '../..');
interface Rule {
  title: string;
  labels: Record<string, string>;
  data: Array<{
    refId: string;
    datasourceUid: string;
    relativeTimeRange?: { from: number; to: number };
    model: { expr?: string };
  }>;
}
const rules = (
  yaml.load(fs.readFileSync(path.join(root, 'provisioning/grafana-managed/slo-alerts.yaml'), 'utf8')) as {
    groups: Array<{ rules: Rule[] }>;
  }
).groups.flatMap((g) => g.rules);

async function instant(expr: string, time: number) {
  const r = await fetch(`${PROM}/api/v1/query`, {
    method: 'POST',
    body: new URLSearchParams({ query: expr, time: String(time) }),
  });
  return (await r.json()) as { status: string; error?: string; data: { resultType: string; result: unknown[] } };
}

const queries = rules.flatMap((r) =>
  r.data.filter((d) => d.datasourceUid === 'prometheus').map((d) => [`${r.title} ${d.refId}`, r, d] as const)
);

test('there are queries to run: every alert, and the short window of each burn alert', () => {
  expect(queries.length).toBe(rules.length + rules.filter((r) => r.labels.slo_tier).length);
});

test.each(queries)('%s: Prometheus accepts it and answers a vector', async (_name, _rule, d) => {
  const now = Math.floor(Date.now() / 1000) - (d.relativeTimeRange?.to ?? 0);
  const r = await instant(d.model.expr!, now);
  expect([r.status, r.error]).toEqual(['success', undefined]);
  expect(r.data.resultType).toBe('vector');
});

test("the short window (B) answers one series per SLO, with the slo label the condition's series carry", async () => {
  for (const r of rules.filter((x) => x.labels.slo_tier)) {
    const b = await instant(r.data.find((d) => d.refId === 'B')!.model.expr!, Math.floor(Date.now() / 1000));
    expect((b.data.result as Array<{ metric: Record<string, string> }>).map((s) => s.metric)).toEqual([
      { slo: r.labels.slo },
    ]);
  }
});

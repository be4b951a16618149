// Compares what Prometheus answers over the backfilled history with stack/history/expected.json (computed from
// the generated counts, not PromQL). Prints one "ok"/"not ok" line per check and a "counts P F" line.
import fs from 'node:fs';
import { expectedState } from '../history/backfill';

const PROM = 'http://127.0.0.1:9090';
const W = 'method=~"POST|PUT|PATCH|DELETE"';
const SLI: Record<string, (r: string) => string> = {
  'api-availability': (r) =>
    `sum(increase(http_requests_total{job="veza-api",method="GET",code=~"5.."}[${r}])) / sum(increase(http_requests_total{job="veza-api",method="GET"}[${r}]))`,
  'api-latency': (r) =>
    `1 - sum(increase(http_request_duration_seconds_bucket{job="veza-api",${W},le="0.5"}[${r}])) / sum(increase(http_request_duration_seconds_count{job="veza-api",${W}}[${r}]))`,
  'payment-success': (r) =>
    `sum(increase(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders",code!~"2.."}[${r}])) / sum(increase(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders"}[${r}]))`,
};

async function q(query: string, time: number): Promise<number> {
  const u = `${PROM}/api/v1/query?query=${encodeURIComponent(query)}&time=${time}`;
  const r = (await (await fetch(u)).json()) as { data?: { result: Array<{ value: [number, string] }> } };
  return Number(r.data?.result[0]?.value[1] ?? NaN);
}

interface Window {
  from: string;
  to: string;
  at: number;
  range: string;
  slos: Record<string, { errorRatio: number }>;
}
let pass = 0;
let fail = 0;
const report = (ok: boolean, what: string) => (ok ? pass++ : fail++, console.log(`${ok ? 'ok' : 'not ok'} ${what}`));

async function main() {
  const exp = JSON.parse(fs.readFileSync(expectedState(), 'utf8'));
  const tol: number = exp.tolerance.errorRatioAbs;
  const windows: Array<[string, Window]> = [
    ['last 30 days', exp.last30d],
    ...exp.months.map((m: Window & { month: string }) => [
      `month ${m.month}${m.from.slice(8, 10) !== '01' || !(m as { complete?: boolean }).complete ? ` (${m.from.slice(0, 10)}..${m.to.slice(0, 16)})` : ''}`,
      m,
    ]),
  ];
  for (const [name, w] of windows) {
    for (const [slo, e] of Object.entries(w.slos)) {
      const got = await q(SLI[slo](w.range), w.at);
      report(
        Math.abs(got - e.errorRatio) <= tol,
        `${name} ${slo}: prometheus ${got.toFixed(7)} expected ${e.errorRatio.toFixed(7)} (±${tol})`
      );
    }
  }
  // Incidents show in the raw counters; recording rules (backfilled for the last days) agree with their expr.
  for (const i of exp.incidents as Array<{ id: string; slos: string[]; start: string; end: string }>) {
    const at = Date.parse(i.end) / 1000;
    const range = `${at - Date.parse(i.start) / 1000}s`;
    for (const slo of i.slos) {
      const v = await q(SLI[slo](range), at);
      report(v > 0.05, `incident ${i.id}: ${slo} error ratio during it ${v.toFixed(4)} (> 0.05)`);
      if (at > exp.endUnix - 7 * 86400) {
        // Rule samples sit on the group's own evaluation grid: compare at the sample's timestamp.
        const ts = await q(`timestamp(slo:sli_error:ratio_rate30m{slo="${slo}"})`, at);
        const rule = await q(`slo:sli_error:ratio_rate30m{slo="${slo}"}`, ts);
        const raw = await q(SLI[slo]('30m').replace(/increase\(/g, 'rate('), ts);
        report(
          Math.abs(rule - raw) < 1e-9,
          `incident ${i.id}: backfilled slo:sli_error:ratio_rate30m{slo="${slo}"} ${rule.toFixed(4)} = its expr ${raw.toFixed(4)}`
        );
      }
    }
  }
  const quiet = await q('max(slo:sli_error:ratio_rate6h)', exp.endUnix - 86400 + 3600);
  report(quiet < 0.01, `quiet day before the end: max backfilled 6h error ratio ${quiet.toFixed(5)} (< 0.01)`);
  console.log(`counts ${pass} ${fail}`);
}
main().catch((e) => (console.log(`not ok history check crashed: ${e}`), console.log(`counts ${pass} ${fail + 1}`)));

// `npm run budget -- report --period 2026-11 [--format csv|json|md]`: the monthly error-budget report without a
// browser, from the same loader and maths as the app's report page (docs/slo-pages.md). Prometheus: --prometheus or
// PROMETHEUS_URL, default http://127.0.0.1:9090. Exit 0 with the report on stdout; 2 with a message on a bad option;
// 1 when Prometheus cannot answer (nothing half-printed).
import { parseArgs } from 'node:util';
import { httpBackendSrv } from '../../src/api/httpBackendSrv';
import { loadReport } from '../../src/api/loaders';
import { PrometheusClient } from '../../src/api/prometheus';
import { monthOf, parseMonthKey } from '../../src/slo/report';
import { reportRows } from '../../src/api/reportRows';
import { reportCsv, reportMarkdown } from './report';

const USAGE = 'usage: npm run budget -- report [--period YYYY-MM] [--format csv|json|md] [--prometheus URL]';

function fail(msg: string, code = 2): never {
  process.stderr.write(`budget: ${msg}\n`);
  process.exit(code);
}

async function report(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      period: { type: 'string' },
      format: { type: 'string', default: 'md' },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090' },
    },
  });
  const format = values.format!;
  if (!['csv', 'json', 'md'].includes(format)) {
    fail(`--format ${format}: csv, json or md`);
  }
  const month = values.period === undefined ? monthOf(Date.now()) : parseMonthKey(values.period);
  if (!month) {
    fail(`--period ${values.period}: a calendar month as YYYY-MM, e.g. 2026-11`);
  }
  if (month.startMs > Date.now()) {
    fail(`--period ${values.period}: that month has not started`);
  }
  let url: URL;
  try {
    url = new URL(values.prometheus!);
  } catch {
    fail(`--prometheus ${values.prometheus}: not a URL`);
  }
  const client = new PrometheusClient('prometheus', httpBackendSrv(url.toString().replace(/\/$/, '')), {
    timeoutMs: 60000,
  });
  let data;
  try {
    data = await loadReport(client, month, Date.now());
  } catch (e) {
    fail(`Prometheus at ${url.origin} did not answer the report's queries: ${(e as Error).message}`, 1);
  }
  const rows = reportRows(data);
  if (format === 'json') {
    process.stdout.write(JSON.stringify({ month: month.key, problems: data.problems, slos: rows }, null, 2) + '\n');
  } else if (format === 'csv') {
    process.stdout.write(reportCsv(rows));
  } else {
    process.stdout.write(reportMarkdown(rows, data.problems));
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'report') {
    await report(rest);
  } else {
    fail(command ? `unknown command ${command}\n${USAGE}` : USAGE);
  }
}

main().catch((e) => fail((e as Error).message, 1));

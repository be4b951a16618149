// `npm run budget -- gate --slo <id>`: the deploy gate of the error-budget policy (exit codes GATE_EXIT).
// `npm run budget -- report --period 2026-11|2026-Q4|2026-W48 [--tz Europe/Berlin] [--format csv|json|md]
// [--corrections annotations.json] [--annotations deploys.json] [--failovers episodes.json] [--ledger]`: the
// error-budget report of a calendar month, quarter or ISO week in a time zone (default UTC) without a browser, from the same loader and maths as the app's report page (docs/slo-pages.md). Prometheus: --prometheus or
// PROMETHEUS_URL, default http://127.0.0.1:9090. Exit 0 with the report on stdout; 2 with a message on a bad option;
// 1 when Prometheus cannot answer (nothing half-printed).
import { parseArgs } from 'node:util';
import { httpBackendSrv } from '../../src/api/httpBackendSrv';
import { loadOverview, loadReport } from '../../src/api/loaders';
import { PrometheusClient } from '../../src/api/prometheus';
import { DEFAULT_TIME_ZONE, isTimeZone, parsePeriod, periodOf } from '../../src/slo/periods';
import { toView } from '../../src/slo/status';
import { reportRows } from '../../src/api/reportRows';
import { GATE_EXIT } from './gate';
import { correctionsFromAnnotations, type GrafanaAnnotation } from '../../src/slo/corrections';
import fs from 'node:fs';
import { reportCsv } from '../../src/api/reportCsv';
import { reportMarkdown } from './report';
import { type LedgerData, loadLedger } from '../../src/api/ledger';
import { deploysFromAnnotations, type FailoverEpisode } from '../../src/slo/ledger';
import { failoversFromJson, ledgerCsv, ledgerJson, ledgerMarkdown } from './ledger';

const USAGE = [
  'usage: npm run budget -- report [--period YYYY-MM|YYYY-Qn|YYYY-Www] [--tz IANA zone] [--format csv|json|md] [--prometheus URL]',
  '                                [--corrections FILE (the JSON of GET /api/annotations?tags=veza-slo-correction)]',
  '                                [--annotations FILE (the JSON of GET /api/annotations?tags=deploy: the deploys)]',
  '                                [--failovers FILE (a JSON array of {start, end, title}: failover episodes)]',
  '                                [--ledger (with --format csv: the budget ledger instead of the report rows)]',
  '       npm run budget -- gate --slo <id> [--prometheus URL]',
].join('\n');

function fail(msg: string, code = 2): never {
  process.stderr.write(`budget: ${msg}\n`);
  process.exit(code);
}

function prometheusClient(raw: string) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(`--prometheus ${raw}: not a URL`);
  }
  const client = new PrometheusClient('prometheus', httpBackendSrv(url.toString().replace(/\/$/, '')), {
    timeoutMs: 60000,
  });
  return { url, client };
}

/**
 * `gate --slo <id>`: the deploy gate. Reads the SLO's budget left the way the overview does (same loader and
 * maths) and its error-budget policy from the rules, prints the state and why, and exits GATE_EXIT.blocked when
 * that state blocks deploys. Anything that prevents a verdict (Prometheus silent, no budget, no policy) exits
 * GATE_EXIT.unknown with the reason, so a pipeline chooses whether an unknown budget blocks.
 */
async function gate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      slo: { type: 'string' },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090' },
    },
  });
  if (!values.slo) {
    fail(`gate needs --slo <id>\n${USAGE}`);
  }
  const { url, client } = prometheusClient(values.prometheus!);
  let data;
  try {
    data = await loadOverview(client);
  } catch (e) {
    fail(`Prometheus at ${url.origin} did not answer: ${(e as Error).message} — no verdict`, GATE_EXIT.unknown);
  }
  const slo = data.slos.find((x) => x.id === values.slo);
  if (!slo) {
    fail(`--slo ${values.slo}: no such SLO in the rules (${data.slos.map((x) => x.id).join(', ') || 'none'})`);
  }
  const view = toView(slo, data.status.get(slo.id));
  const left = view.remaining;
  if (!slo.budgetPolicy) {
    fail(
      `${slo.id}: its rules carry no error-budget policy (add budgetPolicy to the spec and run npm run rules) — no verdict`,
      GATE_EXIT.unknown
    );
  }
  if (left === undefined || !view.policy) {
    const why = data.problems.length ? `: ${data.problems.join('; ')}` : '';
    fail(`${slo.id}: no budget figure from Prometheus${why} — no verdict`, GATE_EXIT.unknown);
  }
  const asOf = view.budgetAsOf ? `, to ${new Date(view.budgetAsOf).toISOString().slice(11, 16)} UTC` : '';
  const blocked = Boolean(view.policy.blocksDeploys);
  process.stdout.write(
    `${slo.id}: ${(left * 100).toFixed(1)} % of the ${slo.windowLabel} error budget left${asOf} → policy "${view.policy.state}": ${view.policy.text}\n` +
      (blocked ? `deploy blocked by the error-budget policy of ${slo.id}\n` : `deploy allowed\n`)
  );
  process.exit(blocked ? GATE_EXIT.blocked : GATE_EXIT.deploy);
}

/** A file holding the annotations API's answer (a JSON array of annotations), or exit 2 naming the option. */
function annotationsFile(option: string, file: string): GrafanaAnnotation[] {
  try {
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(list)) {
      throw new Error('not a JSON array of annotations');
    }
    return list as GrafanaAnnotation[];
  } catch (e) {
    fail(`--${option} ${file}: ${(e as Error).message}`);
  }
}

async function report(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      period: { type: 'string' },
      tz: { type: 'string', default: DEFAULT_TIME_ZONE },
      format: { type: 'string', default: 'md' },
      corrections: { type: 'string' },
      annotations: { type: 'string' },
      failovers: { type: 'string' },
      ledger: { type: 'boolean', default: false },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090' },
    },
  });
  const format = values.format!;
  if (!['csv', 'json', 'md'].includes(format)) {
    fail(`--format ${format}: csv, json or md`);
  }
  const tz = values.tz!;
  if (!isTimeZone(tz)) {
    fail(`--tz ${tz}: not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
  }
  const period = values.period === undefined ? periodOf('month', Date.now(), tz) : parsePeriod(values.period, tz);
  if (!period) {
    fail(
      `--period ${values.period}: a calendar month (YYYY-MM, e.g. 2026-11), quarter (YYYY-Qn, 2026-Q4) or ISO week (YYYY-Www, 2026-W48)`
    );
  }
  if (period.startMs > Date.now()) {
    fail(`--period ${values.period}: that ${period.kind} has not started in ${tz}`);
  }
  if (values.ledger && format !== 'csv') {
    fail('--ledger goes with --format csv (markdown and JSON always carry the ledger)');
  }
  // The CLI has no Grafana session: corrections and deploys come as the annotations API's answer saved to a file,
  // failover episodes as a file too.
  const corrections =
    values.corrections !== undefined
      ? correctionsFromAnnotations(annotationsFile('corrections', values.corrections))
      : [];
  const deploys =
    values.annotations !== undefined
      ? deploysFromAnnotations(annotationsFile('annotations', values.annotations))
      : undefined;
  let failovers: FailoverEpisode[] | undefined;
  if (values.failovers !== undefined) {
    try {
      failovers = failoversFromJson(JSON.parse(fs.readFileSync(values.failovers, 'utf8')));
    } catch (e) {
      fail(`--failovers ${values.failovers}: ${(e as Error).message}`);
    }
  }
  const { url, client } = prometheusClient(values.prometheus!);
  let data;
  try {
    data = await loadReport(client, period, Date.now(), undefined, 6, corrections);
  } catch (e) {
    fail(`Prometheus at ${url.origin} did not answer the report's queries: ${(e as Error).message}`, 1);
  }
  const rows = reportRows(data);
  // The ledger rides along in markdown and JSON (its own CSV with --ledger); a failure to read it leaves the report.
  let ledger: LedgerData | undefined;
  if (format !== 'csv' || values.ledger) {
    try {
      ledger = await loadLedger(client, data, {
        deploys,
        failovers,
        deploysWhy: 'no --annotations file',
        failoversWhy: 'no --failovers file',
      });
    } catch (e) {
      if (values.ledger) {
        fail(`Prometheus at ${url.origin} did not answer the ledger's queries: ${(e as Error).message}`, 1);
      }
      data.problems.push(`the budget ledger: ${(e as Error).message}`);
    }
  }
  if (values.ledger) {
    process.stdout.write(ledgerCsv(ledger!, period));
    return;
  }
  if (format === 'json') {
    const iso = (ms: number) => new Date(ms).toISOString();
    const head = {
      period: period.key,
      kind: period.kind,
      timeZone: tz,
      from: iso(period.startMs),
      to: iso(data.evalEnd),
    };
    process.stdout.write(
      JSON.stringify(
        {
          ...head,
          problems: data.problems,
          corrections: data.corrections,
          slos: rows,
          ledger: ledger ? ledgerJson(ledger) : null,
        },
        null,
        2
      ) + '\n'
    );
  } else if (format === 'csv') {
    process.stdout.write(reportCsv(rows));
  } else {
    process.stdout.write(reportMarkdown(rows, data.problems) + (ledger ? `\n${ledgerMarkdown(ledger)}` : ''));
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'report') {
    await report(rest);
  } else if (command === 'gate') {
    await gate(rest);
  } else {
    fail(command ? `unknown command ${command}\n${USAGE}` : USAGE);
  }
}

main().catch((e) => fail((e as Error).message, 1));

// `npm run rules [-- --grafana-url URL] [--spec FILE] [--out FILE] [--guards-out FILE] [--budget-out FILE] [--check]`
// `npm run rules -- --format grafana [--out FILE] [--check]` writes the same alerts as Grafana-managed rules in
// Grafana's alerting file provisioning format (provisioning/grafana-managed/slo-alerts.yaml, scripts/rules/grafana.ts).
// Writes provisioning/prometheus/slo.yml (recording rules + burn-rate alerts), slo-guards.yml (NoData and
// retention alerts) and slo-budget.yml (hourly bad/valid events for the app's budgets) from provisioning/slo/slos.yaml. With --check it writes nothing and exits 1 when either
// committed file differs from a fresh generation.
// On any error it exits 2, names the problem and leaves both output files untouched: the new texts are written to
// temporary files next to them, checked with `promtool check rules` when promtool is on PATH, and only then
// renamed over the old ones.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { budgetFile } from './budget';
import { DEFAULT_GRAFANA_RULES_OUT, grafanaRuleFile } from './grafana';
import { guardFile } from './guards';
import { DEFAULT_GRAFANA_URL, normalizeGrafanaUrl, renderGenerated, renderRuleFile } from './rules';
import { parseSpec, SpecError } from './spec';

const root = path.resolve(__dirname, '../..');

/** slo.yml → slo-guards.yml, next to it. */
const guardsPathFor = (out: string) => `${out.replace(/\.ya?ml$/, '')}-guards.yml`;
/** slo.yml → slo-budget.yml, next to it. */
const budgetPathFor = (out: string) => `${out.replace(/\.ya?ml$/, '')}-budget.yml`;

function promtoolOnPath(): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, 'promtool')));
}

/** Writes every file or none: temporaries first, promtool on them, then the renames. */
function writeAll(files: Array<{ out: string; text: string }>) {
  const tmps = files.map(({ out, text }) => {
    const tmp = `${out}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    return tmp;
  });
  try {
    if (promtoolOnPath()) {
      const r = spawnSync('promtool', ['check', 'rules', ...tmps], { encoding: 'utf8' });
      if (r.status !== 0) {
        throw new Error(`promtool check rules refused the generated rules, nothing written:\n${r.stdout}${r.stderr}`);
      }
    }
    files.forEach(({ out }, i) => fs.renameSync(tmps[i], out));
  } finally {
    tmps.filter((t) => fs.existsSync(t)).forEach((t) => fs.unlinkSync(t));
  }
}

function main(): number {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string', default: path.join(root, 'provisioning/slo/slos.yaml') },
      schema: { type: 'string', default: path.join(root, 'provisioning/slo/slos.schema.json') },
      out: { type: 'string' },
      format: { type: 'string', default: 'prometheus' },
      'guards-out': { type: 'string' },
      'budget-out': { type: 'string' },
      'grafana-url': { type: 'string', default: DEFAULT_GRAFANA_URL },
      check: { type: 'boolean', default: false },
    },
  });
  const grafanaUrl = normalizeGrafanaUrl(values['grafana-url']!);
  const schema = JSON.parse(fs.readFileSync(values.schema!, 'utf8'));
  const spec = parseSpec(fs.readFileSync(values.spec!, 'utf8'), schema);
  const source = path.relative(root, path.resolve(values.spec!));
  if (values.format !== 'prometheus' && values.format !== 'grafana') {
    throw new Error(`--format ${values.format}: expected prometheus or grafana`);
  }
  const grafana = values.format === 'grafana';
  const out = values.out ?? path.join(root, grafana ? DEFAULT_GRAFANA_RULES_OUT : 'provisioning/prometheus/slo.yml');
  const files = grafana
    ? [{ out, text: renderGenerated(grafanaRuleFile(spec, grafanaUrl), grafanaUrl, source) }]
    : [
        { out, text: renderRuleFile(spec, grafanaUrl, source) },
        {
          out: values['guards-out'] ?? guardsPathFor(out),
          text: renderGenerated(guardFile(spec, grafanaUrl), grafanaUrl, source),
        },
        {
          out: values['budget-out'] ?? budgetPathFor(out),
          text: renderGenerated(budgetFile(spec), grafanaUrl, source),
        },
      ];

  if (values.check) {
    const stale = files.filter((f) => (fs.existsSync(f.out) ? fs.readFileSync(f.out, 'utf8') : '') !== f.text);
    for (const f of stale) {
      console.error(`${f.out} is stale: run \`npm run rules\` and commit the result`);
    }
    if (stale.length === 0) {
      console.log(`${files.map((f) => f.out).join(' and ')} are up to date`);
    }
    return stale.length === 0 ? 0 : 1;
  }
  if (grafanaUrl === DEFAULT_GRAFANA_URL) {
    console.error(
      `rules: warning: the links in the alerts point at ${DEFAULT_GRAFANA_URL}, the local Grafana; ` +
        'pass --grafana-url https://<your grafana> so runbook and SLO links work from a notification'
    );
  }
  if (grafana) {
    // Not a Prometheus rule file: promtool cannot check it (the tests run its queries on Prometheus instead).
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(`${out}.tmp-${process.pid}`, files[0].text);
    fs.renameSync(`${out}.tmp-${process.pid}`, out);
  } else {
    writeAll(files);
  }
  console.log(
    `wrote ${files.map((f) => f.out).join(' and ')}: ${spec.slos.length} SLOs, grafana links to ${grafanaUrl}`
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(err instanceof SpecError ? `${err.message}` : `rules: ${(err as Error).message}`);
  process.exitCode = 2;
}

// `npm run rules [-- --grafana-url URL] [--spec FILE] [--out FILE] [--check]`
// Writes provisioning/prometheus/slo.yml from provisioning/slo/slos.yaml. With --check it writes
// nothing and exits 1 when the committed file differs from a fresh generation.
// On any error it exits 2, names the problem and leaves the output file untouched.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_GRAFANA_URL, normalizeGrafanaUrl, renderRuleFile } from './rules';
import { parseSpec, SpecError } from './spec';

const root = path.resolve(__dirname, '../..');

function main(): number {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string', default: path.join(root, 'provisioning/slo/slos.yaml') },
      schema: { type: 'string', default: path.join(root, 'provisioning/slo/slos.schema.json') },
      out: { type: 'string', default: path.join(root, 'provisioning/prometheus/slo.yml') },
      'grafana-url': { type: 'string', default: DEFAULT_GRAFANA_URL },
      check: { type: 'boolean', default: false },
    },
  });
  const grafanaUrl = normalizeGrafanaUrl(values['grafana-url']!);
  const schema = JSON.parse(fs.readFileSync(values.schema!, 'utf8'));
  const spec = parseSpec(fs.readFileSync(values.spec!, 'utf8'), schema);
  const text = renderRuleFile(spec, grafanaUrl);
  const out = values.out!;

  if (values.check) {
    const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
    if (current !== text) {
      console.error(`${out} is stale: run \`npm run rules\` and commit the result`);
      return 1;
    }
    console.log(`${out} is up to date`);
    return 0;
  }
  // Write to a temporary file and rename, so a crash never leaves a half-written rule file.
  const tmp = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out);
  console.log(`wrote ${out}: ${spec.slos.length} SLOs, grafana links to ${grafanaUrl}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(err instanceof SpecError ? `${err.message}` : `rules: ${(err as Error).message}`);
  process.exitCode = 2;
}

// `npm run dashboards [-- --spec FILE] [--out DIR] [--check]`
// Writes the dashboards the app ships (src/dashboards/*.json, listed in src/plugin.json `includes`) from the SLO
// spec, with Grafana's foundation SDK (scripts/dashboards/dashboards.ts). With --check it writes nothing and exits 1
// when a committed file differs from a fresh generation; on a bad spec it exits 2 and writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseSpec, SpecError } from '../rules/spec';
import { dashboards, renderDashboard } from './dashboards';

const root = path.resolve(__dirname, '../..');

function main(): number {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string', default: path.join(root, 'provisioning/slo/slos.yaml') },
      schema: { type: 'string', default: path.join(root, 'provisioning/slo/slos.schema.json') },
      out: { type: 'string', default: path.join(root, 'src/dashboards') },
      check: { type: 'boolean', default: false },
    },
  });
  const spec = parseSpec(fs.readFileSync(values.spec!, 'utf8'), JSON.parse(fs.readFileSync(values.schema!, 'utf8')));
  const files = Object.entries(dashboards(spec)).map(([name, d]) => ({
    out: path.join(values.out!, name),
    text: renderDashboard(d),
  }));
  if (values.check) {
    const stale = files.filter((f) => (fs.existsSync(f.out) ? fs.readFileSync(f.out, 'utf8') : '') !== f.text);
    stale.forEach((f) => console.error(`${f.out} is stale: run \`npm run dashboards\` and commit the result`));
    if (!stale.length) {
      console.log(`${files.map((f) => path.relative(root, f.out)).join(', ')} are up to date`);
    }
    return stale.length ? 1 : 0;
  }
  fs.mkdirSync(values.out!, { recursive: true });
  for (const f of files) {
    fs.writeFileSync(`${f.out}.tmp-${process.pid}`, f.text);
    fs.renameSync(`${f.out}.tmp-${process.pid}`, f.out);
  }
  console.log(`wrote ${files.map((f) => path.relative(root, f.out)).join(', ')} (${spec.slos.length} SLOs)`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(err instanceof SpecError ? err.message : `dashboards: ${(err as Error).message}`);
  process.exitCode = 2;
}

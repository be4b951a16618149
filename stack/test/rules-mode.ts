// Test-only evaluation settings for the alerting suite: `fast` loads copies of the rule files with every
// `for:` cut to 20s (the real 2m/15m would make the suite wait ~20 min); `normal` restores the repo's files.
import fs from 'node:fs';
import path from 'node:path';
import { PORTS } from '../lib/config';
import { ruleFiles, TEST_RULES_DIR, writePrometheusConfig } from '../lib/monitoring';

async function main(mode: string) {
  if (mode === 'fast') {
    fs.mkdirSync(TEST_RULES_DIR(), { recursive: true });
    const files = ruleFiles().map((f) => {
      const out = path.join(TEST_RULES_DIR(), path.basename(f));
      fs.writeFileSync(out, fs.readFileSync(f, 'utf8').replace(/^(\s+for:\s*)\S+/gm, '$120s'));
      return out;
    });
    writePrometheusConfig(files);
  } else {
    writePrometheusConfig();
  }
  const r = await fetch(`http://127.0.0.1:${PORTS.prometheus}/-/reload`, { method: 'POST' });
  if (!r.ok) {
    throw new Error(`reload failed: ${r.status} ${await r.text()}`);
  }
  console.log(`prometheus rules: ${mode}`);
}
void main(process.argv[2] ?? 'normal').catch((e) => (console.error(e.message), process.exit(1)));

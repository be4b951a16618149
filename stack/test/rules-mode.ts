// Test-only evaluation settings for the alerting suite: `fast` loads copies of the rule files with every
// `for:` cut to 20s (the real 2m/15m would make the suite wait ~20 min); `normal` restores the repo's files.
//
// `fast` also stamps every alert with `drill_run: <now>`. Alertmanager keeps a notification log across restarts
// and will not re-send an alert whose label set it already notified within repeat_interval (1 h for pages), so a
// second drill on a reused stack (a CI machine, a developer running the suite twice) would otherwise wait in vain.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ruleFiles, TEST_RULES_DIR, writePrometheusConfig } from '../lib/monitoring';
import { reloadPrometheus } from '../lib/prometheusControl';

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; for?: string; labels?: Record<string, string> }> }>;
}

function fastRules(text: string, run: string): string {
  const doc = yaml.load(text) as RuleFile;
  for (const rule of doc.groups.flatMap((g) => g.rules)) {
    if (rule.alert) {
      rule.for = '20s';
      rule.labels = { ...rule.labels, drill_run: run };
    }
  }
  return yaml.dump(doc, { lineWidth: -1 });
}

async function main(mode: string) {
  if (mode === 'print') {
    // What `fast` would load for one file (scripts/rules/committed.test.ts checks it with promtool).
    process.stdout.write(fastRules(fs.readFileSync(process.argv[3], 'utf8'), process.argv[4] ?? 'print'));
    return;
  }
  if (mode === 'fast') {
    const run = new Date().toISOString();
    fs.mkdirSync(TEST_RULES_DIR(), { recursive: true });
    // A file without alerts (slo-budget.yml: one sample per clock hour, gated to its first 5 minutes) keeps its repo
    // path: an unchanged group keeps its schedule across the reload, while a copy would be a new group that evaluates
    // again at once and records a second sample in the same hour (seen at 19:00 and 19:03 in one test run).
    const files = ruleFiles().map((f) => {
      if (!/^\s*- alert:/m.test(fs.readFileSync(f, 'utf8'))) {
        return f;
      }
      const out = path.join(TEST_RULES_DIR(), path.basename(f));
      fs.writeFileSync(out, fastRules(fs.readFileSync(f, 'utf8'), run));
      return out;
    });
    writePrometheusConfig(files);
    console.log(`alerts stamped drill_run=${run}`);
  } else {
    writePrometheusConfig();
  }
  await reloadPrometheus(); // SIGHUP: the stack's Prometheus has no lifecycle API
  console.log(`prometheus rules: ${mode}`);
}
void main(process.argv[2] ?? 'normal').catch((e) => (console.error(e.message), process.exit(1)));

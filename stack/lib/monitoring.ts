// Prometheus, Alertmanager and exporter configs, rendered into the state dir from the repo's provisioning files.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { HOST, PORTS, REPO, dirs } from './config';

export const SCRAPE_INTERVAL = '5s'; // short, so a 15 s failover shows up as a 5xx burst, not a single sample
export const RETENTION = '460d'; // ≥ the 430-day backfill plus a month of running: 13 whole months stay readable
export const promConfig = () => path.join(dirs.prometheus, 'prometheus.yml');
export const TEST_RULES_DIR = () => path.join(dirs.prometheus, 'test-rules');

// Rule files: whatever provisioning/prometheus/*.yml holds a top-level `groups:` (skips configs and rule tests).
export function ruleFiles(): string[] {
  const dir = path.join(REPO, 'provisioning', 'prometheus');
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f))
    .filter((f) => {
      const doc = yaml.load(fs.readFileSync(f, 'utf8')) as { groups?: unknown } | null;
      return Array.isArray(doc?.groups);
    });
}

const t = (port: number) => `${HOST}:${port}`;

export function writePrometheusConfig(rules = ruleFiles()) {
  const cfg = {
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
    rule_files: rules,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [t(PORTS.alertmanager)] }] }] },
    scrape_configs: scrapeConfigs(),
  };
  fs.mkdirSync(dirs.prometheus, { recursive: true });
  fs.writeFileSync(promConfig(), `# rendered by stack/lib/monitoring.ts on every \`up\`\n${yaml.dump(cfg)}`);
}

// The stack's scrape targets; also read by VictoriaMetrics (stack/lib/victoria.ts), so both engines see the same.
export function scrapeConfigs() {
  return [
    { job_name: 'prometheus', static_configs: [{ targets: [t(PORTS.prometheus)] }] },
    { job_name: 'alertmanager', static_configs: [{ targets: [t(PORTS.alertmanager)] }] },
    { job_name: 'veza-api', static_configs: [{ targets: [t(PORTS.api)] }] },
    { job_name: 'node', static_configs: [{ targets: [t(PORTS.nodeExporter)] }] },
    {
      job_name: 'postgres',
      static_configs: [
        { targets: [t(PORTS.pgExporter1)], labels: { node: 'node1' } },
        { targets: [t(PORTS.pgExporter2)], labels: { node: 'node2' } },
      ],
    },
    { job_name: 'pgbouncer', static_configs: [{ targets: [t(PORTS.pgbouncerExporter)] }] },
    { job_name: 'redis', static_configs: [{ targets: [t(PORTS.redisExporter)] }] },
    {
      // The usual blackbox pattern: the probed URL becomes the `target` parameter and the instance label.
      job_name: 'blackbox',
      metrics_path: '/probe',
      params: { module: ['https_2xx'] },
      static_configs: [{ targets: [API_TLS_PROBE] }],
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target' },
        { source_labels: ['__param_target'], target_label: 'instance' },
        { target_label: '__address__', replacement: t(PORTS.blackbox) },
      ],
    },
  ];
}

export const API_TLS_PROBE = `https://${HOST}:${PORTS.apiTls}/healthz`;
export const blackboxConfig = () => path.join(dirs.prometheus, 'blackbox.yml');

// The API's certificate is self-signed, so the probe trusts exactly it (ca_file) rather than skipping verification:
// a wrong or swapped certificate fails the probe (probe_success 0) instead of passing silently.
export function writeBlackboxConfig(caFile: string) {
  const cfg = {
    modules: {
      https_2xx: {
        prober: 'http',
        timeout: '5s',
        http: { preferred_ip_protocol: 'ip4', fail_if_not_ssl: true, tls_config: { ca_file: caFile } },
      },
    },
  };
  fs.mkdirSync(dirs.prometheus, { recursive: true });
  fs.writeFileSync(blackboxConfig(), `# rendered by stack/lib/monitoring.ts on every \`up\`\n${yaml.dump(cfg)}`);
}

export const routesFile = () => path.join(REPO, 'provisioning', 'alertmanager', 'routes.yml');

// routes.yml reads its Slack URL and PagerDuty key from files (api_url_file, routing_key_file, ...). Write
// every such file it names, pointing at the sink, so notifications land on 127.0.0.1:9097 instead of the internet.
export function writeSecrets(): string[] {
  const written: string[] = [];
  if (!fs.existsSync(routesFile())) {
    return written;
  }
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, val] of Object.entries(v)) {
        if (typeof val === 'string' && k.endsWith('_file') && val.startsWith(dirs.secrets)) {
          const content =
            k === 'api_url_file' || k === 'url_file'
              ? `http://${HOST}:${PORTS.sink}/slack/${path.basename(val)}`
              : `sink-${path.basename(val)}`;
          fs.mkdirSync(path.dirname(val), { recursive: true });
          fs.writeFileSync(val, content + '\n', { mode: 0o600 });
          written.push(val);
        } else {
          walk(val);
        }
      }
    }
  };
  walk(yaml.load(fs.readFileSync(routesFile(), 'utf8')));
  return written;
}

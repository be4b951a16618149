// A real Alertmanager for one test file (test-only): the repo's routes.yml and templates, with the secret files,
// the PagerDuty URL and every group_wait pointed at this test, on a free loopback port. An HTTP server in the test
// process stands in for Slack and PagerDuty and keeps what they were sent. Needs `prometheus-alertmanager` on PATH
// (Debian's name for the binary).
//
// `stop()` (afterAll) ends the process and removes its files whatever state `start()` (beforeAll) reached: when a
// slow machine makes beforeAll time out, Jest runs afterAll while start() is still going, and a process started
// after that would outlive the test run (and keep Jest from exiting). So start() checks `stopped` before every step.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Notification {
  /** The receiver the request came to: /slack/page, /slack/ticket or /pagerduty. */
  path: string;
  body: any;
}

const SECRETS = '/var/lib/veza-stack/secrets';

/** routes.yml as this test runs it: secrets from secretsDir, PagerDuty at the capture server, group_wait 1 s. */
export function testConfig(routes: string, secretsDir: string, captureUrl: string): string {
  return routes
    .split(SECRETS)
    .join(secretsDir)
    .replace(/pagerduty_url: .*/g, `pagerduty_url: ${captureUrl}/pagerduty`)
    .replace(/group_wait: .*/g, 'group_wait: 1s');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port the kernel just handed out and nobody holds now (Alertmanager takes it a moment later). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => p.once('exit', () => resolve()));

const ready = (url: string) =>
  fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false
  );

export class LocalAlertmanager {
  url = '';
  /** Every notification received so far, in arrival order. */
  readonly notifications: Notification[] = [];
  /** Alertmanager's own output, for failure messages. */
  output = '';
  private readonly tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-am-'));
  private readonly capture = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      this.notifications.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.statusCode = req.url?.startsWith('/pagerduty') ? 202 : 200;
      res.end('{}');
    });
  });
  private process?: ChildProcess;
  private stopped = false;

  private notStopped() {
    if (this.stopped) {
      throw new Error('stopped while starting');
    }
  }

  async start(routesFile: string, templatesDir: string): Promise<void> {
    const captureUrl = `http://127.0.0.1:${await listen(this.capture)}`;
    const secrets = path.join(this.tmp, 'secrets');
    fs.mkdirSync(secrets);
    fs.writeFileSync(path.join(secrets, 'slack-page-webhook-url'), `${captureUrl}/slack/page\n`);
    fs.writeFileSync(path.join(secrets, 'slack-ticket-webhook-url'), `${captureUrl}/slack/ticket\n`);
    fs.writeFileSync(path.join(secrets, 'pagerduty-routing-key'), 'test-routing-key\n');
    fs.cpSync(templatesDir, path.join(this.tmp, 'am', 'templates'), { recursive: true });
    const config = path.join(this.tmp, 'am', 'routes.yml');
    fs.writeFileSync(config, testConfig(fs.readFileSync(routesFile, 'utf8'), secrets, captureUrl));

    const port = await freePort();
    this.notStopped();
    this.url = `http://127.0.0.1:${port}`;
    const am = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${config}`,
        `--storage.path=${path.join(this.tmp, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=', // no gossip port: one instance, nothing else to bind
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    this.process = am;
    let spawnError: Error | undefined;
    am.once('error', (e) => (spawnError = e));
    am.stdout!.on('data', (d) => (this.output += d));
    am.stderr!.on('data', (d) => (this.output += d));

    for (let i = 0; !(await ready(this.url)); i++) {
      this.notStopped();
      if (spawnError || am.exitCode !== null || i >= 60) {
        const why = spawnError?.message ?? (am.exitCode !== null ? `exit ${am.exitCode}` : 'not ready after 30 s');
        throw new Error(`Alertmanager did not start (${why}):\n${this.output}`);
      }
      await sleep(500);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const am = this.process;
    if (am && am.pid !== undefined) {
      const killer = setTimeout(() => am.kill('SIGKILL'), 5000);
      am.kill('SIGTERM');
      await exited(am); // Alertmanager writes its state on the way out: its data dir goes only after that
      clearTimeout(killer);
    }
    if (this.capture.listening) {
      await new Promise((resolve) => this.capture.close(resolve));
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

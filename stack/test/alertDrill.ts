// What the live alert drills share: Prometheus' ALERTS, the notification sink, the rule files as committed,
// and waiting with a stopwatch (each drill reports how long every step took, measured, not asserted).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestContext } from 'node:test';
import yaml from 'js-yaml';
import { PORTS, REPO } from '../lib/config';
import { sleep } from '../lib/proc';

const PROM = `http://127.0.0.1:${PORTS.prometheus}`;
const SINK = `http://127.0.0.1:${PORTS.sink}`;
const AM = `http://127.0.0.1:${PORTS.alertmanager}`;

export async function promQuery(
  q: string
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = (await (await fetch(`${PROM}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  assert.equal(r.status, 'success', `${q}: ${r.error}`);
  return r.data.result;
}

/** Alert names (with severity) Prometheus holds firing right now, among `names`. */
export async function firing(names: string[], severity?: string): Promise<string[]> {
  const sev = severity ? `,severity="${severity}"` : '';
  const rows = await promQuery(`ALERTS{alertstate="firing",alertname=~"${names.join('|')}"${sev}}`);
  return [...new Set(rows.map((r) => r.metric.alertname))];
}

export interface Notification {
  receivedAt: string;
  kind: 'slack' | 'pagerduty' | 'other';
  path: string;
  body: Record<string, unknown>;
}

export async function notifications(since: string): Promise<Notification[]> {
  return (await (await fetch(`${SINK}/notifications?since=${encodeURIComponent(since)}`)).json()) as Notification[];
}

/** Slack titles are "[FIRING:n] Name · …" or "[RESOLVED] Name · …" (provisioning/alertmanager/templates). */
const slackTitle = (n: Notification) =>
  ((n.body.attachments as Array<{ title?: string }> | undefined) ?? []).map((a) => a.title ?? '').join(' ');

/** A page: a PagerDuty trigger naming the alert and a Slack message on the page channel. */
export const paged = (ns: Notification[], name: string) =>
  ns.some(
    (n) => n.kind === 'pagerduty' && n.body.event_action === 'trigger' && JSON.stringify(n.body).includes(name)
  ) && ns.some((n) => n.kind === 'slack' && n.path.includes('page') && slackTitle(n).includes(`] ${name}`));

/** A ticket: a Slack message on the ticket channel, and no PagerDuty event for it. */
export const ticketed = (ns: Notification[], name: string) =>
  ns.some(
    (n) =>
      n.kind === 'slack' &&
      n.path.includes('ticket') &&
      /^\[FIRING/.test(slackTitle(n)) &&
      slackTitle(n).includes(`] ${name}`)
  ) && !ns.some((n) => n.kind === 'pagerduty' && JSON.stringify(n.body).includes(name));

/** The links (Runbook, SLO page) of every PagerDuty event that names the alert. */
export const pagerDutyLinks = (ns: Notification[], name: string) =>
  ns
    .filter((n) => n.kind === 'pagerduty' && JSON.stringify(n.body).includes(name))
    .flatMap((n) => (n.body.links as Array<{ text: string; href: string }> | undefined) ?? []);

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

/** Alertmanager's own view of the alerts carrying these labels (api/v2/alerts), inhibited ones included. */
export async function alertmanagerAlerts(labels: Record<string, string>): Promise<AlertmanagerAlert[]> {
  const filters = new URLSearchParams(Object.entries(labels).map(([k, v]) => ['filter', `${k}="${v}"`]));
  const r = await fetch(`${AM}/api/v2/alerts?${filters}`);
  assert.ok(r.ok, `Alertmanager api/v2/alerts: HTTP ${r.status}`);
  return (await r.json()) as AlertmanagerAlert[];
}

/** Alertmanager holds alerts with these labels and every one is inhibited (so none of them is notified). */
export async function inhibited(labels: Record<string, string>): Promise<boolean> {
  const alerts = await alertmanagerAlerts(labels);
  return alerts.length > 0 && alerts.every((a) => a.status.inhibitedBy.length > 0);
}

export const resolvedNotified = (ns: Notification[], name: string) =>
  ns.some((n) => n.kind === 'slack' && slackTitle(n).includes(`[RESOLVED] ${name}`));

/** Every alert name of a committed rule file (provisioning/prometheus/<file>), as it is when the drill runs. */
export function ruleNames(file: string): string[] {
  const p = path.join(REPO, 'provisioning', 'prometheus', file);
  if (!fs.existsSync(p)) {
    return [];
  }
  const doc = yaml.load(fs.readFileSync(p, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string }> }> };
  return doc.groups.flatMap((g) => g.rules.map((r) => r.alert)).filter((a): a is string => !!a);
}

/** Seconds since `t0` (ms) once `ok` holds, polling every second; fails the drill after `seconds`. */
export async function until(what: string, seconds: number, t0: number, ok: () => Promise<boolean>): Promise<number> {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(1000)) {
    if (await ok().catch(() => false)) {
      return Math.round((Date.now() - t0) / 100) / 10;
    }
  }
  assert.fail(`${what}: not within ${seconds} s`);
}

/** A drill's measured timings as one "timing" line (node_test_suite lists them); never asserted. */
export const reportTiming = (t: TestContext, drill: string, timings: Record<string, number | string>) =>
  t.diagnostic(`timing ${drill} ${JSON.stringify(timings)}`);

/** Runs every restoring step even when an earlier one fails, then fails with all their errors. */
export function restoreAll(steps: Array<() => unknown>) {
  const errors = steps.flatMap((step) => {
    try {
      step();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  });
  assert.deepEqual(errors, [], 'could not restore the stack');
}

/** `npm run stack -- ARGS` as the runbooks say it (root); output returned, failure thrown with the output. */
export function stack(...args: string[]): string {
  const r = spawnSync('npm', ['run', '--silent', 'stack', '--', ...args], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run stack -- ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Test-only rules (every `for:` 20 s, alerts stamped drill_run): stack/test/rules-mode.ts fast|normal. */
export function rulesMode(mode: 'fast' | 'normal') {
  const r = spawnSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['stack/test/rules-mode.ts', mode], {
    cwd: REPO,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `rules-mode ${mode}: ${r.stderr}`);
}

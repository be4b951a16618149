// The configured passwords never leave the data source (issue 14 item 7; scripts/suites/64-stack-secrets.sh).
// A second preview host (tests/preview/faultHost.ts) runs the real backend with random canary passwords as
// VEZA_MONITOR_PASSWORD / VEZA_PGBOUNCER_PASSWORD / VEZA_NODE_PASSWORD (provisioning/datasources expands them). It is
// driven as a user would — health, topology/status/events, a live stream — then pointed, through the data source
// update API with the canaries in secureJsonData, at wrong ports, hosts and databases so every error path runs.
// Then each canary (raw, URL-encoded, base64) is looked for in every answer, the host's output (which carries the
// backend's log), the stack's logs and dist/. The stack uses trust auth on loopback, so any password connects: the
// client holds it all the same. Canaries are made per run and never written anywhere but the host's environment.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { freePort, startFaultHost, type FaultHost } from '../../tests/preview/faultHost';
import { dirs, HOST, PORTS, REPO } from '../lib/config';
import { describeFindings, scanBuffer, scanFiles, type Secret } from '../lib/secretScan';

const UID = 'pgha';
const DS_TYPE = 'veza-pgha-datasource';
// Characters that URL and base64 encoding change, so those forms differ from the raw one.
const canary = () => `vz-${randomBytes(9).toString('hex')}/+@${randomBytes(4).toString('hex')}`;
const secrets: Secret[] = [
  { name: 'monitorPassword', value: canary() },
  { name: 'pgbouncerPassword', value: canary() },
  { name: 'nodePassword', value: canary() },
];
// The passwords this machine is configured with, if any, must not be in the bundle or logs either.
for (const v of ['VEZA_MONITOR_PASSWORD', 'VEZA_PGBOUNCER_PASSWORD', 'VEZA_NODE_PASSWORD']) {
  const value = process.env[v];
  if (value && value.length >= 6) {
    secrets.push({ name: `$${v}`, value });
  }
}
const secureJsonData = Object.fromEntries(secrets.slice(0, 3).map((s) => [s.name, s.value]));

/** Every answer body received, by what was asked. */
const answers = new Map<string, string>();
const output: Buffer[] = [];
let host: FaultHost;

async function call(label: string, p: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(`${host.url}${p}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await r.text();
  answers.set(`#${answers.size + 1} ${label}: ${init.method ?? 'GET'} ${p} → ${r.status}`, text);
  return { status: r.status, text };
}

function query(label: string, q: Record<string, unknown>) {
  return call(label, '/api/ds/query', {
    method: 'POST',
    body: JSON.stringify({
      from: 'now-15m',
      to: 'now',
      queries: [{ refId: 'A', datasource: { uid: UID, type: DS_TYPE }, ...q }],
    }),
  });
}

/** Health plus every query type, as a dashboard and the config page would run them. */
async function driveAll(label: string) {
  const health = await call(label, `/api/datasources/uid/${UID}/health`);
  for (const queryType of ['topology', 'status', 'events']) {
    await query(label, { queryType });
  }
  const live = await query(label, { queryType: 'status', live: true });
  return { health, live };
}

/** Subscribes to a live channel and keeps every message for `ms`; returns the message types seen. */
async function subscribe(label: string, channel: string, ms: number): Promise<string[]> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api/live/preview`, { headers: { origin: host.url } });
  const seen: string[] = [];
  let text = '';
  ws.on('message', (m) => {
    const s = m.toString();
    text += `${s}\n`;
    seen.push((JSON.parse(s) as { type: string }).type);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'subscribe', id: 1, channel }));
  await new Promise((r) => setTimeout(r, ms));
  ws.close();
  answers.set(`#${answers.size + 1} ${label}: live ${channel}`, text);
  return seen;
}

function channelOf(text: string): string | undefined {
  const body = JSON.parse(text) as {
    results?: Record<string, { frames?: Array<{ schema?: { meta?: { channel?: string } } }> }>;
  };
  return body.results?.A?.frames?.find((f) => f.schema?.meta?.channel)?.schema?.meta?.channel;
}

const provisioned = {
  monitorHost: HOST,
  monitorPort: PORTS.monitor,
  monitorDatabase: 'pg_auto_failover',
  monitorUser: 'autoctl_node',
  formation: 'default',
  pgbouncerHost: HOST,
  pgbouncerPort: PORTS.pgbouncer,
  pgbouncerUser: 'pgbouncer',
  nodeUser: 'postgres',
  nodeDatabase: 'appdb',
  sslMode: 'disable',
  connectTimeoutMs: 2000,
};

before(async () => {
  host = await startFaultHost(`http://${HOST}:${PORTS.prometheus}`, {
    extraEnv: {
      VEZA_MONITOR_PASSWORD: secrets[0].value,
      VEZA_PGBOUNCER_PASSWORD: secrets[1].value,
      VEZA_NODE_PASSWORD: secrets[2].value,
      // Debug lines too: a secret in any log level is a leak.
      PREVIEW_DEBUG: '1',
    },
    onOutput: (b) => output.push(b),
  });
});

after(async () => {
  await host?.close();
});

test('the scanner is not blind: a planted canary is found in each form, in a file and in an answer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-secrets-'));
  try {
    const s = [{ name: 'planted', value: canary() }];
    const v = s[0].value;
    fs.writeFileSync(path.join(dir, 'raw.log'), `level=error msg="connect failed" password=${v} done\n`);
    fs.writeFileSync(path.join(dir, 'url.log'), `dsn=postgres://u:${encodeURIComponent(v)}@h/db\n`);
    for (const pad of [0, 1, 2]) {
      const blob = Buffer.concat([randomBytes(pad), Buffer.from(`user:${v}`), randomBytes(5)]).toString('base64');
      fs.writeFileSync(path.join(dir, `b64-${pad}.log`), `Authorization: Basic ${blob}\n`);
    }
    fs.writeFileSync(path.join(dir, 'clean.log'), `nothing here but ${canary()}\n`);
    const { files, findings } = scanFiles([dir], s);
    assert.equal(files, 6);
    const where = new Set(findings.map((f) => path.basename(f.where)));
    assert.deepEqual([...where].sort(), ['b64-0.log', 'b64-1.log', 'b64-2.log', 'raw.log', 'url.log']);
    assert.ok(!describeFindings(findings).includes(v), 'a finding must not print the secret');
    assert.equal(scanBuffer(JSON.stringify({ message: `failed: ${v}` }), s, 'answer').length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the host took the canaries from provisioning (secureJsonFields set, values never shown)', async () => {
  const r = await call('provisioned', `/api/datasources/uid/${UID}`);
  assert.equal(r.status, 200);
  const ds = JSON.parse(r.text) as { secureJsonFields?: Record<string, boolean>; readOnly?: boolean };
  assert.deepEqual(ds.secureJsonFields, { monitorPassword: true, pgbouncerPassword: true, nodePassword: true });
  await call('provisioned', '/api/datasources');
  await call('provisioned', `/connections/datasources/edit/${UID}`, { headers: { accept: 'text/html' } });
  await call('provisioned', '/a/veza-slo-app/topology', { headers: { accept: 'text/html' } });
});

test('a user session against the working stack: health, queries, a live stream', async () => {
  const { health, live } = await driveAll('working');
  assert.ok(health.text.length > 0, 'health answered');
  const channel = channelOf(live.text);
  assert.ok(channel, `the live status query names a channel: ${live.status}`);
  const seen = await subscribe('working', channel, 6000);
  assert.ok(seen.includes('subscribed') || seen.includes('error'), `the hub answered the subscribe: ${seen.join(',')}`);
  const topo = channelOf((await query('working', { queryType: 'topology', live: true })).text);
  if (topo) {
    await subscribe('working', topo, 3000);
  }
});

test('error paths: wrong ports, an unknown host, a wrong database — each reported, with the canaries set', async (t) => {
  const monitorDown = await freePort();
  const bouncerDown = await freePort();
  const broken: Array<[string, Record<string, unknown>]> = [
    ['refused ports', { monitorPort: monitorDown, pgbouncerPort: bouncerDown }],
    ['unknown hosts', { monitorHost: 'veza-no-such-host.invalid', pgbouncerHost: 'veza-no-such-host.invalid' }],
    [
      'wrong databases',
      { monitorDatabase: 'veza_no_such_db', nodeDatabase: 'veza_no_such_db', pgbouncerUser: 'veza_nobody' },
    ],
  ];
  for (const [label, change] of broken) {
    const put = await call(label, `/api/datasources/uid/${UID}`, {
      method: 'PUT',
      body: JSON.stringify({ type: DS_TYPE, jsonData: { ...provisioned, ...change }, secureJsonData }),
    });
    // Never the answer text in a message: if it held a canary, the report would print it.
    assert.equal(put.status, 200, `the data source update was accepted (${label})`);
    const { health, live } = await driveAll(label);
    assert.notEqual(health.status, 200, `health reports the fault (${label})`);
    t.diagnostic(`${label}: health ${health.status}, ${answers.size} answers so far`);
    const channel = channelOf(live.text);
    if (channel) {
      await subscribe(label, channel, 3000);
    }
  }
  // Back to the provisioned settings, so the stream and the backend end in a normal state.
  await call('restore', `/api/datasources/uid/${UID}`, {
    method: 'PUT',
    body: JSON.stringify({ type: DS_TYPE, jsonData: provisioned, secureJsonData }),
  });
  await driveAll('restored');
});

test('no canary in any answer (frames, health messages, errors, pages, live messages)', () => {
  assert.ok(answers.size >= 20, `answers were collected (${answers.size})`);
  const findings = [...answers].flatMap(([where, text]) => scanBuffer(text, secrets, `answer ${where}`));
  assert.equal(findings.length, 0, describeFindings(findings));
});

test("no canary in the host's stdout/stderr (the backend's log included)", async () => {
  await host.close();
  const out = Buffer.concat(output);
  assert.ok(out.includes('[backend]'), "the backend's log lines are in the host's output");
  const findings = scanBuffer(out, secrets, 'preview host stdout/stderr');
  assert.equal(findings.length, 0, describeFindings(findings));
});

test("no canary in the stack's logs", () => {
  const { files, findings } = scanFiles([dirs.log], secrets);
  assert.ok(files > 0, `${dirs.log} holds logs`);
  assert.equal(findings.length, 0, describeFindings(findings));
});

test('no canary (nor a configured password) in the built bundle dist/', () => {
  const { files, findings } = scanFiles([path.join(REPO, 'dist')], secrets);
  assert.ok(fs.existsSync(path.join(REPO, 'dist', 'module.js')) && files > 1, 'dist/ is built');
  assert.equal(findings.length, 0, describeFindings(findings));
});

// `npm run stack -- vm up|down|status`: the VictoriaMetrics engine beside the running stack (stack/lib/victoria.ts).
// Separate from `up` so the default stack, its ports and its timing stay as they are.
import fs from 'node:fs';
import { expectedState } from '../history/backfill';
import { portOpen, readPid, startDetached, stopByPid, tailLog, waitFor } from './proc';
import { stopIfCommandChanged } from './prometheusControl';
import { copyLive } from './victoriaLive';
import { Service } from './services';
import {
  ensureEngineRoute,
  historyPending,
  importHistory,
  staleData,
  VM_SERVICES,
  VICTORIA,
  VMALERT,
  wipeData,
  writeScrapeConfig,
} from './victoria';

type Log = (s: string) => void;

async function ready(s: Service): Promise<boolean> {
  if (!readPid(s.name)) {
    throw new Error(`${s.name} exited at start; last lines of its log:\n${tailLog(s.name)}`);
  }
  return (
    (await portOpen(s.port!)) &&
    (await fetch(s.ready!).then(
      (r) => r.ok,
      () => false
    ))
  );
}

async function start(s: Service, log: Log) {
  if (readPid(s.name)) {
    return;
  }
  if (await portOpen(s.port!)) {
    throw new Error(`port ${s.port} (${s.name}) is already in use by another process, not by this stack`);
  }
  startDetached(s);
  await waitFor(`${s.name} on port ${s.port}`, () => ready(s), 60000);
  log(`${s.name} up on :${s.port}`);
}

async function up(log: Log) {
  const missing = VM_SERVICES.filter((s) => !fs.existsSync(s.bin));
  if (missing.length) {
    throw new Error(`missing ${missing.map((m) => m.bin).join(', ')}.\n  fix: apt-get install -y victoria-metrics`);
  }
  if (!fs.existsSync(expectedState())) {
    throw new Error('the stack has no history yet: run `npm run stack -- up` first');
  }
  if (staleData()) {
    await down(log);
    wipeData();
    log('victoria-metrics: data of another or an unfinished import removed');
  }
  writeScrapeConfig();
  await start(VICTORIA, log);
  if (historyPending()) {
    await importHistory(log);
  }
  await copyLive(log);
  await ensureEngineRoute(log);
  // Rule files added or removed since vmalert started (its -rule flags): restart it; the same files: SIGHUP makes it
  // read them again (a regenerated slo.yml), as `stack up` has Prometheus do.
  const pid = readPid(VMALERT.name);
  if (pid && !(await stopIfCommandChanged(VMALERT, log))) {
    process.kill(pid, 'SIGHUP');
  }
  await start(VMALERT, log);
}

async function down(log: Log) {
  for (const s of [...VM_SERVICES].reverse()) {
    if (await stopByPid(s.name)) {
      log(`stopped ${s.name}`);
    }
  }
}

async function status() {
  for (const s of VM_SERVICES) {
    const pid = readPid(s.name);
    console.log(
      `${s.name.padEnd(28)} ${pid ? `pid ${pid}` : 'not running'} :${s.port} ${(await portOpen(s.port!)) ? 'open' : 'closed'}`
    );
  }
  console.log(`history: ${historyPending() ? 'not imported' : 'imported'}`);
}

export async function vm(args: string[], log: Log) {
  const sub = args[0];
  if (sub === 'up') {
    return up(log);
  }
  if (sub === 'down') {
    return down(log);
  }
  if (sub === 'status') {
    return status();
  }
  throw new Error('usage: npm run stack -- vm up|down|status');
}

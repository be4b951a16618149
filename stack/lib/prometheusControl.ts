// The stack's Prometheus runs without --web.enable-lifecycle and --web.enable-admin-api: either would let anything
// that reaches 127.0.0.1:9090 (a page in a browser on this machine, through a forged form POST) reload, shut down
// or delete data. What the stack needs of them it does otherwise:
//   - reload after a config/rule change: SIGHUP to the process the stack started (pid file + start time), and the
//     result read from Prometheus' own metrics (prometheus_config_last_reload_success_timestamp_seconds moves on
//     success, prometheus_config_last_reload_successful drops to 0 on failure), so a broken file is still reported;
//   - new flags (this very change, for a stack started before it): `up` restarts a Prometheus whose command line is
//     not the one it would start.
import fs from 'node:fs';
import { PORTS } from './config';
import { readPid, sleep, stopByPid } from './proc';
import type { Service } from './services';

export interface ReloadState {
  /** prometheus_config_last_reload_successful (1 → true). */
  successful?: boolean;
  /** prometheus_config_last_reload_success_timestamp_seconds. */
  at?: number;
}

/** The two reload metrics out of Prometheus' /metrics text. */
export function reloadState(metrics: string): ReloadState {
  const value = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
    return m ? Number(m[1]) : undefined;
  };
  const ok = value('prometheus_config_last_reload_successful');
  return {
    successful: ok === undefined ? undefined : ok === 1,
    at: value('prometheus_config_last_reload_success_timestamp_seconds'),
  };
}

async function readState(url: string): Promise<ReloadState> {
  const r = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) {
    throw new Error(`${url}/metrics answered HTTP ${r.status}`);
  }
  return reloadState(await r.text());
}

/**
 * Reloads Prometheus' configuration by SIGHUP and waits for it to say how that went: resolves once a newer
 * successful reload is recorded, throws when the reload failed (the file is wrong) or none is seen in time.
 */
export async function reloadPrometheus(opts: { pid?: number; url?: string; timeoutMs?: number } = {}): Promise<void> {
  const pid = opts.pid ?? readPid('prometheus');
  if (!pid) {
    throw new Error('Prometheus is not running (no live pid file): run `npm run stack -- up`');
  }
  const url = opts.url ?? `http://127.0.0.1:${PORTS.prometheus}`;
  const before = await readState(url);
  process.kill(pid, 'SIGHUP');
  const until = Date.now() + (opts.timeoutMs ?? 30000);
  while (Date.now() < until) {
    await sleep(100);
    const now = await readState(url).catch(() => undefined);
    if (now?.at !== undefined && (before.at === undefined || now.at > before.at)) {
      return;
    }
    if (now?.successful === false && before.successful !== false) {
      throw new Error(`Prometheus rejected the new configuration: see its log (npm run stack -- status)`);
    }
  }
  throw new Error(
    before.successful === false
      ? 'Prometheus still fails to load its configuration: see its log'
      : `Prometheus did not confirm the reload within ${Math.round((opts.timeoutMs ?? 30000) / 1000)} s`
  );
}

/** The command line of a running process (/proc/<pid>/cmdline), or undefined. */
export function commandLine(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return undefined;
  }
}

/**
 * Stops the service when it runs with another command line than `s` would start it with (flags changed since it
 * started), so that the caller's start() brings it back with the new ones. Returns whether it did.
 */
export async function stopIfCommandChanged(s: Service, log: (m: string) => void): Promise<boolean> {
  const pid = readPid(s.name);
  const running = pid ? commandLine(pid) : undefined;
  if (!pid || !running) {
    return false;
  }
  const wanted = [s.cmd, ...s.args];
  if (running.length === wanted.length && running.every((a, i) => a === wanted[i])) {
    return false;
  }
  const gone = running.filter((a) => a.startsWith('--') && !wanted.includes(a));
  log(
    `${s.name} runs with other flags${gone.length ? ` (${gone.join(' ')})` : ''}: restarting it with the current ones`
  );
  await stopByPid(s.name);
  return true;
}

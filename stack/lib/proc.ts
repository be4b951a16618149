// Detached processes with pid files: `up` starts them, `down` stops exactly those (by pid file, never by name).
import { spawn, spawnSync, SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { dirs, pgEnv } from './config';

export const pidFile = (name: string) => path.join(dirs.run, `${name}.pid`);
export const logFile = (name: string) => path.join(dirs.log, `${name}.log`);

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const startFile = (name: string) => path.join(dirs.run, `${name}.start`);

/**
 * When a process started, in clock ticks since boot (/proc/<pid>/stat, field 22), or undefined when there is no
 * such process. Together with the pid it names one process: a pid alone may have been reused by another one
 * since the pid file was written (a reboot, a crash), and `down` must never signal that stranger.
 */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The pid of the named stack process if it is still that very process (pid and start time), else undefined. */
export function readPid(name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8').trim());
    if (!(pid > 0) || !alive(pid)) {
      return undefined;
    }
    // Pid files written before start times were recorded have no .start file: alive is all they can say.
    const recorded = fs.existsSync(startFile(name)) ? fs.readFileSync(startFile(name), 'utf8').trim() : undefined;
    return recorded === undefined || recorded === startTime(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface StartSpec {
  name: string;
  cmd: string;
  args: string[];
  asPostgres?: boolean;
  env?: Record<string, string>;
  cwd?: string;
}

// Starts cmd in its own process group (detached) so `down` and the hard drill can signal the whole tree.
export function startDetached(s: StartSpec): number {
  const out = fs.openSync(logFile(s.name), 'a');
  fs.writeSync(out, `\n=== ${new Date().toISOString()} start ${s.cmd} ${s.args.join(' ')}\n`);
  const [cmd, args] = s.asPostgres
    ? [
        'runuser',
        [
          '-u',
          'postgres',
          '--',
          'env',
          ...Object.entries({ ...pgEnv, ...s.env }).map(([k, v]) => `${k}=${v}`),
          s.cmd,
          ...s.args,
        ],
      ]
    : [s.cmd, s.args];
  const child = spawn(cmd, args as string[], {
    detached: true,
    stdio: ['ignore', out, out],
    cwd: s.cwd ?? (s.asPostgres ? '/tmp' : undefined),
    env: { ...process.env, ...s.env },
  });
  fs.closeSync(out);
  child.unref();
  if (!child.pid) {
    throw new Error(`could not start ${s.name} (${s.cmd})`);
  }
  fs.writeFileSync(pidFile(s.name), `${child.pid}\n`);
  fs.writeFileSync(startFile(s.name), `${startTime(child.pid) ?? ''}\n`);
  return child.pid;
}

// Signals the process group first (children such as postgres follow), then the leader.
export function signalGroup(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

export async function stopByPid(name: string, timeoutMs = 15000): Promise<boolean> {
  const pid = readPid(name);
  if (!pid) {
    fs.rmSync(pidFile(name), { force: true });
    fs.rmSync(startFile(name), { force: true });
    return false;
  }
  signalGroup(pid, 'SIGTERM');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && groupAlive(pid)) {
    await sleep(200);
  }
  if (groupAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
  }
  fs.rmSync(pidFile(name), { force: true });
  fs.rmSync(startFile(name), { force: true });
  return true;
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return alive(pgid);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}

export async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs: number,
  hint = ''
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await fn()) {
      return;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${hint ? ` — ${hint}` : ''}`);
}

// Who listens on a TCP port (for "port already taken" messages): "pid 123 (prometheus)" or "".
export function portOwner(port: number): string {
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(r.stdout ?? '');
  return m ? `pid ${m[2]} (${m[1]})` : r.stdout?.trim() ? 'another process' : '';
}

export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { asPostgres?: boolean } = {}) {
  const [c, a] = opts.asPostgres
    ? ['runuser', ['-u', 'postgres', '--', 'env', ...Object.entries(pgEnv).map(([k, v]) => `${k}=${v}`), cmd, ...args]]
    : [cmd, args];
  const r = spawnSync(c, a as string[], { encoding: 'utf8', cwd: opts.asPostgres ? '/tmp' : undefined, ...opts });
  return { code: r.status ?? -1, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

export function tailLog(name: string, lines = 15): string {
  try {
    return fs.readFileSync(logFile(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

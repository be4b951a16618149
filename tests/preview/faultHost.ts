// A second preview host for the fault matrix: same build (dist/), same PG HA stack, but its Prometheus data
// source points at the fault proxy (VEZA_PROMETHEUS_URL), so the cells never disturb the host on :3000 that other
// tests and people use. It runs its own gpx_pgha backend, which the "backend killed" cell may kill.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');

export interface FaultHost {
  readonly url: string;
  /** The backend's pid as the host reports it (/api/preview/status). */
  backendPid(): Promise<number | undefined>;
  log(): string;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** extraEnv: more environment for the host (the secrets drill sets canary passwords); onOutput sees every byte it prints. */
export interface FaultHostOptions {
  extraEnv?: NodeJS.ProcessEnv;
  onOutput?: (chunk: Buffer) => void;
}

export async function startFaultHost(prometheusUrl: string, opts: FaultHostOptions = {}): Promise<FaultHost> {
  const port = Number(process.env.FAULT_PREVIEW_PORT ?? (await freePort()));
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'preview/server/main.ts', '--port', String(port)],
    {
      cwd: repo,
      env: { ...process.env, ...opts.extraEnv, VEZA_PROMETHEUS_URL: prometheusUrl, PREVIEW_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  const keep = (b: Buffer) => {
    opts.onOutput?.(b);
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const status = async () => {
    const r = await fetch(`${url}/api/preview/status`, { signal: AbortSignal.timeout(3000) });
    return (await r.json()) as { backends?: Record<string, { pid?: number; state?: string }> };
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the fault preview host exited (${child.exitCode}):\n${out}`);
    }
    const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false
    );
    if (ok) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the fault preview host did not answer on ${url} within 120 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    url,
    backendPid: async () => (await status().catch(() => undefined))?.backends?.['veza-pgha-datasource']?.pid,
    log: () => out,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 6000))]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      }
    },
  };
}

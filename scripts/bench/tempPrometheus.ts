// A throwaway Prometheus on a free loopback port (benches and their tests): never the stack's, killed by stop().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import yaml from 'js-yaml';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TempPrometheus {
  url: string;
  /** SIGTERM, then SIGKILL after 30 s. */
  stop: () => Promise<void>;
  /** SIGKILL now (exit handlers). */
  kill: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `prometheus` over `data` with `config` (written beside it in `dir`, with the log), plus `flags`; resolves
 * when /-/ready answers. Retention 100d: the default 15d would drop a copied history.
 */
export async function startTempPrometheus(
  dir: string,
  data: string,
  config: object,
  flags: string[] = []
): Promise<TempPrometheus> {
  const port = await freePort();
  const file = path.join(dir, `prometheus-${port}.yml`);
  fs.writeFileSync(file, yaml.dump(config));
  const log = path.join(dir, `prometheus-${port}.log`);
  const out = fs.openSync(log, 'a');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${file}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=100d',
      `--web.listen-address=127.0.0.1:${port}`,
      ...flags,
    ],
    { stdio: ['ignore', out, out] }
  );
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  for (const end = Date.now() + 120_000; ; await sleep(300)) {
    if (child.exitCode !== null) {
      throw new Error(`temporary Prometheus exited ${child.exitCode}: ${fs.readFileSync(log, 'utf8').slice(-500)}`);
    }
    if ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok) {
      break;
    }
    if (Date.now() > end) {
      kill();
      throw new Error('temporary Prometheus not ready within 120 s');
    }
  }
  const stop = async () => {
    child.kill('SIGTERM');
    for (let i = 0; i < 60 && child.exitCode === null && child.signalCode === null; i++) {
      await sleep(500);
    }
    kill();
  };
  return { url, stop, kill };
}

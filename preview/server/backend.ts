// Hosts the data source's shipped Go binary the way Grafana does (pkg/plugins/backendplugin/grpcplugin):
// hashicorp go-plugin handshake on stdout, plaintext gRPC over a unix socket, GRPCStdio drained,
// GRPCController.Shutdown on exit, and a dying process restarted and reported.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { grpcTarget, parseHandshake, type Handshake } from './handshake';

export type Log = (msg: string) => void;

/** go-plugin's own services; tiny, so declared inline (hashicorp/go-plugin internal/plugin/*.proto). */
const GO_PLUGIN_PROTO = {
  nested: {
    google: { nested: { protobuf: { nested: { Empty: { fields: {} } } } } },
    plugin: {
      nested: {
        Empty: { fields: {} },
        GRPCController: { methods: { Shutdown: { requestType: 'Empty', responseType: 'Empty' } } },
        StdioData: {
          fields: { channel: { type: 'Channel', id: 1 }, data: { type: 'bytes', id: 2 } },
          nested: { Channel: { values: { INVALID: 0, STDOUT: 1, STDERR: 2 } } },
        },
        GRPCStdio: {
          methods: {
            StreamStdio: { requestType: 'google.protobuf.Empty', responseType: 'StdioData', responseStream: true },
          },
        },
      },
    },
  },
};

const LOADER_OPTS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

/** `$(go env GOMODCACHE)/github.com/grafana/grafana-plugin-sdk-go@<go.mod version>/proto/backend.proto`. */
export function findBackendProto(repoRoot: string): string {
  const gomod = fs.readFileSync(path.join(repoRoot, 'go.mod'), 'utf8');
  const m = /github\.com\/grafana\/grafana-plugin-sdk-go\s+(v\S+)/.exec(gomod);
  if (!m) {
    throw new Error('go.mod does not require github.com/grafana/grafana-plugin-sdk-go');
  }
  let modcache = process.env.GOMODCACHE;
  if (!modcache) {
    try {
      modcache = execFileSync('go', ['env', 'GOMODCACHE'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      modcache = path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'pkg', 'mod');
    }
  }
  const p = path.join(modcache, 'github.com', 'grafana', `grafana-plugin-sdk-go@${m[1]}`, 'proto', 'backend.proto');
  if (!fs.existsSync(p)) {
    throw new Error(`${p} is missing: run 'go mod download' (scripts/setup.sh does)`);
  }
  return p;
}

/** The binary Grafana would start: <pluginDir>/<executable>_<os>_<arch>[.exe]. */
export function executablePath(pluginDir: string, executable: string): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  const osName = process.platform === 'win32' ? 'windows' : process.platform;
  return path.join(pluginDir, `${executable}_${osName}_${arch}${process.platform === 'win32' ? '.exe' : ''}`);
}

/** The child's environment: the host's, minus anything that would put the SDK in standalone mode, plus go-plugin's. */
export function pluginEnv(base: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (!k.startsWith('GF_PLUGIN_GRPC_ADDRESS_') && k !== 'PLUGIN_CLIENT_CERT' && k !== 'PLUGIN_MULTIPLEX_GRPC') {
      env[k] = v;
    }
  }
  return {
    ...env,
    GF_VERSION: '13.1.1',
    ...extra,
    grafana_plugin_type: 'datasource',
    PLUGIN_PROTOCOL_VERSIONS: '2',
    PLUGIN_MIN_PORT: '0',
    PLUGIN_MAX_PORT: '0',
  };
}

type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: Res) => void
) => void;
type ServerStream<Req> = (req: Req, md?: grpc.Metadata, opts?: grpc.CallOptions) => grpc.ClientReadableStream<unknown>;
interface AnyClient extends grpc.Client {
  [method: string]: unknown;
}

export interface BackendStatus {
  state: 'missing' | 'starting' | 'running' | 'exited' | 'stopped';
  executable: string;
  pid?: number;
  address?: string;
  restarts: number;
  lastExit?: string;
  lastExitAt?: number;
  message: string;
}

export interface BackendOptions {
  executable: string;
  protoPath: string;
  log: Log;
  env?: Record<string, string>;
  /** Called on every state change (running, exited): the host reports restarts through it. */
  onState?: (s: BackendStatus) => void;
  handshakeTimeoutMs?: number;
}

export class BackendPlugin {
  private child?: ChildProcess;
  private channel?: grpc.Channel;
  private clients: Record<string, AnyClient> = {};
  private ready?: Promise<void>;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private status: BackendStatus;
  private readonly pkg: grpc.GrpcObject;
  private readonly goPlugin: grpc.GrpcObject;

  constructor(private readonly opts: BackendOptions) {
    const def = protoLoader.loadSync(opts.protoPath, LOADER_OPTS);
    this.pkg = grpc.loadPackageDefinition(def);
    this.goPlugin = grpc.loadPackageDefinition(
      protoLoader.fromJSON(GO_PLUGIN_PROTO as unknown as Parameters<typeof protoLoader.fromJSON>[0], LOADER_OPTS)
    );
    this.status = { state: 'stopped', executable: opts.executable, restarts: 0, message: 'not started' };
  }

  getStatus(): BackendStatus {
    return { ...this.status };
  }

  private setStatus(s: Partial<BackendStatus>) {
    this.status = { ...this.status, ...s };
    this.opts.onState?.(this.getStatus());
  }

  /** Starts the process (once); resolves when the gRPC connection is up. */
  start(): Promise<void> {
    if (!this.ready) {
      this.stopping = false;
      this.ready = this.launch().catch((e: unknown) => {
        this.ready = undefined;
        throw e;
      });
    }
    return this.ready;
  }

  private launch(): Promise<void> {
    const exe = this.opts.executable;
    if (!fs.existsSync(exe)) {
      this.setStatus({ state: 'missing', message: `backend binary ${exe} not found: run 'npm run build:backend'` });
      return Promise.reject(new Error(this.status.message));
    }
    // A stale standalone.txt next to the binary would make the SDK connect to a dead debug server.
    const standalone = path.join(path.dirname(exe), 'standalone.txt');
    if (fs.existsSync(standalone)) {
      this.opts.log(`ignoring ${standalone} (SDK standalone/debug mode): remove it if no debugger is attached`);
    }
    // A process from an earlier attempt (its handshake timed out, its connection failed) may not have exited yet:
    // it is killed now, and its exit, whenever it comes, is ignored below, so two binaries never run at once.
    const previous = this.child;
    if (previous && previous.exitCode === null && previous.signalCode === null) {
      previous.kill('SIGKILL');
    }
    this.setStatus({ state: 'starting', message: 'starting' });
    const child = spawn(exe, [], {
      cwd: path.dirname(exe),
      env: pluginEnv(process.env, this.opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const log = this.opts.log;

    // The SDK logs JSON lines (hclog) on the real stderr.
    readline.createInterface({ input: child.stderr! }).on('line', (l) => {
      const line = formatHclog(l);
      if (process.env.PREVIEW_DEBUG || !/^(debug|trace) /.test(line)) {
        log(`[backend] ${line}`);
      }
    });

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timeout = setTimeout(() => {
        if (!settled) {
          settled = true;
          child.kill('SIGKILL');
          reject(new Error(`backend printed no handshake within ${this.opts.handshakeTimeoutMs ?? 15000} ms`));
        }
      }, this.opts.handshakeTimeoutMs ?? 15000);
      const rl = readline.createInterface({ input: child.stdout! });
      rl.on('line', (line) => {
        if (settled) {
          log(`[backend stdout] ${line}`);
          return;
        }
        let h: Handshake;
        try {
          h = parseHandshake(line);
        } catch (e) {
          log(`[backend stdout] ${line} (${(e as Error).message})`);
          return;
        }
        settled = true;
        clearTimeout(timeout);
        this.connect(h)
          .then(() => {
            if (this.child !== child) {
              // Replaced (or stopped) while connecting: this process is no longer the backend.
              child.kill('SIGKILL');
              reject(new Error('backend replaced while connecting'));
              return;
            }
            this.setStatus({ state: 'running', pid: child.pid, address: h.address, message: 'running' });
            log(`backend ${path.basename(exe)} running (pid ${child.pid}, ${h.network} ${h.address})`);
            resolve();
          })
          .catch((e: unknown) => {
            child.kill('SIGKILL');
            reject(e instanceof Error ? e : new Error(String(e)));
          });
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timeout);
        const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (!settled) {
          settled = true;
          reject(new Error(`backend ${why} before its handshake`));
        }
        if (this.child !== child) {
          // A late exit of a process already replaced must not tear down its successor's connection and state,
          // nor schedule a restart that would start a second binary next to the running one.
          log(`earlier backend process (pid ${child.pid}) ${why}`);
          return;
        }
        this.closeConnection();
        this.child = undefined;
        this.ready = undefined;
        if (this.stopping) {
          this.setStatus({ state: 'stopped', pid: undefined, message: 'stopped' });
          return;
        }
        // Grafana restarts a plugin process that dies; so does the host, and it says so.
        const restarts = this.status.restarts + 1;
        const delay = Math.min(5000, 100 * 2 ** Math.min(restarts, 6));
        this.setStatus({
          state: 'exited',
          pid: undefined,
          lastExit: why,
          lastExitAt: Date.now(),
          restarts,
          message: `backend ${why}; restarting (restart #${restarts})`,
        });
        log(`backend ${path.basename(exe)} ${why}: restarting in ${delay} ms (restart #${restarts})`);
        this.restartTimer = setTimeout(() => {
          this.start().catch((e: unknown) => log(`backend restart failed: ${(e as Error).message}`));
        }, delay);
      });
      child.on('error', (e) => {
        if (!settled) {
          settled = true;
          clearTimeout(timeout);
          reject(e);
        }
      });
    });
  }

  private async connect(h: Handshake): Promise<void> {
    if (h.serverCert) {
      throw new Error(
        'the plugin asked for mutual TLS (PLUGIN_CLIENT_CERT); Grafana never sets it and neither does the host'
      );
    }
    const target = grpcTarget(h);
    const options: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
    };
    const creds = grpc.credentials.createInsecure();
    this.channel = new grpc.Channel(target, creds, options);
    const v2 = this.pkg.pluginv2 as grpc.GrpcObject;
    const gp = this.goPlugin.plugin as grpc.GrpcObject;
    const make = (ctor: unknown) => {
      const C = ctor as grpc.ServiceClientConstructor;
      return new C(target, creds, { ...options, channelOverride: this.channel }) as unknown as AnyClient;
    };
    this.clients = {
      data: make(v2.Data),
      diagnostics: make(v2.Diagnostics),
      resource: make(v2.Resource),
      stream: make(v2.Stream),
      controller: make(gp.GRPCController),
      stdio: make(gp.GRPCStdio),
    };
    await new Promise<void>((resolve, reject) =>
      this.clients.data.waitForReady(Date.now() + 5000, (e) => (e ? reject(e) : resolve()))
    );
    this.drainStdio();
  }

  /** go-plugin copies the plugin's stdout/stderr into unbuffered channels that only StreamStdio drains. */
  private drainStdio() {
    const call = (this.clients.stdio.StreamStdio as ServerStream<object>).call(this.clients.stdio, {});
    call.on('data', (d: { channel: string; data: Buffer }) => {
      for (const line of d.data.toString('utf8').split('\n')) {
        if (line.trim()) {
          this.opts.log(`[backend ${d.channel === 'STDERR' ? 'stderr' : 'stdout'}] ${formatHclog(line)}`);
        }
      }
    });
    call.on('error', () => undefined);
  }

  private closeConnection() {
    for (const c of Object.values(this.clients)) {
      c.close();
    }
    this.clients = {};
    this.channel?.close();
    this.channel = undefined;
  }

  private async client(name: string): Promise<AnyClient> {
    if (!this.clients[name]) {
      await this.start();
    }
    const c = this.clients[name];
    if (!c) {
      throw new Error(`backend is not running (${this.status.message})`);
    }
    return c;
  }

  async unary<Req, Res>(service: string, method: string, req: Req, timeoutMs = 30000): Promise<Res> {
    const c = await this.client(service);
    const fn = c[method] as Unary<Req, Res>;
    return new Promise<Res>((resolve, reject) =>
      fn.call(c, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (e, r) => (e ? reject(e) : resolve(r)))
    );
  }

  async serverStream<Req>(service: string, method: string, req: Req): Promise<grpc.ClientReadableStream<unknown>> {
    const c = await this.client(service);
    return (c[method] as ServerStream<Req>).call(c, req);
  }

  /** Grafana's Client.Kill: Shutdown over gRPC, close, wait up to 2 s, then kill. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) {
      return;
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      const c = this.clients.controller;
      if (c) {
        await new Promise<void>((resolve) =>
          (c.Shutdown as Unary<object, object>).call(c, {}, new grpc.Metadata(), { deadline: Date.now() + 2000 }, () =>
            resolve()
          )
        );
      }
    } finally {
      this.closeConnection();
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  /** Test hook: the pid, so a test can kill the process and watch it come back. */
  pid(): number | undefined {
    return this.child?.pid;
  }
}

/** hclog JSON line → "level message k=v…"; anything else unchanged. */
export function formatHclog(line: string): string {
  if (!line.startsWith('{')) {
    return line;
  }
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const { '@level': level, '@message': msg, '@timestamp': _ts, '@module': _mod, '@caller': _c, ...rest } = o;
    const kv = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${String(level ?? 'info')} ${String(msg ?? '')}${kv ? ' ' + kv : ''}`;
  } catch {
    return line;
  }
}

// The stream transport of the preview host: a plain WebSocket at /api/live/preview, installed in the page with
// @grafana/runtime's setGrafanaLiveSrv (preview/shell/live.ts). It carries what Grafana Live carries for a plugin
// stream, without centrifuge framing. The server keeps Grafana's run-stream rules (pkg/services/live/runstream):
// one RunStream per channel whatever the number of subscribers, cancelled after 3 checks 5 s apart that find no
// subscriber, restarted with backoff 100 ms·2ⁿ up to 5 s when it fails, stopped when it ends cleanly.
//
// Wire (JSON text messages):
//   client → server  {"type":"subscribe","id":1,"channel":"ds/<uid>/<path>","data":<optional>}
//                    {"type":"unsubscribe","channel":"ds/<uid>/<path>"}
//   server → client  {"type":"subscribed","id":1,"channel":…,"data":<SubscribeStream initial data or null>}
//                    {"type":"error","id":1,"channel":…,"status":404|403|500,"message":…}
//                    {"type":"message","channel":…,"data":<StreamPacket.data: frame JSON {schema?,data}>}
//                    {"type":"status","channel":…,"state":"connected"|"restarting"|"ended","message"?:…}
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientReadableStream } from '@grpc/grpc-js';

export interface StreamBackend {
  /** SubscribeStream: status OK | NOT_FOUND | PERMISSION_DENIED, and the initial data. */
  subscribe(uid: string, path: string, data: unknown): Promise<{ status: string; data?: Buffer }>;
  /** RunStream for one channel. */
  run(uid: string, path: string): Promise<ClientReadableStream<unknown>>;
}

interface Channel {
  name: string;
  subscribers: Set<WebSocket>;
  stream?: ClientReadableStream<unknown>;
  /** RunStream asked for and not answered yet: a second subscriber must not start another one. */
  starting: boolean;
  idleChecks: number;
  attempt: number;
  stopped: boolean;
  timer?: NodeJS.Timeout;
}

export function parseChannel(channel: string): { scope: string; uid: string; path: string } {
  // Grafana's wire channel is "<orgId>/ds/<uid>/<path>"; accept both forms.
  const parts = channel.replace(/^\d+\//, '').split('/');
  if (parts.length < 3 || parts[0] !== 'ds' || !parts[1] || !parts.slice(2).join('/')) {
    throw new Error(`unsupported channel "${channel}": the preview host streams data source channels ds/<uid>/<path>`);
  }
  if (channel.length > 160) {
    throw new Error('channel longer than 160 characters');
  }
  return { scope: parts[0], uid: parts[1], path: parts.slice(2).join('/') };
}

export class LiveHub {
  private channels = new Map<string, Channel>();
  /** Channels each socket asked for and has not left: a subscribe answered after close/unsubscribe is dropped. */
  private wanted = new Map<WebSocket, Set<string>>();
  // Messages are tiny JSON commands; 64 KiB bounds what one socket can make the host parse.
  private wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private idleTimer: NodeJS.Timeout;

  constructor(
    private readonly backend: (uid: string) => StreamBackend | undefined,
    private readonly log: (m: string) => void,
    private readonly idleCheckMs = 5000
  ) {
    this.idleTimer = setInterval(() => this.checkIdle(), this.idleCheckMs);
    this.idleTimer.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private send(ws: WebSocket, msg: object) {
    if (ws.readyState === ws.OPEN) {
      ws.send(JSON.stringify(msg));
    }
  }

  private broadcast(ch: Channel, msg: object) {
    const s = JSON.stringify(msg);
    for (const ws of ch.subscribers) {
      if (ws.readyState === ws.OPEN) {
        ws.send(s);
      }
    }
  }

  private onConnection(ws: WebSocket) {
    const wanted = new Set<string>();
    this.wanted.set(ws, wanted);
    ws.on('message', (raw) => {
      let m: unknown;
      try {
        m = JSON.parse(String(raw));
      } catch {
        return;
      }
      // Anything but {type, channel: string} (null, a number, a list) is ignored, never thrown on.
      if (typeof m !== 'object' || m === null) {
        return;
      }
      const { type, id, channel, data } = m as { type?: unknown; id?: unknown; channel?: unknown; data?: unknown };
      if (typeof channel !== 'string' || !channel) {
        return;
      }
      if (type === 'subscribe') {
        wanted.add(channel);
        void this.subscribe(ws, typeof id === 'number' ? id : 0, channel, data);
      } else if (type === 'unsubscribe') {
        wanted.delete(channel);
        this.channels.get(channel)?.subscribers.delete(ws);
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      wanted.clear();
      this.wanted.delete(ws);
      for (const ch of this.channels.values()) {
        ch.subscribers.delete(ws);
      }
    });
  }

  private async subscribe(ws: WebSocket, id: number, name: string, data: unknown) {
    let addr;
    try {
      addr = parseChannel(name);
    } catch (e) {
      this.send(ws, { type: 'error', id, channel: name, status: 400, message: (e as Error).message });
      return;
    }
    const be = this.backend(addr.uid);
    if (!be) {
      this.send(ws, {
        type: 'error',
        id,
        channel: name,
        status: 404,
        message: `data source ${addr.uid} has no stream`,
      });
      return;
    }
    let rsp;
    try {
      rsp = await be.subscribe(addr.uid, addr.path, data);
    } catch (e) {
      this.send(ws, { type: 'error', id, channel: name, status: 500, message: (e as Error).message });
      return;
    }
    if (rsp.status !== 'OK') {
      const status = rsp.status === 'PERMISSION_DENIED' ? 403 : 404;
      this.send(ws, { type: 'error', id, channel: name, status, message: status === 403 ? 'Forbidden' : 'Not Found' });
      return;
    }
    let initial: unknown = null;
    if (rsp.data && rsp.data.length) {
      try {
        initial = JSON.parse(rsp.data.toString('utf8'));
      } catch {
        initial = null;
      }
    }
    // The socket may have closed, or left the channel, while SubscribeStream was answering: it is not a subscriber.
    if (ws.readyState !== ws.OPEN || !this.wanted.get(ws)?.has(name)) {
      return;
    }
    this.send(ws, { type: 'subscribed', id, channel: name, data: initial });
    let ch = this.channels.get(name);
    if (!ch) {
      ch = { name, subscribers: new Set(), starting: false, idleChecks: 0, attempt: 0, stopped: false };
      this.channels.set(name, ch);
    }
    ch.subscribers.add(ws);
    ch.idleChecks = 0;
    if (!ch.stream && !ch.timer && !ch.starting) {
      void this.run(ch);
    }
  }

  private async run(ch: Channel) {
    const addr = parseChannel(ch.name);
    const be = this.backend(addr.uid);
    if (!be || ch.stopped) {
      return;
    }
    ch.starting = true;
    let stream: ClientReadableStream<unknown>;
    try {
      stream = await be.run(addr.uid, addr.path);
    } catch (e) {
      ch.starting = false;
      if (!ch.stopped) {
        this.retry(ch, (e as Error).message);
      }
      return;
    }
    ch.starting = false;
    if (ch.stopped) {
      // Everyone left while RunStream was starting: the stream it gave is cancelled at once, not leaked.
      stream.on('error', () => undefined);
      stream.cancel();
      return;
    }
    ch.stream = stream;
    this.log(`live: RunStream ${ch.name} started`);
    this.broadcast(ch, { type: 'status', channel: ch.name, state: 'connected' });
    stream.on('data', (p: { data: Buffer }) => {
      ch.attempt = 0;
      let data: unknown;
      try {
        data = JSON.parse(p.data.toString('utf8'));
      } catch {
        return;
      }
      this.broadcast(ch, { type: 'message', channel: ch.name, data });
    });
    stream.on('error', (e: Error & { code?: number }) => {
      if (ch.stream !== stream) {
        return;
      }
      ch.stream = undefined;
      if (ch.stopped || e.code === 1 /* CANCELLED */) {
        return;
      }
      this.retry(ch, e.message);
    });
    stream.on('end', () => {
      if (ch.stream === stream) {
        ch.stream = undefined;
        if (!ch.stopped) {
          ch.stopped = true;
          this.log(`live: RunStream ${ch.name} ended`);
          this.broadcast(ch, { type: 'status', channel: ch.name, state: 'ended' });
          if (this.channels.get(ch.name) === ch) {
            this.channels.delete(ch.name);
          }
        }
      }
    });
  }

  private retry(ch: Channel, why: string) {
    if (ch.subscribers.size === 0) {
      ch.stopped = true;
      if (this.channels.get(ch.name) === ch) {
        this.channels.delete(ch.name);
      }
      return;
    }
    const delay = Math.min(5000, 100 * 2 ** ch.attempt);
    ch.attempt++;
    this.log(`live: RunStream ${ch.name} failed (${why}); retrying in ${delay} ms`);
    this.broadcast(ch, { type: 'status', channel: ch.name, state: 'restarting', message: why });
    ch.timer = setTimeout(() => {
      ch.timer = undefined;
      void this.run(ch);
    }, delay);
  }

  private checkIdle() {
    for (const ch of [...this.channels.values()]) {
      if (ch.subscribers.size > 0) {
        ch.idleChecks = 0;
        continue;
      }
      ch.idleChecks++;
      if (ch.idleChecks >= 3) {
        this.stopChannel(ch);
      }
    }
  }

  private stopChannel(ch: Channel) {
    ch.stopped = true;
    clearTimeout(ch.timer);
    ch.timer = undefined;
    ch.stream?.cancel();
    ch.stream = undefined;
    if (this.channels.get(ch.name) === ch) {
      this.channels.delete(ch.name);
    }
    this.log(`live: RunStream ${ch.name} cancelled (no subscribers)`);
  }

  /** Subscribers per channel, for /api/preview/status and the tests. */
  stats(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, ch] of this.channels) {
      out[k] = ch.subscribers.size;
    }
    return out;
  }

  /** Open sockets. */
  clients(): number {
    return this.wss.clients.size;
  }

  /** Streams running now (RunStream calls not ended or cancelled), for the tests and the status page. */
  running(): string[] {
    return [...this.channels.values()].filter((c) => c.stream || c.starting).map((c) => c.name);
  }

  close() {
    clearInterval(this.idleTimer);
    for (const ch of [...this.channels.values()]) {
      this.stopChannel(ch);
    }
    // In noServer mode the server does not close its clients: the sockets are ended here.
    for (const ws of this.wss.clients) {
      ws.terminate();
    }
    this.wss.close();
  }
}

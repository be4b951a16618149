// GrafanaLiveSrv for @grafana/runtime's setGrafanaLiveSrv, over the host's own WebSocket (/api/live/preview; wire
// format documented in preview/server/live.ts and docs/preview.md). One socket per page, reconnecting; one
// server subscription per channel shared by every observer; frames buffered with @grafana/data's
// StreamingDataFrame exactly as Grafana's live service buffers them.
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import {
  LiveChannelConnectionState,
  LiveChannelEventType,
  LoadingState,
  StreamingDataFrame,
  toLiveChannelId,
  type DataQueryResponse,
  type LiveChannelAddress,
  type LiveChannelEvent,
} from '@grafana/data';
import type { GrafanaLiveSrv, LiveDataStreamOptions } from '@grafana/runtime';

interface ServerMsg {
  type: 'subscribed' | 'error' | 'message' | 'status';
  id?: number;
  channel: string;
  data?: unknown;
  status?: number;
  message?: string;
  state?: string;
}

export class PreviewLiveSrv {
  private ws?: WebSocket;
  private connected = new BehaviorSubject<boolean>(false);
  private channels = new Map<string, { subject: Subject<ServerMsg>; refs: number }>();
  private nextId = 1;
  private retry = 0;

  constructor(private readonly url: string) {
    this.connect();
  }

  private connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.connected.next(true);
      for (const ch of this.channels.keys()) {
        this.sendSubscribe(ch);
      }
    };
    ws.onmessage = (ev) => {
      let m: ServerMsg;
      try {
        m = JSON.parse(String(ev.data)) as ServerMsg;
      } catch {
        return;
      }
      this.channels.get(m.channel)?.subject.next(m);
    };
    ws.onclose = () => {
      this.connected.next(false);
      const delay = Math.min(5000, 250 * 2 ** this.retry++);
      setTimeout(() => this.connect(), delay);
    };
  }

  private sendSubscribe(channel: string) {
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: 'subscribe', id: this.nextId++, channel }));
    }
  }

  private channel(id: string): Observable<ServerMsg> {
    return new Observable<ServerMsg>((sub) => {
      let ch = this.channels.get(id);
      if (!ch) {
        ch = { subject: new Subject<ServerMsg>(), refs: 0 };
        this.channels.set(id, ch);
        this.sendSubscribe(id);
      }
      ch.refs++;
      const s = ch.subject.subscribe(sub);
      return () => {
        s.unsubscribe();
        const c = this.channels.get(id);
        if (c && --c.refs <= 0) {
          this.channels.delete(id);
          if (this.ws?.readyState === WebSocket.OPEN) {
            this.ws.send(JSON.stringify({ type: 'unsubscribe', channel: id }));
          }
        }
      };
    });
  }

  getConnectionState(): Observable<boolean> {
    return this.connected.asObservable();
  }

  getStream<T>(address: LiveChannelAddress): Observable<LiveChannelEvent<T>> {
    const id = toLiveChannelId(address);
    return new Observable<LiveChannelEvent<T>>((sub) =>
      this.channel(id).subscribe((m) => {
        if (m.type === 'message') {
          sub.next({ type: LiveChannelEventType.Message, message: m.data as T });
        } else if (m.type === 'error') {
          sub.next({
            type: LiveChannelEventType.Status,
            id,
            timestamp: Date.now(),
            state: LiveChannelConnectionState.Invalid,
            error: new Error(m.message),
          } as LiveChannelEvent<T>);
        } else {
          sub.next({
            type: LiveChannelEventType.Status,
            id,
            timestamp: Date.now(),
            state: LiveChannelConnectionState.Connected,
            message: m.data,
          } as LiveChannelEvent<T>);
        }
      })
    );
  }

  getDataStream(options: LiveDataStreamOptions): Observable<DataQueryResponse> {
    const id = toLiveChannelId(options.addr);
    const key = options.key ?? `xstr/${id}`;
    return new Observable<DataQueryResponse>((sub) => {
      const frame = options.frame
        ? StreamingDataFrame.fromDataFrameJSON(options.frame, options.buffer)
        : StreamingDataFrame.empty(options.buffer);
      const emit = (state: LoadingState, error?: string) => {
        sub.next({
          key,
          state,
          data: [frame],
          ...(error ? { error: { message: error } } : {}),
        });
      };
      if (options.frame) {
        emit(LoadingState.Streaming);
      }
      const s = this.channel(id).subscribe((m) => {
        if (m.type === 'message' || (m.type === 'subscribed' && m.data)) {
          frame.push(m.data as Parameters<StreamingDataFrame['push']>[0]);
          emit(LoadingState.Streaming);
        } else if (m.type === 'error') {
          emit(LoadingState.Error, m.message);
        } else if (m.type === 'status' && m.state === 'ended') {
          emit(LoadingState.Done);
        }
      });
      return () => s.unsubscribe();
    });
  }

  getPresence(): Promise<never> {
    return Promise.reject(new Error('presence is not supported by the preview host'));
  }

  publish(): Promise<never> {
    return Promise.reject(new Error('publishing is not supported by the preview host'));
  }
}

export function asLiveSrv(s: PreviewLiveSrv): GrafanaLiveSrv {
  return s as unknown as GrafanaLiveSrv;
}

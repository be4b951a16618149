// Request checks the preview host makes before it answers: the Host header (a DNS-rebinding page gets nothing),
// the origin of API calls and of the live WebSocket, and what a state-changing request must carry so that no
// cross-site form or text/plain POST can change a setting or run a health check. Grafana gets the same effect from
// its session cookie (SameSite) and CSRF check; the host has no login, so it checks the request itself.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
    public extra: object = {}
  ) {
    super(message);
  }
}

/** Grafana's frontend sends this header on its API calls (backend_srv); the shell does too. */
export const ORG_HEADER = 'x-grafana-org-id';

/** The largest request body the host reads (settings, queries): 1 MiB, far above anything the app sends. */
export const MAX_BODY_BYTES = 1024 * 1024;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

/**
 * Host names the host answers to: loopback, the address it listens on, and PREVIEW_ALLOWED_HOSTS (comma
 * separated) for a host reached under another name. A wildcard listen address (0.0.0.0, ::) names no host.
 */
export function allowedHostnames(listenHost: string, extra = process.env.PREVIEW_ALLOWED_HOSTS ?? ''): Set<string> {
  const out = new Set(['127.0.0.1', 'localhost', '[::1]']);
  const add = (h: string) => {
    const v = h.trim().toLowerCase();
    if (v && v !== '0.0.0.0' && v !== '::' && v !== '[::]') {
      out.add(v.includes(':') && !v.startsWith('[') ? `[${v}]` : v);
    }
  };
  add(listenHost);
  extra.split(',').forEach(add);
  return out;
}

/** Whether a Host header names this host: an allowed name and the port it listens on. */
export function hostAllowed(host: string | undefined, allowed: Set<string>, port: number): boolean {
  if (!host) {
    return false;
  }
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host.trim());
  if (!m) {
    return false;
  }
  const p = m[2] === undefined ? 80 : Number(m[2]);
  return allowed.has(m[1].toLowerCase()) && p === port;
}

/**
 * Why a request from a browser is cross-origin, or undefined when it is not. An `Origin` must be this very origin
 * (`http://<Host>`); `Sec-Fetch-Site` (sent by current browsers even on GET, e.g. an <img> pointing at a health
 * check) must be same-origin or none (typed into the address bar). Tools that send neither (curl, tests) pass.
 */
export function crossOrigin(headers: IncomingHttpHeaders): string | undefined {
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${headers.host ?? ''}`) {
    return `Origin ${origin} is not this host`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `Sec-Fetch-Site: ${String(site)}`;
  }
  return undefined;
}

export function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * A state-changing request must carry what a cross-site page cannot send without a CORS preflight (which the host
 * never grants): `Content-Type: application/json` or Grafana's `X-Grafana-Org-Id` header. A plain HTML form or a
 * text/plain fetch has neither, even from a browser that would omit Origin.
 */
export function csrfProblem(method: string, headers: IncomingHttpHeaders): string | undefined {
  if (!isStateChanging(method)) {
    return undefined;
  }
  if (mediaType(headers) === 'application/json' || headers[ORG_HEADER] !== undefined) {
    return undefined;
  }
  return `${method} needs Content-Type: application/json or the X-Grafana-Org-Id header`;
}

/** decodeURIComponent that answers 400 on a malformed escape (`%`, `%E0%A4%A`) instead of throwing a URIError. */
export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'bad request: malformed percent-encoding in the path');
  }
}

/** The body, at most `limit` bytes: a larger Content-Length, or a chunked body growing past it, answers 413. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const tooLarge = () => new HttpError(413, `request body larger than ${limit} bytes`);
    if (declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) {
        return;
      }
      size += c.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

/** A JSON object body: anything else (not JSON, `null`, an array, a number) answers 400, a wrong type 415. */
export async function readJSONObject<T extends object>(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<T> {
  if (mediaType(req.headers) !== 'application/json') {
    throw new HttpError(415, 'bad request data: Content-Type must be application/json');
  }
  const b = await readBody(req, limit);
  let v: unknown;
  try {
    v = JSON.parse(b.length ? b.toString('utf8') : '{}');
  } catch {
    throw new HttpError(400, 'bad request data: body is not JSON');
  }
  if (!isObject(v)) {
    throw new HttpError(400, 'bad request data: body must be a JSON object');
  }
  return v as T;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

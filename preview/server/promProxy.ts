// Which requests the preview host forwards to a Prometheus data source, and how the answer is served back.
// Grafana answers `/api/datasources/uid/<uid>/resources/*` for Prometheus by calling the Prometheus HTTP API, and
// its data source proxy refuses DELETE and PUT and allows POST only where Prometheus takes a form-encoded query. The
// host forwards the read API the app and Grafana's Prometheus editor use, to the configured URL only: never a path
// that names another host, climbs out of the API (`..`, encoded slashes) or reaches the admin/lifecycle endpoints.
// Pure: no I/O, so every rule is tested directly (preview/test/promProxy.test.ts).

/** Read endpoints under /api/v1/ (exact names; `label/<name>/values` has its own pattern). */
const READ_PATHS = new Set([
  'query',
  'query_range',
  'query_exemplars',
  'series',
  'labels',
  'metadata',
  'rules',
  'alerts',
  'format_query',
  'status/buildinfo',
]);

/** Where Prometheus accepts a form-encoded POST (long queries); Grafana's proxy allows POST on the same set. */
const POST_PATHS = new Set(['query', 'query_range', 'query_exemplars', 'series', 'labels']);

/** A classic Prometheus label name: what `label/<name>/values` takes. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type ProxyDecision = { ok: true; url: URL } | { ok: false; status: number; message: string };

export const ALLOWED_SUMMARY =
  'GET api/v1/{query,query_range,query_exemplars,series,labels,label/<name>/values,metadata,rules,alerts,format_query,status/buildinfo}; POST api/v1/{query,query_range,query_exemplars,series,labels}';

/** The API endpoint named by `rest` (the raw, still percent-encoded path after `resources/`), or undefined. */
export function promEndpoint(rest: string): string | undefined {
  const m = /^api\/v1\/(.+)$/.exec(rest);
  if (!m) {
    return undefined;
  }
  const ep = m[1];
  if (READ_PATHS.has(ep)) {
    return ep;
  }
  const label = /^label\/([^/]+)\/values$/.exec(ep);
  if (label && LABEL_NAME.test(label[1])) {
    return 'label/<name>/values';
  }
  return undefined;
}

/**
 * Decides whether `method rest?search` may go to the Prometheus at `base`, and if so to which URL. `rest` is the raw
 * path (percent escapes intact): anything outside the allow-list, including `%2F`, `%2e` and `//host`, is refused
 * before a URL is built, and the URL built is checked to stay on the base's origin and under its path.
 */
export function promProxyTarget(base: string, rest: string, search: string, method: string): ProxyDecision {
  let baseUrl: URL;
  try {
    baseUrl = new URL(base);
  } catch {
    return { ok: false, status: 500, message: `the Prometheus data source URL "${base}" is not a URL` };
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    return {
      ok: false,
      status: 500,
      message: `the Prometheus data source URL must be http(s), not ${baseUrl.protocol}`,
    };
  }
  const ep = promEndpoint(rest);
  if (!ep) {
    return {
      ok: false,
      status: 403,
      message: `the preview host forwards only the Prometheus read API (${ALLOWED_SUMMARY}), not "${rest.slice(0, 120)}"`,
    };
  }
  if (method === 'POST' && !POST_PATHS.has(ep)) {
    return { ok: false, status: 403, message: `POST is not allowed on proxied Prometheus api/v1/${ep}: use GET` };
  }
  if (method !== 'GET' && method !== 'POST') {
    return {
      ok: false,
      status: 403,
      message: `${method} is not allowed on a proxied Prometheus data source (GET, and POST for queries)`,
    };
  }
  const basePath = baseUrl.pathname.endsWith('/') ? baseUrl.pathname : `${baseUrl.pathname}/`;
  const url = new URL(baseUrl.origin);
  url.pathname = basePath + rest;
  url.search = search;
  // Belt and braces: the allow-list admits no character that could move the URL, and this proves it.
  if (url.origin !== baseUrl.origin || !url.pathname.startsWith(`${basePath}api/v1/`)) {
    return { ok: false, status: 403, message: 'the request would leave the configured Prometheus' };
  }
  return { ok: true, url };
}

/**
 * Headers for Prometheus' answer on the preview origin: JSON stays JSON, anything else (an error page, a proxy's
 * HTML) is served as plain text, never with the upstream's own content type, and the browser may not sniff it.
 */
export function promAnswerHeaders(upstreamContentType: string | null): Record<string, string> {
  const json = /^application\/json\b/i.test(upstreamContentType ?? '');
  return {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
  };
}

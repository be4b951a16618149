// The preview host's HTTP side: the Grafana API paths the plugin calls, with Grafana's shapes, the built plugin
// under public/plugins/<id>/, @grafana/ui's icons under public/img/icons/, and the shell page for every UI route.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { AnnotationStore, previewUser, type PreviewUser } from './annotations';
import { BackendPlugin, executablePath, findBackendProto, type BackendStatus } from './backend';
import { pluginContext, GRAFANA_VERSION } from './context';
import { toHttpQueryResponse, type GrpcDataResponse } from './frames';
import { LiveHub } from './live';
import { dashboardByUid, searchHits, shippedDashboards } from './dashboards';
import { loadPlugins, pluginMeta, type LoadedPlugin } from './plugins';
import {
  dataSourceDTO,
  loadProvisioning,
  secureJsonFields,
  type AppSetting,
  type DataSourceSetting,
  type JsonObject,
} from './provisioning';
import {
  allowedHostnames,
  crossOrigin,
  csrfProblem,
  decodeSegment,
  hostAllowed,
  HttpError,
  isObject,
  mediaType,
  MAX_BODY_BYTES,
  readBody,
  readJSONObject,
} from './guards';
import { promAnswerHeaders, promProxyTarget } from './promProxy';
import { parseRange } from './timerange';

export interface HostOptions {
  repoRoot: string;
  host: string;
  port: number;
  /** The shell bundle (preview/.build). */
  shellDir: string;
  log?: (m: string) => void;
  /** Start backend processes lazily on first use (default) or at once. */
  eagerBackends?: boolean;
  /** More host names to answer to (comma separated); default PREVIEW_ALLOWED_HOSTS. */
  allowedHosts?: string;
  /** Largest request body read (default 1 MiB). */
  maxBodyBytes?: number;
  /** Where the host keeps what the app writes (annotations.json); default PREVIEW_STATE_DIR or <tmp>/veza-preview. */
  stateDir?: string;
  /** The signed-in user (default: admin with PREVIEW_ROLE's role). */
  user?: PreviewUser;
}

const MIME: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.woff2': 'font/woff2',
};

function sendJSON(res: http.ServerResponse, status: number, body: unknown) {
  const s = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(s);
}

interface DsQuery extends JsonObject {}
interface MetricRequest {
  from?: string;
  to?: string;
  queries?: DsQuery[];
}

export class PreviewHost {
  readonly plugins: Map<string, LoadedPlugin>;
  datasources: DataSourceSetting[];
  apps: AppSetting[];
  readonly backends = new Map<string, BackendPlugin>();
  readonly backendErrors = new Map<string, string>();
  readonly live: LiveHub;
  private server?: http.Server;
  private readonly log: (m: string) => void;
  private appUrl: string;
  private port: number;
  private readonly hostnames: Set<string>;
  private readonly maxBody: number;
  private readonly iconsDir: string;
  private readonly missingIcons = new Set<string>();
  private readonly annotations: AnnotationStore;
  private readonly user: PreviewUser;

  constructor(private readonly opts: HostOptions) {
    this.log = opts.log ?? ((m) => console.log(`[preview] ${m}`));
    this.user = opts.user ?? previewUser();
    const stateDir = opts.stateDir ?? process.env.PREVIEW_STATE_DIR ?? path.join(os.tmpdir(), 'veza-preview');
    this.annotations = new AnnotationStore(path.join(stateDir, 'annotations.json'));
    this.port = opts.port;
    this.appUrl = `http://${opts.host}:${opts.port}`;
    this.hostnames = allowedHostnames(opts.host, opts.allowedHosts);
    this.maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
    this.plugins = loadPlugins(path.join(opts.repoRoot, 'dist'));
    const prov = loadProvisioning(path.join(opts.repoRoot, 'provisioning'));
    this.datasources = prov.datasources;
    this.apps = prov.apps;
    this.iconsDir = path.join(opts.repoRoot, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
    for (const p of this.plugins.values()) {
      if (p.json.type === 'datasource' && p.json.backend && p.json.executable) {
        try {
          const proto = findBackendProto(opts.repoRoot);
          const exe = executablePath(p.dir, p.json.executable);
          this.backends.set(
            p.json.id,
            new BackendPlugin({
              executable: exe,
              protoPath: proto,
              log: this.log,
              onState: (s: BackendStatus) => {
                if (s.state === 'exited') {
                  this.log(`plugin ${p.json.id} backend ${s.message}`);
                }
              },
            })
          );
        } catch (e) {
          this.backendErrors.set(p.json.id, (e as Error).message);
          this.log(`plugin ${p.json.id}: ${(e as Error).message}`);
        }
      }
    }
    this.live = new LiveHub((uid) => {
      const ds = this.datasources.find((d) => d.uid === uid);
      const be = ds && this.backends.get(ds.type);
      if (!ds || !be) {
        return undefined;
      }
      const plugin = this.plugins.get(ds.type)!;
      const ctx = () =>
        pluginContext(this.ds(uid), { id: plugin.json.id, version: plugin.json.info.version }, this.appUrl);
      return {
        subscribe: async (_uid, p, data) => {
          const r = await be.unary<object, { status: string; data?: Buffer }>('stream', 'SubscribeStream', {
            pluginContext: ctx(),
            path: p,
            data: Buffer.from(data === undefined ? '' : JSON.stringify(data)),
            headers: {},
          });
          return r;
        },
        run: (_uid, p) =>
          be.serverStream('stream', 'RunStream', { pluginContext: ctx(), path: p, data: Buffer.alloc(0), headers: {} }),
      };
    }, this.log);
  }

  private ds(uid: string): DataSourceSetting {
    const d = this.datasources.find((x) => x.uid === uid);
    if (!d) {
      throw new HttpError(404, 'Data source not found');
    }
    return d;
  }

  private backendFor(ds: DataSourceSetting): BackendPlugin {
    const be = this.backends.get(ds.type);
    if (!be) {
      const why = this.backendErrors.get(ds.type);
      throw new HttpError(500, why ? `Plugin unavailable: ${why}` : `no backend for data source type ${ds.type}`);
    }
    return be;
  }

  private ctx(ds: DataSourceSetting) {
    const p = this.plugins.get(ds.type);
    return pluginContext(ds, { id: ds.type, version: p?.json.info.version ?? '' }, this.appUrl);
  }

  // ---- data source settings as the browser sees them (bootData and /api/datasources) ----

  instanceSettings(d: DataSourceSetting) {
    const p = this.plugins.get(d.type);
    const meta = p
      ? { ...pluginMeta(p, { enabled: true, pinned: false, jsonData: {}, secureJsonFields: {} }) }
      : coreDataSourceMeta(d.type);
    return {
      id: d.id,
      uid: d.uid,
      type: d.type,
      name: d.name,
      meta,
      url: `/api/datasources/proxy/uid/${d.uid}`,
      access: d.access,
      jsonData: d.jsonData,
      isDefault: d.isDefault,
      readOnly: d.readOnly,
      rawRef: { type: d.type, uid: d.uid },
      database: d.database,
    };
  }

  appSetting(id: string): AppSetting {
    let a = this.apps.find((x) => x.type === id);
    if (!a) {
      a = { type: id, orgId: 1, enabled: false, pinned: false, jsonData: {}, secureJsonData: {} };
      this.apps.push(a);
    }
    return a;
  }

  pluginSettings(id: string) {
    const p = this.plugins.get(id);
    if (!p) {
      throw new HttpError(404, 'Plugin not found, no installed plugin with that id');
    }
    if (p.json.type === 'app') {
      const a = this.appSetting(id);
      return pluginMeta(p, {
        enabled: a.enabled,
        pinned: a.pinned,
        jsonData: a.jsonData,
        secureJsonFields: secureJsonFields(a.secureJsonData),
      });
    }
    return pluginMeta(p, { enabled: true, pinned: false, jsonData: {}, secureJsonFields: {} });
  }

  bootData(theme: 'dark' | 'light') {
    const datasources: Record<string, unknown> = {};
    for (const d of this.datasources) {
      datasources[d.name] = this.instanceSettings(d);
    }
    const panels: Record<string, unknown> = {};
    const apps: Record<string, unknown> = {};
    for (const p of this.plugins.values()) {
      if (p.json.type === 'panel') {
        panels[p.json.id] = {
          ...pluginMeta(p, { enabled: true, pinned: false, jsonData: {}, secureJsonFields: {} }),
          sort: 100,
          skipDataQuery: p.json.skipDataQuery === true, // as Grafana reads plugin.json
          hideFromList: false,
        };
      } else if (p.json.type === 'app') {
        const a = this.appSetting(p.json.id);
        apps[p.json.id] = {
          id: p.json.id,
          path: p.module,
          version: p.json.info.version,
          preload: false,
          angular: { detected: false },
          loadingStrategy: 'script',
          extensions: {
            addedLinks: [],
            addedComponents: [],
            exposedComponents: [],
            extensionPoints: [],
            addedFunctions: [],
          },
          dependencies: p.json.dependencies,
          moduleHash: '',
          enabled: a.enabled,
        };
      }
    }
    const def = this.datasources.find((d) => d.isDefault) ?? this.datasources[0];
    return {
      settings: {
        appUrl: `${this.appUrl}/`,
        appSubUrl: '',
        datasources,
        panels,
        apps,
        defaultDatasource: def?.name ?? '',
        buildInfo: {
          version: GRAFANA_VERSION,
          commit: 'preview',
          env: 'production',
          edition: 'Open Source',
          latestVersion: '',
          hasUpdate: false,
          hideVersion: false,
          buildstamp: 0,
        },
        featureToggles: {},
        namespace: 'default',
        liveEnabled: true,
        unifiedAlertingEnabled: true,
        bootData: undefined,
        preview: { host: true, liveUrl: '/api/live/preview', repoPlugins: [...this.plugins.keys()] },
      },
      user: {
        id: 1,
        uid: 'admin',
        isSignedIn: true,
        login: 'admin',
        email: 'admin@localhost',
        name: 'admin',
        theme,
        orgId: 1,
        orgName: 'Main Org.',
        orgRole: this.user.role,
        isGrafanaAdmin: this.user.role === 'Admin',
        timezone: 'browser',
        weekStart: 'browser',
        locale: 'en-US',
        language: 'en-US',
        permissions: {},
        analytics: { identifier: 'admin' },
      },
      navTree: [],
      assets: { dark: '', light: '' },
    };
  }

  shellHtml(theme: 'dark' | 'light'): string {
    const boot = JSON.stringify(this.bootData(theme)).replace(/</g, '\\u003c');
    const bg = theme === 'light' ? '#f4f5f5' : '#111217';
    return `<!doctype html>
<html lang="en" class="theme-${theme}">
<head>
<meta charset="utf-8" />
<base href="/" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Veza SLO · preview</title>
<link rel="icon" href="/public/plugins/veza-slo-app/img/logo.svg" />
<style>html,body{margin:0;background:${bg};height:100%}#reactRoot{min-height:100%}</style>
<script>window.grafanaBootData = ${boot}; window.__grafana_public_path__ = '/public/';</script>
</head>
<body class="theme-${theme}">
<div id="reactRoot"></div>
<script src="/public/build/shell.js"></script>
</body>
</html>`;
  }

  // ---- HTTP ----

  /** Why this request may not be answered at all (wrong Host, cross-site API call, forgeable POST), or undefined. */
  private refuse(req: http.IncomingMessage, p: string, method: string): HttpError | undefined {
    if (!hostAllowed(req.headers.host, this.hostnames, this.port)) {
      // DNS rebinding: a page on evil.example resolved to 127.0.0.1 would otherwise read the API.
      return new HttpError(421, `this host answers to ${[...this.hostnames].join(', ')} on port ${this.port} only`);
    }
    if (p.startsWith('/api/')) {
      const why = crossOrigin(req.headers) ?? csrfProblem(method, req.headers);
      if (why) {
        return new HttpError(403, `cross-site request refused: ${why}`);
      }
    }
    return undefined;
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? 'GET';
    const raw = req.url ?? '/';
    let p = raw;
    try {
      // Only origin-form targets ("/path?query"): "//host/x" or "http://host/x" would make new URL() switch hosts.
      if (!raw.startsWith('/') || raw.startsWith('//')) {
        throw new HttpError(400, 'bad request target');
      }
      const url = new URL(`http://preview.invalid${raw}`);
      p = url.pathname;
      const refused = this.refuse(req, p, method);
      if (refused) {
        throw refused;
      }
      if (p.startsWith('/api/')) {
        await this.api(req, res, url, method);
        return;
      }
      if (p.startsWith('/public/')) {
        await this.static(res, p);
        return;
      }
      if (p === '/' || p === '/a' || p === '/a/') {
        res.writeHead(302, { Location: '/a/veza-slo-app/slos' });
        res.end();
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        throw new HttpError(405, 'method not allowed');
      }
      // Theme: ?theme=light|dark switches and is remembered in a cookie, like a user preference.
      const q = url.searchParams.get('theme');
      const cookieTheme = /(?:^|;\s*)grafana_theme=(dark|light)/.exec(req.headers.cookie ?? '')?.[1];
      const theme = q === 'light' || q === 'dark' ? q : cookieTheme === 'light' ? 'light' : 'dark';
      const headers: http.OutgoingHttpHeaders = {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      };
      if (q === 'light' || q === 'dark') {
        headers['Set-Cookie'] = `grafana_theme=${q}; Path=/; SameSite=Lax`;
      }
      res.writeHead(200, headers);
      res.end(this.shellHtml(theme));
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, (e as Error).message);
      if (err.status >= 500) {
        this.log(`${method} ${p}: ${err.message}`);
      }
      if (!res.headersSent) {
        // A body not read (413, refused) is not drained: close the connection instead of reading it.
        if (!req.complete) {
          res.setHeader('Connection', 'close');
        }
        sendJSON(res, err.status, { message: err.message, ...err.extra });
      } else {
        res.destroy();
      }
    }
  }

  private async static(res: http.ServerResponse, p: string) {
    let file: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(p))) {
      const plugin = this.plugins.get(m[1]);
      if (plugin) {
        file = safeJoin(plugin.dir, m[2]);
      }
    } else if ((m = /^\/public\/(?:build\/)?img\/icons\/(.+)$/.exec(p))) {
      // @grafana/ui fetches its SVG icons at run time from <public path>build/img/icons/ (Grafana also serves img/icons/).
      file = safeJoin(this.iconsDir, m[1]);
    } else if ((m = /^\/public\/build\/(.+)$/.exec(p))) {
      file = safeJoin(this.opts.shellDir, m[1]);
    }
    if (file && m && /img\/icons\//.test(p) && p.endsWith('.svg') && !fs.existsSync(file)) {
      // @grafana/ui's package ships ~200 of Grafana's icons; Grafana serves the full unicons set. A stand-in keeps
      // the page free of 404s, and the log names the icon so a page can switch to one that ships.
      const name = path.basename(file, '.svg');
      if (!this.missingIcons.has(name)) {
        this.missingIcons.add(name);
        this.log(`icon "${name}" is not in @grafana/ui's package: serving a stand-in`);
      }
      res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'X-Preview-Icon': 'stand-in' });
      res.end(name === 'spinner' ? SPINNER_SVG : STANDIN_SVG);
      return;
    }
    if (!file) {
      throw new HttpError(404, `not found: ${p}`);
    }
    await serveFile(res, file, MIME[path.extname(file)] ?? 'application/octet-stream', p);
  }

  private async api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, method: string) {
    const p = url.pathname;
    let m: RegExpExecArray | null;

    if (p === '/api/health') {
      return sendJSON(res, 200, { database: 'ok', version: GRAFANA_VERSION, commit: 'preview' });
    }
    if (p === '/api/preview/status') {
      const backends: Record<string, unknown> = {};
      for (const [id, b] of this.backends) {
        backends[id] = b.getStatus();
      }
      for (const [id, e] of this.backendErrors) {
        backends[id] = { state: 'missing', message: e };
      }
      return sendJSON(res, 200, { backends, live: this.live.stats() });
    }
    if (p === '/api/annotations') {
      if (method === 'GET') {
        return sendJSON(res, 200, this.annotations.list(url.searchParams));
      }
      if (method === 'POST') {
        return sendJSON(res, 200, this.annotations.create(await readJSONObject(req, this.maxBody), this.user));
      }
      throw new HttpError(405, 'method not allowed');
    }
    if ((m = /^\/api\/annotations\/(\d+)$/.exec(p))) {
      const id = Number(m[1]);
      if (method === 'PATCH') {
        return sendJSON(res, 200, this.annotations.patch(id, await readJSONObject(req, this.maxBody), this.user));
      }
      if (method === 'DELETE') {
        return sendJSON(res, 200, this.annotations.remove(id, this.user));
      }
      throw new HttpError(405, 'method not allowed');
    }
    if (p === '/api/ds/query' && method === 'POST') {
      return this.dsQuery(req, res);
    }
    if (p === '/api/datasources' && method === 'GET') {
      return sendJSON(
        res,
        200,
        this.datasources.map((d) => ({ ...dataSourceDTO(d), typeName: d.type }))
      );
    }
    if ((m = /^\/api\/datasources\/uid\/([^/]+)$/.exec(p))) {
      const ds = this.ds(decodeSegment(m[1]));
      if (method === 'GET') {
        return sendJSON(res, 200, dataSourceDTO(ds));
      }
      if (method === 'PUT') {
        return this.updateDataSource(req, res, ds);
      }
      throw new HttpError(405, 'method not allowed');
    }
    if ((m = /^\/api\/datasources\/uid\/([^/]+)\/health$/.exec(p))) {
      return this.health(res, this.ds(decodeSegment(m[1])));
    }
    if ((m = /^\/api\/datasources\/(?:uid\/([^/]+)\/resources|proxy\/uid\/([^/]+))\/?(.*)$/.exec(p))) {
      const ds = this.ds(decodeSegment(m[1] ?? m[2]));
      return this.resource(req, res, ds, m[3], url.search);
    }
    if ((m = /^\/api\/plugins\/([^/]+)\/settings$/.exec(p))) {
      const id = decodeSegment(m[1]);
      if (method === 'GET') {
        return sendJSON(res, 200, this.pluginSettings(id));
      }
      if (method === 'POST') {
        const body = await readJSONObject<{
          enabled?: unknown;
          pinned?: unknown;
          jsonData?: unknown;
          secureJsonData?: unknown;
        }>(req, this.maxBody);
        if (!this.plugins.has(id)) {
          throw new HttpError(404, 'Plugin not found');
        }
        const a = this.appSetting(id);
        if (typeof body.enabled === 'boolean') {
          a.enabled = body.enabled;
        }
        if (typeof body.pinned === 'boolean') {
          a.pinned = body.pinned;
        }
        if (body.jsonData !== undefined) {
          a.jsonData = jsonObject(body.jsonData, 'jsonData');
        }
        if (body.secureJsonData !== undefined) {
          a.secureJsonData = { ...a.secureJsonData, ...stringMap(body.secureJsonData, 'secureJsonData') };
        }
        this.log(`plugin ${id} settings saved (kept in memory; provisioning/ is unchanged)`);
        return sendJSON(res, 200, { message: 'Plugin settings updated' });
      }
    }
    if (p === '/api/search' && method === 'GET') {
      const { dashboards, problems } = shippedDashboards(this.plugins);
      const q = (url.searchParams.get('query') ?? '').toLowerCase();
      const hits = searchHits(dashboards).filter((h) => h.title.toLowerCase().includes(q));
      for (const problem of problems) {
        this.log(`dashboards: ${problem}`);
      }
      return sendJSON(res, 200, hits);
    }
    if ((m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(p)) && method === 'GET') {
      const uid = decodeSegment(m[1]);
      const d = shippedDashboards(this.plugins).dashboards.find((x) => x.uid === uid);
      if (!d) {
        throw new HttpError(404, 'Dashboard not found');
      }
      return sendJSON(res, 200, dashboardByUid(d));
    }
    if (p === '/api/plugins' && method === 'GET') {
      return sendJSON(
        res,
        200,
        [...this.plugins.keys()].map((id) => this.pluginSettings(id))
      );
    }
    if (p === '/api/user' || p === '/api/user/preferences') {
      return sendJSON(res, 200, this.bootData('dark').user);
    }
    if (p === '/api/frontend/settings') {
      return sendJSON(res, 200, this.bootData('dark').settings);
    }
    throw new HttpError(404, 'Not found');
  }

  private async updateDataSource(req: http.IncomingMessage, res: http.ServerResponse, ds: DataSourceSetting) {
    const body = await readJSONObject<
      Partial<Record<keyof DataSourceSetting, unknown>> & {
        secureJsonData?: unknown;
        secureJsonFields?: unknown;
      }
    >(req, this.maxBody);
    if (ds.readOnly) {
      // Grafana's answer for a provisioned data source without `editable: true`.
      throw new HttpError(403, 'Cannot update read-only data source');
    }
    if (body.type && body.type !== ds.type) {
      throw new HttpError(400, 'cannot change the type of a data source');
    }
    const jsonData = body.jsonData === undefined ? undefined : jsonObject(body.jsonData, 'jsonData');
    const secureFields = isObject(body.secureJsonFields) ? body.secureJsonFields : {};
    const secureData = body.secureJsonData === undefined ? {} : stringMap(body.secureJsonData, 'secureJsonData');
    if (typeof body.name === 'string') {
      ds.name = body.name;
    }
    for (const k of ['url', 'user', 'database', 'basicAuthUser', 'access'] as const) {
      const v = body[k];
      if (typeof v === 'string') {
        ds[k] = v;
      }
    }
    if (typeof body.basicAuth === 'boolean') {
      ds.basicAuth = body.basicAuth;
    }
    if (typeof body.isDefault === 'boolean') {
      ds.isDefault = body.isDefault;
    }
    if (jsonData) {
      ds.jsonData = jsonData;
    }
    // Secrets: a value sets it; a field reset in the editor (secureJsonFields[k] === false) clears it.
    const secure = { ...ds.secureJsonData };
    for (const [k, on] of Object.entries(secureFields)) {
      if (on === false) {
        delete secure[k];
      }
    }
    for (const [k, v] of Object.entries(secureData)) {
      secure[k] = v;
    }
    ds.secureJsonData = secure;
    ds.version += 1;
    // A new lastUpdatedMS makes the SDK's instance manager build a fresh instance with the new settings.
    ds.updated = Math.max(Date.now(), ds.updated + 1);
    this.log(`data source ${ds.uid} saved (version ${ds.version}; kept in memory)`);
    return sendJSON(res, 200, {
      datasource: dataSourceDTO(ds),
      id: ds.id,
      uid: ds.uid,
      name: ds.name,
      message: 'Datasource updated',
    });
  }

  private async health(res: http.ServerResponse, ds: DataSourceSetting) {
    if (ds.type === 'prometheus') {
      try {
        const r = await fetch(new URL('api/v1/query?query=1%2B1', withSlash(ds.url)), {
          signal: AbortSignal.timeout(5000),
        });
        if (!r.ok) {
          throw new Error(`HTTP ${r.status}`);
        }
        return sendJSON(res, 200, { status: 'OK', message: 'Successfully queried the Prometheus API.' });
      } catch (e) {
        return sendJSON(res, 400, {
          status: 'ERROR',
          message: `Prometheus unreachable at ${ds.url}: ${errMessage(e)}`,
        });
      }
    }
    const be = this.backendFor(ds);
    try {
      const r = await be.unary<object, { status: string; message: string; jsonDetails?: Buffer }>(
        'diagnostics',
        'CheckHealth',
        { pluginContext: this.ctx(ds), headers: {} },
        30000
      );
      const out: { status: string; message: string; details?: unknown } = { status: r.status, message: r.message };
      if (r.jsonDetails && r.jsonDetails.length) {
        try {
          out.details = JSON.parse(r.jsonDetails.toString('utf8'));
        } catch {
          /* Grafana drops unparsable details too */
        }
      }
      return sendJSON(res, r.status === 'OK' ? 200 : 400, out);
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code === 12) {
        return sendJSON(res, 400, { status: 'UNKNOWN', message: 'Health check not implemented' });
      }
      const st = be.getStatus();
      const msg = st.state === 'running' ? errMessage(e) : `Plugin unavailable: ${st.message}`;
      return sendJSON(res, 500, { message: msg });
    }
  }

  private async resource(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ds: DataSourceSetting,
    rest: string,
    search: string
  ) {
    const method = req.method ?? 'GET';
    if (ds.type === 'prometheus') {
      return this.prometheus(req, res, ds, rest, search, method);
    }
    const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req, this.maxBody);
    const be = this.backendFor(ds);
    const headers: Record<string, { values: string[] }> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && k !== 'cookie') {
        headers[k] = { values: Array.isArray(v) ? v : [v] };
      }
    }
    const call = await be.serverStream('resource', 'CallResource', {
      pluginContext: this.ctx(ds),
      path: rest,
      method,
      url: rest + search,
      headers,
      body,
    });
    await new Promise<void>((resolve) => {
      let started = false;
      call.on('data', (m: { code: number; headers: Record<string, { values: string[] }>; body: Buffer }) => {
        if (!started) {
          started = true;
          const h: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) {
            if (k.toLowerCase() !== 'set-cookie') {
              h[k] = v.values;
            }
          }
          if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
            h['Content-Type'] = 'application/json';
          }
          h['X-Content-Type-Options'] = 'nosniff';
          res.writeHead(m.code || 200, h);
        }
        if (m.body && m.body.length) {
          res.write(m.body);
        }
      });
      call.on('error', (e: Error) => {
        if (!started) {
          sendJSON(res, 500, { message: `Failed to call resource: ${errMessage(e)}` });
        } else {
          res.end();
        }
        resolve();
      });
      call.on('end', () => {
        if (!started) {
          res.writeHead(204);
        }
        res.end();
        resolve();
      });
    });
  }

  /** Grafana's Prometheus resources: the read API only, to the configured URL only, answered as JSON or text. */
  private async prometheus(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ds: DataSourceSetting,
    rest: string,
    search: string,
    method: string
  ) {
    const target = promProxyTarget(ds.url, rest, search, method);
    if (!target.ok) {
      throw new HttpError(target.status, target.message);
    }
    let body: Buffer | undefined;
    if (method === 'POST') {
      if (mediaType(req.headers) !== 'application/x-www-form-urlencoded') {
        throw new HttpError(415, 'a Prometheus POST takes application/x-www-form-urlencoded');
      }
      body = await readBody(req, this.maxBody);
    }
    let r: Response;
    try {
      r = await fetch(target.url, {
        method,
        body: body ? new Uint8Array(body) : undefined,
        headers: {
          ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          Accept: 'application/json',
        },
        // A redirect could point anywhere: it is reported, never followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(60000),
      });
    } catch (e) {
      throw new HttpError(502, `Prometheus unreachable at ${ds.url}: ${errMessage(e)}`);
    }
    if (r.status >= 300 && r.status < 400) {
      throw new HttpError(502, `Prometheus at ${ds.url} answered with a redirect (HTTP ${r.status}); not followed`);
    }
    const buf = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, promAnswerHeaders(r.headers.get('content-type')));
    res.end(buf);
  }

  private async dsQuery(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readJSONObject<MetricRequest>(req, this.maxBody);
    const queries = body.queries ?? [];
    if (!Array.isArray(queries) || !queries.every(isObject)) {
      throw new HttpError(400, 'bad request data: queries must be a list of objects');
    }
    if (!queries.length) {
      throw new HttpError(400, 'No queries found');
    }
    if (
      (body.from !== undefined && typeof body.from !== 'string') ||
      (body.to !== undefined && typeof body.to !== 'string')
    ) {
      throw new HttpError(400, 'bad request data: from and to must be strings');
    }
    let range;
    try {
      range = parseRange(body.from, body.to);
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
    // Group by data source uid, as Grafana's query service does, and merge the results.
    const groups = new Map<string, DsQuery[]>();
    for (const q of queries) {
      const ref = q.datasource as { uid?: string } | undefined;
      const uid = ref?.uid;
      if (!uid) {
        throw new HttpError(400, 'query has no datasource uid');
      }
      groups.set(uid, [...(groups.get(uid) ?? []), q]);
    }
    const all: Record<string, GrpcDataResponse> = {};
    for (const [uid, qs] of groups) {
      const ds = this.ds(uid);
      if (!this.backends.has(ds.type)) {
        for (const q of qs) {
          all[String(q.refId ?? 'A')] = {
            error: `the preview host runs ${ds.type} queries through its resources API only (/api/datasources/uid/${uid}/resources/api/v1/…)`,
            status: 400,
            errorSource: 'downstream',
          };
        }
        continue;
      }
      const be = this.backendFor(ds);
      const r = await be
        .unary<object, { responses: Record<string, GrpcDataResponse> }>('data', 'QueryData', {
          pluginContext: this.ctx(ds),
          headers: {},
          format: 'JSON',
          queries: qs.map((q) => ({
            refId: String(q.refId ?? 'A'),
            maxDataPoints: Number(q.maxDataPoints ?? 100),
            intervalMS: Number(q.intervalMs ?? 1000),
            timeRange: range,
            json: Buffer.from(JSON.stringify(q)),
            queryType: String(q.queryType ?? ''),
          })),
        })
        .catch((e: unknown) => {
          const st = be.getStatus();
          throw new HttpError(
            500,
            st.state === 'running' ? `Query data error: ${errMessage(e)}` : `Plugin unavailable: ${st.message}`
          );
        });
      Object.assign(all, r.responses ?? {});
    }
    const out = toHttpQueryResponse(all);
    return sendJSON(res, out.httpStatus, out.body);
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head: Buffer) => {
      socket.on('error', () => undefined);
      const url = req.url ?? '';
      if (url !== '/api/live/preview' && !url.startsWith('/api/live/preview?')) {
        socket.destroy();
        return;
      }
      // A WebSocket is not bound by the same-origin policy: without this any page could read the live streams.
      const why = !hostAllowed(req.headers.host, this.hostnames, this.port)
        ? 'Host not served here'
        : crossOrigin(req.headers);
      if (why) {
        this.log(`live: WebSocket refused (${why})`);
        socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
        return;
      }
      this.live.handleUpgrade(req, socket, head);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host, () => resolve());
    });
    // --port 0 (tests): the port the system chose is the one the Host check and the page's URLs use.
    const addr = this.server.address();
    if (addr && typeof addr === 'object') {
      this.port = addr.port;
      this.appUrl = `http://${this.opts.host}:${this.port}`;
    }
    if (this.opts.eagerBackends) {
      for (const [id, b] of this.backends) {
        b.start().catch((e: unknown) => this.log(`plugin ${id}: ${(e as Error).message}`));
      }
    }
  }

  async close(): Promise<void> {
    this.live.close();
    await Promise.all([...this.backends.values()].map((b) => b.stop().catch(() => undefined)));
    const closed = new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections();
    await closed;
  }
}

const SPINNER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2a10 10 0 1 0 10 10h-2a8 8 0 1 1-8-8z"/></svg>';
const STANDIN_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="4"/></svg>';

/**
 * Streams one file. It is opened before anything is sent (a file gone since the request was routed answers 404),
 * and a read that fails half-way (file truncated, I/O error) ends that response only, never the host.
 */
export async function serveFile(res: http.ServerResponse, file: string, type: string, what = file): Promise<void> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch {
    throw new HttpError(404, `not found: ${what}`);
  }
  try {
    if (!(await fh.stat()).isFile()) {
      throw new HttpError(404, `not found: ${what}`);
    }
  } catch (e) {
    await fh.close();
    throw e;
  }
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  const stream = fh.createReadStream();
  await new Promise<void>((resolve) => {
    stream.once('error', () => {
      // Headers are out: all that can be said now is that the response is incomplete.
      res.destroy();
      resolve();
    });
    stream.once('end', () => resolve());
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function safeJoin(root: string, rel: string): string | undefined {
  const p = path.resolve(root, decodeSegment(rel));
  return p.startsWith(path.resolve(root) + path.sep) ? p : undefined;
}

function jsonObject(v: unknown, what: string): JsonObject {
  if (!isObject(v)) {
    throw new HttpError(400, `bad request data: ${what} must be a JSON object`);
  }
  return v as JsonObject;
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new HttpError(400, `bad request data: ${what} must map names to strings`);
  }
  return v as Record<string, string>;
}

function withSlash(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}

function errMessage(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; details?: string; message?: string };
  return err.cause?.code ?? err.cause?.message ?? err.details ?? err.message ?? String(e);
}

/** Meta of the core data sources the browser may meet (only Prometheus is provisioned). */
function coreDataSourceMeta(type: string) {
  return {
    id: type,
    type: 'datasource',
    name: type === 'prometheus' ? 'Prometheus' : type,
    info: {
      author: { name: 'Grafana Labs' },
      description: type === 'prometheus' ? 'Open source time series database & alerting' : '',
      logos: { small: 'public/img/icons/unicons/database.svg', large: 'public/img/icons/unicons/database.svg' },
      links: [],
      screenshots: [],
      version: '',
      updated: '',
    },
    module: `core:plugin/${type}`,
    baseUrl: `public/app/plugins/datasource/${type}`,
    backend: true,
    metrics: true,
    alerting: true,
    annotations: true,
    builtIn: false,
  };
}

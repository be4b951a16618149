// The shell's pages: Grafana's chrome in miniature, the app root at /a/<id>/*, the plugin config page at
// /plugins/<id>, the data source settings page at /connections/datasources/edit/<uid>, and a panel route.
import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { Link, Route, Routes, useLocation, useParams } from 'react-router-dom';
import {
  AppPlugin,
  PageLayoutType,
  type AppPluginMeta,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type DataSourceSettings,
  type GrafanaTheme2,
  type KeyValue,
  type NavModelItem,
  type PluginMeta,
} from '@grafana/data';
import { selectors } from '@grafana/e2e-selectors';
import { config, getBackendSrv, getDataSourceSrv, locationService, type PluginPageProps } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, Icon, LoadingPlaceholder, useStyles2, type IconName } from '@grafana/ui';
import { importModule } from './amd';
import { loadDataSourcePlugin, type PreviewDataSourceSrv } from './dataSourceSrv';
import { DashboardListPage, DashboardPage } from './dashboard';
import { PreviewPanelRenderer, usePanelData } from './panel';

const APP_ID = 'veza-slo-app';

// ---------- chrome ----------

interface NavInclude {
  name: string;
  path: string;
  icon?: IconName;
  addToNav?: boolean;
}

function appNav(meta?: PluginMeta): NavInclude[] {
  const includes = (meta?.includes ?? []) as unknown as Array<NavInclude & { type: string }>;
  return includes
    .filter((i) => i.type === 'page' && i.addToNav)
    .map((i) => ({ ...i, path: i.path.replace('%PLUGIN_ID%', meta?.id ?? APP_ID) }));
}

const PageNavContext = React.createContext<NavInclude | undefined>(undefined);

export function Chrome({ children }: { children: React.ReactNode }) {
  const s = useStyles2(getChromeStyles);
  const location = useLocation();
  const [meta, setMeta] = useState<PluginMeta>();
  const [backend, setBackend] = useState<string>();
  useEffect(() => {
    getBackendSrv()
      .get<PluginMeta>(`/api/plugins/${APP_ID}/settings`)
      .then(setMeta, () => undefined);
  }, []);
  useEffect(() => {
    // The host restarts a dying backend and says so here, as Grafana's logs and health check would.
    const poll = () =>
      fetch('/api/preview/status')
        .then(
          (r) =>
            r.json() as Promise<{ backends: Record<string, { state: string; message: string; restarts?: number }> }>
        )
        .then((st) => {
          const bad = Object.entries(st.backends).find(([, b]) => b.state !== 'running' && b.state !== 'stopped');
          setBackend(
            bad
              ? `${bad[0]} backend ${bad[1].state === 'exited' ? 'restarting' : 'unavailable'}: ${bad[1].message}`
              : undefined
          );
        })
        .catch(() => undefined);
    void poll();
    const t = setInterval(poll, 5000);
    return () => clearInterval(t);
  }, []);
  const nav = appNav(meta);
  const active = nav
    .filter((n) => location.pathname === n.path || location.pathname.startsWith(n.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const theme = config.theme2.isDark ? 'light' : 'dark';
  return (
    <div className={s.layout}>
      <header className={s.header}>
        <Link to="/a/veza-slo-app/slos" className={s.brand}>
          <img src="/public/plugins/veza-slo-app/img/logo.svg" alt="" width={22} height={22} />
          <span>Veza SLO</span>
        </Link>
        <span className={s.badge}>preview host</span>
        <div className={s.spacer} />
        <Link to="/connections/datasources" className={s.headerLink}>
          Data sources
        </Link>
        <a href={`${location.pathname}?theme=${theme}`} className={s.headerLink} data-testid="preview-theme-toggle">
          <Icon name="adjust-circle" /> {theme} theme
        </a>
      </header>
      <div className={s.body}>
        <nav className={s.nav} aria-label="App pages">
          {nav.map((n) => (
            <Link key={n.path} to={n.path} className={n === active ? s.navActive : s.navItem}>
              {n.icon && <Icon name={n.icon} />} {n.name}
            </Link>
          ))}
        </nav>
        <main className={s.main}>
          {backend && (
            <Alert severity="warning" title="Data source backend" data-testid="preview-backend-status">
              {backend}
            </Alert>
          )}
          <PageNavContext.Provider value={active}>{children}</PageNavContext.Provider>
        </main>
      </div>
    </div>
  );
}

/** setPluginPage: Grafana's PluginPage is the page chrome around a plugin page (title, subtitle, actions). */
export function PreviewPluginPage({
  children,
  pageNav,
  subTitle,
  actions,
  layout,
  renderTitle,
  info,
}: PluginPageProps) {
  const s = useStyles2(getChromeStyles);
  const current = React.useContext(PageNavContext);
  const title = pageNav?.text ?? current?.name ?? '';
  if (layout === PageLayoutType.Custom) {
    return <>{children}</>;
  }
  return (
    <div className={layout === PageLayoutType.Canvas ? s.canvas : s.page}>
      <div className={s.pageHeader}>
        <div>
          {pageNav?.parentItem && <div className={s.breadcrumb}>{breadcrumb(pageNav)}</div>}
          {renderTitle ? renderTitle(title) : <h1 className={s.title}>{title}</h1>}
          {(subTitle ?? pageNav?.subTitle) && <div className={s.subTitle}>{subTitle ?? pageNav?.subTitle}</div>}
          {info && (
            <div className={s.info}>
              {info.map((i, k) => (
                <span key={k}>
                  {i.label}: {i.value}
                </span>
              ))}
            </div>
          )}
        </div>
        {actions && <div className={s.actions}>{actions}</div>}
      </div>
      {children}
    </div>
  );
}

function breadcrumb(item: NavModelItem): React.ReactNode {
  const chain: NavModelItem[] = [];
  let cur: NavModelItem | undefined = item.parentItem;
  while (cur) {
    chain.unshift(cur);
    cur = cur.parentItem;
  }
  return chain.map((c, i) => <span key={i}>{c.url ? <Link to={c.url}>{c.text}</Link> : c.text} › </span>);
}

// ---------- app root ----------

const appCache = new Map<string, Promise<AppPlugin>>();
function loadApp(meta: PluginMeta): Promise<AppPlugin> {
  let p = appCache.get(meta.id);
  if (!p) {
    p = importModule(meta.module).then((exports) => {
      const plugin = (exports as { plugin?: AppPlugin }).plugin;
      if (!plugin || !(plugin instanceof AppPlugin)) {
        throw new Error(`${meta.module} does not export an AppPlugin named "plugin"`);
      }
      plugin.init(meta);
      plugin.meta = meta;
      return plugin;
    });
    appCache.set(meta.id, p);
  }
  return p;
}

function useAppPlugin(id: string) {
  const [state, setState] = useState<{ plugin?: AppPlugin; meta?: AppPluginMeta; error?: string }>({});
  useEffect(() => {
    getBackendSrv()
      .get<AppPluginMeta>(`/api/plugins/${id}/settings`)
      .then(async (meta) => {
        const plugin = await loadApp(meta);
        plugin.meta = meta;
        setState({ plugin, meta });
      })
      .catch((e: { message?: string; data?: { message?: string } }) =>
        setState({ error: e.data?.message ?? e.message ?? String(e) })
      );
  }, [id]);
  return state;
}

export function AppRootPage() {
  const { pluginId = APP_ID } = useParams();
  const { plugin, meta, error } = useAppPlugin(pluginId);
  const location = useLocation();
  const query = useMemo(() => Object.fromEntries(new URLSearchParams(location.search)) as KeyValue, [location.search]);
  if (error) {
    return (
      <Alert severity="error" title={`App ${pluginId} failed to load`}>
        {error}
      </Alert>
    );
  }
  if (!plugin || !meta) {
    return <LoadingPlaceholder text="Loading app…" />;
  }
  if (!meta.enabled) {
    return (
      <Alert severity="info" title="App not enabled">
        Enable it on its <Link to={`/plugins/${pluginId}`}>configuration page</Link>.
      </Alert>
    );
  }
  const Root = plugin.root;
  if (!Root) {
    return <Alert title="This app has no root page" />;
  }
  return (
    <ErrorBoundaryAlert>
      <Root
        meta={meta}
        basename={`/a/${pluginId}`}
        onNavChanged={() => undefined}
        query={query}
        path={location.pathname}
      />
    </ErrorBoundaryAlert>
  );
}

export function PluginConfigPage() {
  const { pluginId = APP_ID } = useParams();
  const { plugin, meta, error } = useAppPlugin(pluginId);
  const s = useStyles2(getChromeStyles);
  const location = useLocation();
  const query = useMemo(() => Object.fromEntries(new URLSearchParams(location.search)) as KeyValue, [location.search]);
  if (error) {
    return <Alert title={`Plugin ${pluginId} failed to load`}>{error}</Alert>;
  }
  if (!plugin || !meta) {
    return <LoadingPlaceholder text="Loading plugin…" />;
  }
  const pages = plugin.configPages ?? [];
  const tab = pages.find((p) => p.id === query.page) ?? pages[0];
  return (
    <div className={s.page}>
      <div className={s.pageHeader}>
        <div>
          <h1 className={s.title}>{meta.name}</h1>
          <div className={s.subTitle}>
            {meta.info.description} · version {meta.info.version}
          </div>
        </div>
      </div>
      {pages.length > 1 && (
        <div className={s.tabs}>
          {pages.map((p) => (
            <Link key={p.id} to={`?page=${p.id}`}>
              {p.title}
            </Link>
          ))}
        </div>
      )}
      {tab ? (
        <ErrorBoundaryAlert>
          <tab.body plugin={plugin} query={query} />
        </ErrorBoundaryAlert>
      ) : (
        <Alert severity="info" title="This plugin has no configuration page" />
      )}
    </div>
  );
}

// ---------- data sources ----------

export function DataSourceListPage() {
  const s = useStyles2(getChromeStyles);
  const list = getDataSourceSrv().getList({});
  return (
    <div className={s.page}>
      <h1 className={s.title}>Data sources</h1>
      <ul className={s.dsList}>
        {list.map((d) => (
          <li key={d.uid}>
            <Link to={`/connections/datasources/edit/${d.uid}`}>{d.name}</Link>{' '}
            <span className={s.subTitle}>
              {d.type} · uid {d.uid}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface TestResult {
  status: string;
  message: string;
  details?: { message?: string; verboseMessage?: string; [k: string]: unknown };
}

export function DataSourceEditPage() {
  const { uid = '' } = useParams();
  const s = useStyles2(getChromeStyles);
  const [options, setOptions] = useState<DataSourceSettings>();
  const [plugin, setPlugin] = useState<DataSourcePlugin<DataSourceApi>>();
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<TestResult>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getBackendSrv()
      .get<DataSourceSettings>(`/api/datasources/uid/${uid}`)
      .then(async (ds) => {
        setOptions(ds);
        const settings = getDataSourceSrv().getInstanceSettings(uid);
        if (settings && !settings.meta.module.startsWith('core:')) {
          setPlugin(await loadDataSourcePlugin(settings.meta.module));
        }
      })
      .catch((e: { data?: { message?: string }; message?: string }) => setError(e.data?.message ?? e.message));
  }, [uid]);

  const saveAndTest = async () => {
    if (!options) {
      return;
    }
    setBusy(true);
    setResult(undefined);
    try {
      const saved = await getBackendSrv().put<{ datasource: DataSourceSettings }>(
        `/api/datasources/uid/${uid}`,
        options
      );
      setOptions(saved.datasource);
      const srv = getDataSourceSrv() as unknown as PreviewDataSourceSrv;
      const old = srv.getInstanceSettings(uid);
      if (old) {
        srv.update({
          ...old,
          name: saved.datasource.name,
          jsonData: saved.datasource.jsonData,
          url: old.url,
        } as DataSourceInstanceSettings);
      }
      const ds = await getDataSourceSrv().get({ uid });
      if (!ds.testDatasource) {
        setResult({ status: 'success', message: 'Saved' });
        return;
      }
      const r = (await ds.testDatasource()) as TestResult;
      setResult(r);
    } catch (e) {
      const err = e as { message?: string; data?: { message?: string }; details?: TestResult['details'] };
      setResult({ status: 'error', message: err.data?.message ?? err.message ?? 'Save failed', details: err.details });
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    return <Alert title="Data source not loaded">{error}</Alert>;
  }
  if (!options) {
    return <LoadingPlaceholder text="Loading data source…" />;
  }
  const Editor = plugin?.components.ConfigEditor;
  const severity = result?.status === 'success' || result?.status === 'OK' ? 'success' : 'error';
  return (
    <div className={s.page}>
      <div className={s.pageHeader}>
        <div>
          <h1 className={s.title}>{options.name}</h1>
          <div className={s.subTitle}>
            Type: {options.type} · uid {options.uid}
          </div>
        </div>
      </div>
      {Editor ? (
        <ErrorBoundaryAlert>
          <Editor options={options} onOptionsChange={setOptions} />
        </ErrorBoundaryAlert>
      ) : (
        <div className={s.subTitle}>
          URL: {options.url} (core data source: settings come from provisioning/datasources)
        </div>
      )}
      {result && (
        <div className={s.result} data-testid={selectors.pages.DataSource.alert}>
          <Alert severity={severity} title={result.message}>
            {result.details?.message && <div>{result.details.message}</div>}
            {result.details?.verboseMessage && <pre className={s.pre}>{result.details.verboseMessage}</pre>}
            {result.details && <DetailsList details={result.details} />}
          </Alert>
        </div>
      )}
      <div className={s.actionsRow}>
        <Button variant="secondary" onClick={() => locationService.push('/connections/datasources')}>
          Back
        </Button>
        <Button onClick={saveAndTest} disabled={busy} data-testid={selectors.pages.DataSource.saveAndTest}>
          {busy ? 'Testing…' : 'Save & test'}
        </Button>
      </div>
    </div>
  );
}

/** Health details beyond message/verboseMessage (e.g. one entry per component), shown as a list. */
function DetailsList({ details }: { details: Record<string, unknown> }) {
  const rest = Object.entries(details).filter(([k]) => k !== 'message' && k !== 'verboseMessage');
  if (!rest.length) {
    return null;
  }
  return (
    <ul data-testid="preview-health-details">
      {rest.map(([k, v]) => (
        <li key={k}>
          <strong>{k}</strong>: {typeof v === 'string' ? v : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

// ---------- panel route ----------

/** /preview/panel/<pluginId>?ds=<uid>&query=<json>: the panel through its own export, with real frames. */
export function PanelRoutePage() {
  const { pluginId = '' } = useParams();
  const location = useLocation();
  const s = useStyles2(getChromeStyles);
  const params = new URLSearchParams(location.search);
  const dsUid = params.get('ds') ?? 'pgha';
  const queries = useMemo(() => {
    // Default: everything live — topology and verdict on one snapshot cadence (banner and drawing agree), and the
    // last state changes re-sent whenever the monitor records one.
    const def =
      '[{"refId":"A","queryType":"topology","live":true},{"refId":"B","queryType":"status","live":true},{"refId":"C","queryType":"events","live":true,"limit":50}]';
    try {
      const q = JSON.parse(params.get('query') ?? def) as Record<string, unknown> | Array<Record<string, unknown>>;
      return (Array.isArray(q) ? q : [q]).map((x, i) => ({ refId: String.fromCharCode(65 + i), ...x }));
    } catch {
      return [{ refId: 'A' }];
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.search]);
  // A query given in the URL without live is run again every 10 s, as a dashboard refresh would. A panel that
  // declares skipDataQuery (the SLO panel reads Prometheus itself) gets no query, as in Grafana.
  const skip = (config.panels[pluginId] as { skipDataQuery?: boolean } | undefined)?.skipDataQuery === true;
  const data = usePanelData(skip ? '' : dsUid, skip ? [] : queries, undefined, 10_000);
  return (
    <div className={s.page}>
      <h1 className={s.title}>{config.panels[pluginId]?.name ?? pluginId}</h1>
      <div className={s.subTitle}>
        Panel {pluginId} · data source {dsUid} · {data.state}
      </div>
      {data.errors?.map((e, i) => (
        <Alert key={i} severity="error" title="Query error">
          {e.message}
        </Alert>
      ))}
      <div className={s.panelBox} data-testid="preview-panel">
        <PreviewPanelRenderer pluginId={pluginId} data={data} width={960} height={560} title="" />
      </div>
    </div>
  );
}

export function ShellRoutes() {
  return (
    <Routes>
      <Route path="/a/:pluginId/*" element={<AppRootPage />} />
      <Route path="/plugins/:pluginId" element={<PluginConfigPage />} />
      <Route path="/connections/datasources" element={<DataSourceListPage />} />
      <Route path="/connections/datasources/edit/:uid" element={<DataSourceEditPage />} />
      <Route path="/datasources/edit/:uid" element={<DataSourceEditPage />} />
      <Route path="/preview/panel/:pluginId" element={<PanelRoutePage />} />
      <Route path="/dashboards" element={<DashboardListPage />} />
      <Route path="/d/:uid/*" element={<DashboardPage />} />
      <Route path="*" element={<Alert title="Page not found" severity="warning" />} />
    </Routes>
  );
}

const getChromeStyles = (theme: GrafanaTheme2) => ({
  layout: css({
    display: 'flex',
    flexDirection: 'column',
    minHeight: '100vh',
    background: theme.colors.background.canvas,
    color: theme.colors.text.primary,
  }),
  header: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    height: 48,
    padding: theme.spacing(0, 2),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  brand: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.primary,
  }),
  badge: css({
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.pill,
    padding: theme.spacing(0, 1),
  }),
  spacer: css({ flex: 1 }),
  headerLink: css({
    color: theme.colors.text.secondary,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  }),
  body: css({ display: 'flex', flex: 1 }),
  nav: css({
    width: 220,
    padding: theme.spacing(2, 1),
    background: theme.colors.background.primary,
    borderRight: `1px solid ${theme.colors.border.weak}`,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  navItem: css({
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    '&:hover': { background: theme.colors.action.hover, color: theme.colors.text.primary },
  }),
  navActive: css({
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.primary,
    background: theme.colors.action.selected,
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
  }),
  main: css({ flex: 1, minWidth: 0, padding: theme.spacing(2, 3) }),
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: 1400 }),
  canvas: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  pageHeader: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
  }),
  breadcrumb: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  title: css({ ...theme.typography.h2, margin: 0 }),
  subTitle: css({ color: theme.colors.text.secondary }),
  info: css({ display: 'flex', gap: theme.spacing(2), color: theme.colors.text.secondary }),
  actions: css({ display: 'flex', gap: theme.spacing(1) }),
  actionsRow: css({ display: 'flex', gap: theme.spacing(1), marginTop: theme.spacing(2) }),
  tabs: css({ display: 'flex', gap: theme.spacing(2) }),
  dsList: css({ listStyle: 'none', padding: 0, display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  result: css({ maxWidth: 900 }),
  pre: css({ whiteSpace: 'pre-wrap' }),
  panelBox: css({
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    width: 962,
  }),
});

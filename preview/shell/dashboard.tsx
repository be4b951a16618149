// The dashboards the app ships, in the preview host: /dashboards lists them (GET /api/search) and /d/<uid> lays
// out a dashboard's grid as Grafana does (24 columns, 30 px rows, 8 px gaps). The project's own panels render live
// through their plugin export and data source; a stock Grafana panel is drawn by Grafana only, so its cell says
// which panel it is and which queries it runs (variables substituted), honestly, instead of imitating it.
import React, { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { Link, useLocation, useParams } from 'react-router-dom';
import { type DataQuery, type GrafanaTheme2 } from '@grafana/data';
import { config, getBackendSrv, locationService } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { PreviewPanelRenderer, usePanelData } from './panel';

// Grafana's dashboard grid (public/app/core/constants.ts: GRID_CELL_HEIGHT, GRID_CELL_VMARGIN, GRID_COLUMN_COUNT).
const CELL_HEIGHT = 30;
const GAP = 8;
const COLUMNS = 24;
const PANEL_HEADER = 32;

interface Ref {
  type?: string;
  uid?: string;
}
interface Target extends DataQuery {
  expr?: string;
  queryType?: string;
  legendFormat?: string;
}
interface Panel {
  type: string;
  options?: Record<string, unknown>;
  title?: string;
  description?: string;
  datasource?: Ref;
  targets?: Target[];
  gridPos: { x: number; y: number; w: number; h: number };
}
interface Variable {
  name: string;
  label?: string;
  type: string;
  datasource?: Ref;
  query?: string | { query?: string };
  current?: { value?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  description?: string;
  tags?: string[];
  panels?: Panel[];
  templating?: { list: Variable[] };
  annotations?: { list: Array<{ name: string; datasource?: Ref; target?: Target; builtIn?: number }> };
  links?: Array<{ title: string; type: string; url?: string }>;
}
interface SearchHit {
  uid: string;
  title: string;
  tags: string[];
  url: string;
}

export function DashboardListPage() {
  const s = useStyles2(getStyles);
  const [hits, setHits] = useState<SearchHit[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    getBackendSrv()
      .get<SearchHit[]>('/api/search', { type: 'dash-db' })
      .then(setHits, (e: Error) => setError(e.message));
  }, []);
  return (
    <div className={s.page}>
      <h1>Dashboards</h1>
      <p className={s.muted}>
        Shipped by the app (plugin.json includes); Grafana provisions them into the “Veza SLO” folder.
      </p>
      {error && <Alert title="Dashboards could not be listed">{error}</Alert>}
      {!hits && !error && <LoadingPlaceholder text="Loading dashboards…" />}
      <ul data-testid="dashboard-list">
        {hits?.map((h) => (
          <li key={h.uid}>
            <Link to={h.url}>{h.title}</Link> <span className={s.muted}>{h.tags.join(', ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The query variables' values: `label_values(metric, label)` through the data source proxy, as Grafana lists them. */
function useVariableValues(vars: Variable[]) {
  const [values, setValues] = useState<Record<string, string[]>>({});
  const key = JSON.stringify(vars);
  useEffect(() => {
    for (const v of vars.filter((x) => x.type === 'query' && x.datasource?.uid)) {
      const q = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(q);
      if (!m) {
        continue;
      }
      getBackendSrv()
        .get<{ data: string[] }>(`/api/datasources/proxy/uid/${v.datasource!.uid}/api/v1/label/${m[2]}/values`, {
          'match[]': m[1],
        })
        .then(
          (r) => setValues((old) => ({ ...old, [v.name]: r.data })),
          () => setValues((old) => ({ ...old, [v.name]: [] }))
        );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return values;
}

const substitute = (text: string, vars: Record<string, string>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (all, a: string | undefined, b: string | undefined) => vars[a ?? b!] ?? all);

export function DashboardPage() {
  const { uid = '' } = useParams();
  const location = useLocation();
  const s = useStyles2(getStyles);
  const [d, setD] = useState<Dashboard>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setD(undefined);
    getBackendSrv()
      .get<{ dashboard: Dashboard }>(`/api/dashboards/uid/${encodeURIComponent(uid)}`)
      .then(
        (r) => setD(r.dashboard),
        (e: Error & { data?: { message?: string } }) => setError(e.data?.message ?? e.message)
      );
  }, [uid]);
  const variables = useMemo(() => d?.templating?.list ?? [], [d]);
  const options = useVariableValues(variables);
  const params = new URLSearchParams(location.search);
  const chosen: Record<string, string> = {};
  for (const v of variables) {
    chosen[v.name] = params.get(`var-${v.name}`) ?? v.current?.value ?? options[v.name]?.[0] ?? '';
  }
  const grid = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = grid.current;
    if (!el) {
      return;
    }
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [d]);
  if (error) {
    return (
      <div className={s.page}>
        <Alert title={`Dashboard ${uid}`}>{error}</Alert>
      </div>
    );
  }
  if (!d) {
    return <LoadingPlaceholder text="Loading dashboard…" />;
  }
  const colWidth = (width - GAP * (COLUMNS - 1)) / COLUMNS;
  return (
    <div className={s.page}>
      <div className={s.header}>
        <h1 data-testid="dashboard-title">{d.title}</h1>
        {variables.map((v) => (
          <label key={v.name} className={s.variable}>
            {v.label ?? v.name}{' '}
            <select
              aria-label={`Variable ${v.name}`}
              value={chosen[v.name]}
              onChange={(e) => {
                const p = new URLSearchParams(location.search);
                p.set(`var-${v.name}`, e.target.value);
                locationService.push(`${location.pathname}?${p}`);
              }}
            >
              {[...new Set([chosen[v.name], ...(options[v.name] ?? [])])].filter(Boolean).map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
        ))}
        {d.links
          ?.filter((l) => l.type === 'link' && l.url)
          .map((l) => (
            <Link key={l.title} to={substitute(l.url!, chosen)}>
              {l.title}
            </Link>
          ))}
      </div>
      {d.description && <p className={s.muted}>{d.description}</p>}
      <p className={s.muted} data-testid="dashboard-annotations">
        Annotations:{' '}
        {(d.annotations?.list ?? [])
          .filter((a) => !a.builtIn)
          .map((a) => `${a.name} (${a.datasource?.uid}: ${a.target?.queryType ?? 'query'})`)
          .join(', ') || 'none'}
      </p>
      <div
        ref={grid}
        className={s.grid}
        data-testid="dashboard-grid"
        style={{ height: gridRows(d.panels ?? []) * (CELL_HEIGHT + GAP) }}
      >
        {width > 0 &&
          (d.panels ?? []).map((p, i) => {
            const g = p.gridPos;
            const style = {
              left: g.x * (colWidth + GAP),
              top: g.y * (CELL_HEIGHT + GAP),
              width: g.w * colWidth + (g.w - 1) * GAP,
              height: g.h * CELL_HEIGHT + (g.h - 1) * GAP,
            };
            return (
              <section
                key={i}
                className={p.type === 'row' ? s.row : s.cell}
                style={style}
                data-testid="dashboard-panel"
                data-panel-type={p.type}
                aria-label={p.title}
              >
                {p.type === 'row' ? (
                  <h2 className={s.rowTitle}>{p.title}</h2>
                ) : config.panels[p.type] ? (
                  <OurPanel panel={p} width={style.width} height={style.height} vars={chosen} />
                ) : (
                  <StockPanel panel={p} vars={chosen} />
                )}
              </section>
            );
          })}
      </div>
    </div>
  );
}

const gridRows = (panels: Panel[]) => Math.max(0, ...panels.map((p) => p.gridPos.y + p.gridPos.h));

function OurPanel(props: { panel: Panel; width: number; height: number; vars: Record<string, string> }) {
  // A panel without queries (the SLO panel reads Prometheus itself, skipDataQuery) gets no data source request.
  return props.panel.targets?.length ? <QueriedPanel {...props} /> : <PanelBody {...props} data={undefined} />;
}

function QueriedPanel(props: { panel: Panel; width: number; height: number; vars: Record<string, string> }) {
  const { panel, vars } = props;
  const uid = panel.datasource?.uid ?? '';
  const targets = useMemo(
    () =>
      (panel.targets ?? []).map(
        ({ datasource: _, ...t }) => JSON.parse(substitute(JSON.stringify(t), vars)) as DataQuery
      ),
    [panel.targets, vars]
  );
  const data = usePanelData(uid, targets, 24 * 3_600_000, 30_000);
  return <PanelBody {...props} data={data} />;
}

function PanelBody({
  panel,
  width,
  height,
  data,
}: {
  panel: Panel;
  width: number;
  height: number;
  data: ReturnType<typeof usePanelData> | undefined;
}) {
  const s = useStyles2(getStyles);
  return (
    <>
      <h3 className={s.panelTitle} title={panel.description}>
        {panel.title}
      </h3>
      {data?.errors?.map((e, i) => (
        <Alert key={i} severity="error" title="Query error">
          {e.message}
        </Alert>
      ))}
      <PreviewPanelRenderer
        pluginId={panel.type}
        data={data}
        options={panel.options}
        width={width - 16}
        height={height - PANEL_HEADER - 8}
        title={panel.title ?? ''}
      />
    </>
  );
}

function StockPanel({ panel, vars }: { panel: Panel; vars: Record<string, string> }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.stock} data-testid="stock-panel">
      <h3 className={s.panelTitle}>{panel.title}</h3>
      <p className={s.muted}>
        Stock Grafana panel <code>{panel.type}</code>: Grafana draws it; the preview host shows what it runs.
      </p>
      {panel.description && <p>{panel.description}</p>}
      <ol className={s.queries}>
        {(panel.targets ?? []).map((t, i) => (
          <li key={i} data-testid="stock-panel-query">
            <span className={s.muted}>
              {t.refId} · {(t.datasource ?? panel.datasource)?.uid}
              {t.legendFormat ? ` · ${t.legendFormat}` : ''}
            </span>
            <code>
              {t.expr !== undefined ? substitute(t.expr, vars) : JSON.stringify({ ...t, datasource: undefined })}
            </code>
          </li>
        ))}
      </ol>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2, 3) }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), flexWrap: 'wrap' }),
  variable: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  grid: css({ position: 'relative', width: '100%' }),
  cell: css({
    position: 'absolute',
    overflow: 'hidden',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0, 1, 1),
  }),
  row: css({ position: 'absolute', display: 'flex', alignItems: 'center' }),
  rowTitle: css({ fontSize: theme.typography.h5.fontSize, margin: 0 }),
  panelTitle: css({
    fontSize: theme.typography.body.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    margin: 0,
    height: PANEL_HEADER,
    lineHeight: `${PANEL_HEADER}px`,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  stock: css({ height: '100%', overflow: 'auto' }),
  queries: css({
    paddingLeft: theme.spacing(2),
    code: {
      display: 'block',
      whiteSpace: 'pre-wrap',
      wordBreak: 'break-all',
      fontSize: theme.typography.bodySmall.fontSize,
    },
  }),
});

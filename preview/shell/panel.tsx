// Renders a panel plugin through its own export (PanelPlugin.panel) with real data: used for @grafana/runtime's
// PanelRenderer and for the shell's panel route /preview/panel/<pluginId>.
import React, { useEffect, useMemo, useState } from 'react';
import { lastValueFrom, Subscription } from 'rxjs';
import {
  EventBusSrv,
  FieldConfigSource,
  LoadingState,
  PanelOptionsEditorBuilder,
  PanelPlugin,
  getDefaultTimeRange,
  standardEditorsRegistry,
  type DataQueryRequest,
  type DataQuery,
  type PanelData,
  type TimeRange,
  dateTime,
} from '@grafana/data';
import { config, getDataSourceSrv, type PanelRendererProps } from '@grafana/runtime';
import { ErrorBoundaryAlert, LoadingPlaceholder } from '@grafana/ui';
import { importModule } from './amd';

const panelCache = new Map<string, PanelPlugin>();

export async function importPanelPlugin(id: string): Promise<PanelPlugin> {
  const cached = panelCache.get(id);
  if (cached) {
    return cached;
  }
  const meta = config.panels[id];
  if (!meta) {
    throw new Error(`panel plugin ${id} is not installed`);
  }
  const exports = (await importModule(meta.module)) as { plugin?: PanelPlugin };
  if (!exports.plugin || !(exports.plugin instanceof PanelPlugin)) {
    throw new Error(`${meta.module} does not export a PanelPlugin named "plugin"`);
  }
  exports.plugin.meta = { ...exports.plugin.meta, ...meta };
  panelCache.set(id, exports.plugin);
  return exports.plugin;
}

export function getPanelPluginFromCache(id: string): PanelPlugin | undefined {
  return panelCache.get(id);
}

/**
 * Grafana registers its option editors at startup; a panel's options builder looks each one up by id. The shell
 * shows no options pane, so each id gets an editor that renders nothing: only the defaults matter here.
 */
const EDITOR_IDS = [
  'number',
  'slider',
  'text',
  'strings',
  'boolean',
  'radio',
  'select',
  'multiSelect',
  'unit',
  'color',
  'field-name',
  'links',
  'dashboard-uid',
  'mappings',
  'thresholds',
  'fieldColor',
  'stats-picker',
  'data-links',
  'timezone',
  'custom',
  'interval',
  'date-time',
];
let editorsRegistered = false;
export function registerOptionEditors() {
  if (editorsRegistered) {
    return;
  }
  editorsRegistered = true;
  standardEditorsRegistry.setInit(() => EDITOR_IDS.map((id) => ({ id, name: id, editor: () => null })));
}

/** The plugin's option defaults, read from its own options builder. */
export function defaultOptions(plugin: PanelPlugin): Record<string, unknown> {
  registerOptionEditors();
  const builder = new PanelOptionsEditorBuilder<Record<string, unknown>>();
  const supplier = plugin.getPanelOptionsSupplier();
  supplier(builder, { data: [] });
  const out: Record<string, unknown> = {};
  for (const item of builder.getItems()) {
    if (item.defaultValue !== undefined) {
      setPath(out, item.path, item.defaultValue);
    }
  }
  return out;
}

function setPath(o: Record<string, unknown>, p: string, v: unknown) {
  const parts = p.split('.');
  let cur = o;
  for (const k of parts.slice(0, -1)) {
    cur = (cur[k] ??= {}) as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = v;
}

const eventBus = new EventBusSrv();
const emptyFieldConfig: FieldConfigSource = { defaults: {}, overrides: [] };

/** Grafana's PanelRenderer contract: pluginId, data, options, width, height. */
export function PreviewPanelRenderer(props: PanelRendererProps) {
  const { pluginId, data, width, height, title, options, timeZone } = props;
  const [plugin, setPlugin] = useState<PanelPlugin>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    importPanelPlugin(pluginId).then(setPlugin, (e: Error) => setError(e.message));
  }, [pluginId]);
  const [opts, optsError] = useMemo(() => {
    if (!plugin) {
      return [{}, undefined];
    }
    try {
      return [{ ...defaultOptions(plugin), ...(options ?? {}) }, undefined];
    } catch (e) {
      return [options ?? {}, `options of ${pluginId}: ${(e as Error).message}`];
    }
  }, [plugin, options, pluginId]);
  if (optsError) {
    console.warn(optsError);
  }
  if (error) {
    return <div role="alert">{error}</div>;
  }
  if (!plugin || !plugin.panel) {
    return <LoadingPlaceholder text={`Loading ${pluginId}…`} />;
  }
  const Panel = plugin.panel;
  const panelData: PanelData = data ?? { state: LoadingState.NotStarted, series: [], timeRange: getDefaultTimeRange() };
  return (
    <ErrorBoundaryAlert>
      <Panel
        id={1}
        data={panelData}
        title={title ?? ''}
        timeRange={panelData.timeRange}
        timeZone={timeZone ?? 'browser'}
        options={opts}
        fieldConfig={props.fieldConfig ?? emptyFieldConfig}
        transparent={false}
        width={width}
        height={height}
        renderCounter={0}
        replaceVariables={(s: string) => s}
        onOptionsChange={(o) => props.onOptionsChange?.(o)}
        onFieldConfigChange={(c) => props.onFieldConfigChange?.(c)}
        onChangeTimeRange={() => undefined}
        eventBus={eventBus}
      />
    </ErrorBoundaryAlert>
  );
}

/**
 * Runs queries through the data source (DataSourceWithBackend.query → /api/ds/query, live stream if any). With
 * refreshMs the queries that do not stream are run again on that period, like a dashboard's refresh picker (the
 * live ones keep their stream).
 */
export function usePanelData(dsUid: string, queries: DataQuery[], rangeMs = 3_600_000, refreshMs?: number): PanelData {
  const key = JSON.stringify([dsUid, queries, rangeMs, refreshMs]);
  const [data, setData] = useState<PanelData>(() => ({
    state: LoadingState.Loading,
    series: [],
    timeRange: getDefaultTimeRange(),
  }));
  useEffect(() => {
    let sub: Subscription | undefined;
    let cancelled = false;
    let refreshStatic: ((series: PanelData['series']) => void) | undefined;
    const to = dateTime();
    const from = dateTime(to.valueOf() - rangeMs);
    const range: TimeRange = { from, to, raw: { from: 'now-1h', to: 'now' } };
    if (!queries.length) {
      // No query (a panel that skips data queries): nothing to ask any data source.
      setData({ state: LoadingState.Done, series: [], timeRange: range });
      return undefined;
    }
    getDataSourceSrv()
      .get({ uid: dsUid })
      .then((ds) => {
        if (cancelled) {
          return;
        }
        const request = {
          requestId: `preview-${dsUid}`,
          interval: '1s',
          intervalMs: 1000,
          maxDataPoints: 500,
          range,
          rangeRaw: range.raw,
          scopedVars: {},
          targets: queries.map((q) => ({ ...q, datasource: { uid: dsUid, type: ds.type } })),
          timezone: 'browser',
          app: 'panel-viewer',
          startTime: Date.now(),
        } as DataQueryRequest;
        const obs = ds.query(request);
        const o = 'subscribe' in obs ? obs : undefined;
        if (!o) {
          (obs as Promise<{ data: PanelData['series'] }>).then((r) =>
            setData({ state: LoadingState.Done, series: r.data, timeRange: range })
          );
          return;
        }
        // Like Grafana's runRequest: responses with a key (one per live channel) replace that key's frames;
        // the panel sees all keys' frames together.
        const byKey = new Map<string, PanelData['series']>();
        refreshStatic = (series) => {
          byKey.set('A', series);
          setData((d) => ({ ...d, series: [...byKey.values()].flat() }));
        };
        sub = o.subscribe({
          next: (r) => {
            byKey.set(r.key ?? 'A', r.data);
            setData({
              state: r.state ?? LoadingState.Done,
              series: [...byKey.values()].flat(),
              timeRange: range,
              errors: r.errors ?? (r.error ? [r.error] : undefined),
            });
          },
          error: (e: Error) =>
            setData({ state: LoadingState.Error, series: [], timeRange: range, errors: [{ message: e.message }] }),
        });
      })
      .catch((e: Error) =>
        setData({ state: LoadingState.Error, series: [], timeRange: range, errors: [{ message: e.message }] })
      );
    // The non-streaming queries again, every refreshMs: their frames replace the static part ('A').
    const staticTargets = queries.filter((q) => !(q as DataQuery & { live?: boolean }).live);
    const timer =
      refreshMs && staticTargets.length
        ? setInterval(() => {
            getDataSourceSrv()
              .get({ uid: dsUid })
              .then((ds) => {
                const now = dateTime();
                const r2: TimeRange = { from: dateTime(now.valueOf() - rangeMs), to: now, raw: range.raw };
                const obs = ds.query({
                  requestId: `preview-${dsUid}-refresh`,
                  interval: '1s',
                  intervalMs: 1000,
                  maxDataPoints: 500,
                  range: r2,
                  rangeRaw: r2.raw,
                  scopedVars: {},
                  targets: staticTargets.map((q) => ({ ...q, datasource: { uid: dsUid, type: ds.type } })),
                  timezone: 'browser',
                  app: 'panel-viewer',
                  startTime: Date.now(),
                } as DataQueryRequest);
                return 'subscribe' in obs ? lastValueFrom(obs) : obs;
              })
              .then((r) => {
                if (!cancelled && r && !r.error) {
                  refreshStatic?.(r.data);
                }
              })
              .catch(() => undefined); // the next tick tries again; the stream part keeps the page alive
          }, refreshMs)
        : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
      sub?.unsubscribe();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return data;
}

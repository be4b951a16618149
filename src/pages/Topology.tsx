import React, { useCallback, useEffect, useRef, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { dataFrameFromJSON, DataFrameJSON, DataQueryError, GrafanaTheme2, LoadingState } from '@grafana/data';
import { getBackendSrv, PluginPage } from '@grafana/runtime';
import { Alert, TextLink, useStyles2 } from '@grafana/ui';
import { eventsFromFrames } from '../api/pgha';
import { useAppSettings } from '../components/settingsContext';
import { FormationEpisodes } from '../components/slo/FormationEpisodes';
import { testIds } from '../components/testIds';
import { usePolling } from '../components/usePolling';
import { Topology } from '../panels/topology/Topology';
import { formationEpisodes } from '../slo/episodes';

interface DsQueryResponse {
  results?: Record<string, { frames?: DataFrameJSON[]; error?: string }>;
}

const QUERY_TYPES = ['topology', 'status', 'events'] as const;

/** Reads the formation through /api/ds/query: the same three queries the topology panel runs on a dashboard. */
async function loadTopology(uid: string, signal: AbortSignal) {
  const to = Date.now();
  const res = await lastValueFrom(
    getBackendSrv().fetch<DsQueryResponse>({
      url: '/api/ds/query',
      method: 'POST',
      showErrorAlert: false,
      data: {
        from: String(to - 24 * 3600000),
        to: String(to),
        queries: QUERY_TYPES.map((q) => ({
          refId: q,
          queryType: q,
          datasource: { uid, type: 'veza-pgha-datasource' },
          // Enough rows for a day of episodes (a failover is ~18); the panel itself shows the last 10.
          ...(q === 'events' ? { limit: 1000 } : {}),
        })),
      },
    })
  ).catch((e: { status?: number; data?: { message?: string }; message?: string }) => {
    throw new Error(
      `The Postgres HA data source "${uid}" did not answer${e.status ? ` (HTTP ${e.status})` : ''}: ${e.data?.message ?? e.message ?? 'no reason given'}.`
    );
  });
  if (signal.aborted) {
    return { series: [], errors: [], episodes: [] };
  }
  const series = [];
  const errors: DataQueryError[] = [];
  for (const [refId, r] of Object.entries(res.data?.results ?? {})) {
    if (r.error) {
      errors.push({ refId, message: r.error });
    }
    for (const f of r.frames ?? []) {
      series.push({ ...dataFrameFromJSON(f), refId });
    }
  }
  const episodes = formationEpisodes(eventsFromFrames(res.data?.results?.events?.frames ?? []));
  return { series, errors, episodes };
}

function useSize() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 1000, height: 640 });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const ro = new ResizeObserver(([e]) => {
      const width = Math.floor(e.contentRect.width);
      if (width > 0) {
        setSize({ width, height: Math.max(480, Math.min(760, Math.round(width * 0.6))) });
      }
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, ...size };
}

/** The Postgres HA view: the topology panel's component in a page, with the last formation events. */
function TopologyPage() {
  const s = useStyles2(getStyles);
  const { pghaUid } = useAppSettings();
  const { ref, width, height } = useSize();
  const load = useCallback((signal: AbortSignal) => loadTopology(pghaUid!, signal), [pghaUid]);
  const { data, error, loading } = usePolling(load, pghaUid ?? '', pghaUid ? 5000 : undefined);
  const errors: DataQueryError[] = [
    ...(data?.errors ?? []),
    ...(error ? [{ message: error instanceof Error ? error.message : String(error) }] : []),
  ];

  return (
    <PluginPage subTitle="pg_auto_failover formation and the PgBouncer in front of it">
      <div data-testid={testIds.pages.Topology} ref={ref} className={s.wrap}>
        {!pghaUid ? (
          <Alert severity="info" title="No Postgres HA data source set">
            Pick a Veza PG HA data source in the{' '}
            <TextLink href="/plugins/veza-slo-app" inline>
              app configuration
            </TextLink>{' '}
            to see the formation here.
          </Alert>
        ) : (
          <Topology
            series={data?.series ?? []}
            state={loading && !data ? LoadingState.Loading : errors.length ? LoadingState.Error : LoadingState.Done}
            errors={errors}
            width={width}
            height={height}
            eventCount={10}
          />
        )}
      </div>
      {data && data.episodes.length > 0 && (
        <section className={s.episodes} aria-label="Formation changes in the last 24 hours">
          <h3 className={s.h3}>Formation changes in the last 24 hours</h3>
          <FormationEpisodes episodes={data.episodes} />
        </section>
      )}
    </PluginPage>
  );
}

export default TopologyPage;

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ width: '100%', minHeight: 480, marginBottom: theme.spacing(2) }),
  h3: css({ fontSize: theme.typography.h4.fontSize }),
  episodes: css({
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});

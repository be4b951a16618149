import React, { useCallback, useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dataFrameFromJSON, DataFrameJSON, DataQueryError, GrafanaTheme2, LoadingState } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, TextLink, useStyles2 } from '@grafana/ui';
import { backendSrv } from '../api/client';
import { eventsFromFrames, loadFailoverObjective, queryPgha } from '../api/pgha';
import { useAppSettings } from '../components/settingsContext';
import { FailoverObjectiveCard } from '../components/slo/FailoverObjectiveCard';
import { FormationEpisodes } from '../components/slo/FormationEpisodes';
import { StaleBanner } from '../components/states/PageStates';
import { testIds } from '../components/testIds';
import { useNow, usePolling } from '../components/usePolling';
import { Topology } from '../panels/topology/Topology';
import { formationEpisodes } from '../slo/episodes';

/** Reads the formation through /api/ds/query: the same three queries the topology panel runs on a dashboard. */
async function loadTopology(uid: string, signal: AbortSignal) {
  const to = Date.now();
  // Enough events for a day of episodes (a failover is ~18 rows); the panel itself shows the last 10.
  const results = await queryPgha(
    backendSrv(),
    uid,
    [{ queryType: 'topology' }, { queryType: 'status' }, { queryType: 'events', limit: 1000 }],
    to - 24 * 3600000,
    to,
    'the formation'
  );
  if (signal.aborted) {
    return { series: [], errors: [], episodes: [] };
  }
  const series = [];
  const errors: DataQueryError[] = [];
  for (const [refId, r] of Object.entries(results)) {
    if (r.error) {
      errors.push({ refId, message: r.error });
    }
    for (const f of r.frames) {
      series.push({ ...dataFrameFromJSON(f as DataFrameJSON), refId });
    }
  }
  const episodes = formationEpisodes(eventsFromFrames(results.events?.frames ?? []));
  return { series, errors, episodes };
}

const OBJECTIVE_RANGE_MS = 30 * 24 * 3600000;

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
  const { data, dataAt, error, errorAt, loading } = usePolling(load, pghaUid ?? '', pghaUid ? 5000 : undefined);
  const now = useNow(5000);
  const loadObj = useCallback(
    (_: AbortSignal) =>
      pghaUid
        ? loadFailoverObjective(backendSrv(), pghaUid, Date.now() - OBJECTIVE_RANGE_MS, Date.now())
        : Promise.resolve(undefined),
    [pghaUid]
  );
  const objective = usePolling(loadObj, pghaUid ?? '', pghaUid ? 60_000 : undefined);
  // The request itself failed (backend restarting, host gone): the drawing is the last answer, say how old.
  const stale = !!data && !!error && (errorAt ?? 0) >= (dataAt ?? 0);
  const errors: DataQueryError[] = [
    ...(data?.errors ?? []),
    ...(error ? [{ message: error instanceof Error ? error.message : String(error) }] : []),
  ];

  return (
    <PluginPage subTitle="pg_auto_failover formation and the PgBouncer in front of it">
      {stale && <StaleBanner since={dataAt!} error={error} now={now} />}
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
      {objective.data && <FailoverObjectiveCard view={objective.data} rangeLabel="in the last 30 days" />}
      {!objective.data && objective.error !== undefined && pghaUid && (
        <Alert severity="warning" title="Failover objective unavailable">
          {objective.error instanceof Error ? objective.error.message : String(objective.error)}
        </Alert>
      )}
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

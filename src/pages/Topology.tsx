import React, { useCallback, useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, LoadingState } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, TextLink, useStyles2 } from '@grafana/ui';
import { loadEpisodes, loadFailoverObjective } from '../api/pgha';
import { QueryType, type PghaQuery } from '../datasource/types';
import { useAppSettings } from '../components/settingsContext';
import { FailoverObjectiveCard } from '../components/slo/FailoverObjectiveCard';
import { FormationEpisodes } from '../components/slo/FormationEpisodes';
import { StaleBanner } from '../components/states/PageStates';
import { testIds } from '../components/testIds';
import { usePghaLive } from '../components/usePghaLive';
import { useNow, usePolling } from '../components/usePolling';
import { Topology } from '../panels/topology/Topology';

/** The topology panel's own queries, live: Grafana Live pushes every snapshot the backend reads. */
const LIVE_QUERIES: PghaQuery[] = [
  { refId: 'topology', queryType: QueryType.Topology, live: true },
  { refId: 'status', queryType: QueryType.Status, live: true },
  { refId: 'events', queryType: QueryType.Events, limit: 10, live: true },
];
const LIVE_KEY = JSON.stringify(LIVE_QUERIES);

/** The backend sends a snapshot every poll interval (seconds): this much silence means the stream is gone. */
const SILENT_MS = 20_000;

const DAY_MS = 24 * 3600000;

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
  const live = usePghaLive(pghaUid, LIVE_QUERIES, LIVE_KEY, DAY_MS);
  const now = useNow(5000);
  const loadEps = useCallback((_: AbortSignal) => loadEpisodes(pghaUid!, Date.now() - DAY_MS, Date.now()), [pghaUid]);
  const episodes = usePolling(loadEps, pghaUid ?? '', pghaUid ? 15_000 : undefined);
  const loadObj = useCallback(
    (_: AbortSignal) =>
      pghaUid
        ? loadFailoverObjective(pghaUid, Date.now() - OBJECTIVE_RANGE_MS, Date.now())
        : Promise.resolve(undefined),
    [pghaUid]
  );
  const objective = usePolling(loadObj, pghaUid ?? '', pghaUid ? 60_000 : undefined);
  // The stream failed or went silent: the drawing is the last snapshot it carried, say how old.
  const silent = live.dataAt !== undefined && now - live.dataAt > SILENT_MS;
  const failing = live.error !== undefined && (live.errorAt ?? 0) >= (live.dataAt ?? 0);
  const stale = live.dataAt !== undefined && (failing || silent);
  const staleWhy = failing
    ? live.error
    : `no update from the Postgres HA data source for ${Math.round((now - live.dataAt!) / 1000)} s`;
  return (
    <PluginPage subTitle="pg_auto_failover formation and the PgBouncer in front of it">
      {stale && <StaleBanner since={live.dataAt!} error={new Error(staleWhy)} now={now} />}
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
            series={live.series}
            state={live.state === LoadingState.Loading && !live.dataAt ? LoadingState.Loading : live.state}
            errors={live.errors.length ? live.errors : live.error ? [{ message: live.error }] : []}
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
      {episodes.data && episodes.data.length > 0 && (
        <section className={s.episodes} aria-label="Formation changes in the last 24 hours">
          <h3 className={s.h3}>Formation changes in the last 24 hours</h3>
          <FormationEpisodes episodes={episodes.data} />
        </section>
      )}
      {!episodes.data && episodes.error !== undefined && pghaUid && (
        <Alert severity="warning" title="Formation changes unavailable">
          {episodes.error instanceof Error ? episodes.error.message : String(episodes.error)}
        </Alert>
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

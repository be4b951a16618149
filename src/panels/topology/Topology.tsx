import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { DataFrame, DataQueryError, dateTimeFormat, GrafanaTheme2, LoadingState } from '@grafana/data';
import { TimeZone } from '@grafana/schema';
import { LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { CompactTopology } from './components/CompactTopology';
import { EventList } from './components/EventList';
import { TopologyDrawing } from './components/TopologyDrawing';
import { VerdictBanner } from './components/VerdictBanner';
import { chooseLayout } from './layout';
import { FRAME, STATUS } from './fields';
import { frameNamed } from './frames';
import { isEmpty, LastKnown, rememberable, toView, withLastKnown } from './model';
import { topologyTestIds } from './testIds';

export interface TopologyProps {
  /** Frames of the topology, status and events queries of veza-pgha-datasource, in any order. */
  series: DataFrame[];
  state?: LoadingState;
  errors?: DataQueryError[];
  width: number;
  height: number;
  /** How many of the last state changes to list (0 hides the list). */
  eventCount?: number;
  timeZone?: TimeZone;
}

/**
 * The Postgres HA topology: verdict banner, drawing (or chips in a small tile) and last events.
 * Exported for the app's Topology page, which runs the same queries and passes the frames.
 */
export function Topology({ series, state, errors, width, height, eventCount = 5, timeZone }: TopologyProps) {
  const layout = chooseLayout(width, height);
  const styles = useStyles2(getStyles, layout.fontPx, layout.events);
  const current = useMemo(() => toView(series), [series]);
  const [lastKnown, setLastKnown] = useState<LastKnown | undefined>(undefined);
  // Remember the latest drawing that had roles in it (state adjusted while rendering, see
  // react.dev "storing information from previous renders"), to fall back on when they go missing.
  if (rememberable(current) && lastKnown?.view !== current) {
    setLastKnown({ view: current, at: readAt(series) });
  }
  const view = useMemo(() => withLastKnown(current, lastKnown), [current, lastKnown]);

  const error = errorText(errors);

  if (isEmpty(view)) {
    if (state === LoadingState.Loading || state === LoadingState.NotStarted) {
      return (
        <div className={styles.center} style={{ width, height }} data-testid={topologyTestIds.loading}>
          <LoadingPlaceholder text="Reading the formation…" />
        </div>
      );
    }
    if (!error) {
      return (
        <div className={styles.center} style={{ width, height }} data-testid={topologyTestIds.noData}>
          <div>
            <div className={styles.emptyTitle}>No topology data</div>
            <div className={styles.emptyHint}>
              Query the Veza PG HA data source with the topology, status and events query types.
            </div>
          </div>
        </div>
      );
    }
  }

  const showEvents = layout.events !== 'none' && eventCount > 0;
  return (
    <div className={styles.panel} style={{ width, height }} data-testid={topologyTestIds.panel}>
      <VerdictBanner
        status={view.status}
        error={view.status ? undefined : error}
        fontPx={layout.fontPx}
        compact={layout.compact}
      />
      {view.stale && (
        <div className={styles.stale} data-testid={topologyTestIds.stale}>
          {view.staleSince !== undefined
            ? `Last known roles, as of ${dateTimeFormat(view.staleSince, { format: 'HH:mm:ss', timeZone })}`
            : 'Last known roles: the monitor did not answer'}
        </div>
      )}
      {view.status && error && (
        <div className={styles.error} data-testid={topologyTestIds.error}>
          {error}
        </div>
      )}
      <div className={styles.body}>
        {layout.compact ? (
          <CompactTopology view={view} fontPx={layout.fontPx} />
        ) : (
          <div className={styles.drawing}>{view.nodes.length > 0 && <TopologyDrawing view={view} />}</div>
        )}
        {showEvents && (
          <div className={styles.events}>
            <EventList events={view.events} count={eventCount} fontPx={layout.fontPx} timeZone={timeZone} />
          </div>
        )}
      </div>
    </div>
  );
}

/** When the backend read the formation: the status frame's time, else the time this data arrived. */
function readAt(series: DataFrame[]): number {
  const status = frameNamed(series, FRAME.status);
  const t = status?.fields.find((f) => f.name === STATUS.time)?.values[status.length - 1];
  return typeof t === 'number' ? t : Date.now();
}

/** Query errors as one line; the backend already keeps passwords and DSNs out of them. */
function errorText(errors: DataQueryError[] | undefined): string | undefined {
  const msgs = (errors ?? []).map((e) => e.message ?? e.data?.message).filter((m): m is string => Boolean(m));
  return msgs.length ? Array.from(new Set(msgs)).join(' · ') : undefined;
}

function getStyles(theme: GrafanaTheme2, fontPx: number, events: 'side' | 'below' | 'none') {
  return {
    panel: css({
      display: 'flex',
      flexDirection: 'column',
      gap: fontPx / 3,
      overflow: 'hidden',
      color: theme.colors.text.primary,
    }),
    body: css({
      display: 'flex',
      flexDirection: events === 'side' ? 'row' : 'column',
      gap: fontPx / 2,
      flex: '1 1 auto',
      minHeight: 0,
    }),
    drawing: css({ flex: '1 1 auto', minHeight: 0, minWidth: 0 }),
    events: css({
      flex: events === 'side' ? '0 0 34%' : '0 0 30%',
      minHeight: 0,
      minWidth: 0,
      display: 'flex',
    }),
    stale: css({
      fontSize: Math.max(12, fontPx * 0.85),
      fontWeight: theme.typography.fontWeightMedium,
      color: theme.colors.warning.text,
    }),
    error: css({ fontSize: Math.max(12, fontPx * 0.8), color: theme.colors.error.text }),
    center: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      textAlign: 'center',
      padding: theme.spacing(1),
    }),
    emptyTitle: css({ fontSize: fontPx * 1.2, fontWeight: theme.typography.fontWeightMedium }),
    emptyHint: css({ fontSize: Math.max(12, fontPx * 0.8), color: theme.colors.text.secondary }),
  };
}

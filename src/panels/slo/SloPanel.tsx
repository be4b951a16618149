import React, { useCallback, useEffect, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';
import { prometheusClient } from '../../api/client';
import { loadOverview } from '../../api/loaders';
import { SloGrid } from '../../components/slo/SloGrid';
import { sloPageState } from '../../components/states/PageStates';
import { useNow, usePolling } from '../../components/usePolling';
import { PLUGIN_ID } from '../../constants';
import { parseDuration } from '../../slo/duration';
import { parseIds } from '../../slo/selectViews';
import { sloPanelTestIds } from './testIds';
import { DEFAULT_OPTIONS, type SloPanelOptions } from './types';

/**
 * The Prometheus data source to read: the panel's option, else the one the Veza SLO app is configured with (so a
 * panel dropped on any dashboard works without settings). undefined while the app's settings are being read.
 */
function usePrometheusUid(option: string): { uid?: string; resolving: boolean } {
  const [appUid, setAppUid] = useState<string | null>();
  useEffect(() => {
    if (option) {
      return;
    }
    let live = true;
    getBackendSrv()
      .get<{ jsonData?: { prometheusUid?: string } }>(`/api/plugins/${PLUGIN_ID}/settings`)
      .then(
        (s) => live && setAppUid(s.jsonData?.prometheusUid ?? null),
        () => live && setAppUid(null)
      );
    return () => {
      live = false;
    };
  }, [option]);
  if (option) {
    return { uid: option, resolving: false };
  }
  return { uid: appUid ?? undefined, resolving: appUid === undefined };
}

/**
 * SLO tiles for any dashboard: the overview's loader (the same constant number of Prometheus requests whatever the
 * number of SLOs) and tiles, for the SLOs the options choose. It runs no panel query: it reads the rules API of the
 * chosen Prometheus on its own refresh, and again whenever the dashboard refreshes.
 */
export function SloPanel({ options, width, height, timeRange }: PanelProps<SloPanelOptions>) {
  const s = useStyles2(getStyles);
  const o = { ...DEFAULT_OPTIONS, ...options };
  const { uid, resolving } = usePrometheusUid(o.prometheusUid);
  const refreshMs = (parseDuration(o.refresh) ?? 60) * 1000;
  const now = useNow(5000);
  const load = useCallback((signal: AbortSignal) => loadOverview(prometheusClient(uid), signal), [uid]);
  const { data, dataAt, error, errorAt, reload } = usePolling(load, resolving ? '' : `${uid}`, refreshMs);

  // A dashboard refresh (or a new time range) moves timeRange.to: load again, except on the first render.
  const to = timeRange.to.valueOf();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [to]);

  const ids = parseIds(o.slos);
  const unknown = data ? ids.filter((id) => !data.slos.some((slo) => slo.id === id)) : [];

  const wall = o.size === 'wall';
  let body = resolving ? null : sloPageState(data, error, reload);
  if (!body && data) {
    body = (
      <>
        {unknown.length > 0 && (
          <Alert severity="warning" title="SLOs not found" data-testid={sloPanelTestIds.unknown}>
            The rules of this Prometheus have no SLO named {unknown.join(', ')} (panel option “SLOs”).
          </Alert>
        )}
        <SloGrid
          data={data}
          dataAt={dataAt!}
          error={error}
          errorAt={errorAt}
          now={now}
          wall={wall}
          wallUnit={wall ? height / 50 : undefined}
          ids={ids}
          order={o.order}
          testId={sloPanelTestIds.grid}
        />
      </>
    );
  }
  return (
    <div
      className={cx(s.panel, wall && s.wall)}
      style={{ width, height }}
      data-testid={sloPanelTestIds.panel}
      data-prometheus={uid ?? ''}
    >
      {body}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ overflow: 'auto', display: 'flex', flexDirection: 'column' }),
  wall: css({ fontSize: theme.typography.h5.fontSize }),
});

import React, { useCallback } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, locationUtil } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { loadFormationStatus } from '../../api/pgha';
import { VERDICT_LABEL } from '../../panels/topology/components/VerdictBanner';
import { toneColors } from '../../panels/topology/components/tones';
import type { Tone } from '../../panels/topology/model';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { testIds } from '../testIds';
import { usePolling } from '../usePolling';

/**
 * The formation's verdict in one line above the SLO tiles: a burning availability SLO next to "Failover in
 * progress" needs no further explanation on a NOC wall. Polled on its own, so a Prometheus outage does not hide it
 * (nor the other way round); it keeps its last answer, marked, when the data source stops answering.
 */
export function PostgresStrip({
  uid,
  kiosk,
  refreshMs = 10_000,
}: {
  uid: string;
  kiosk?: boolean;
  refreshMs?: number;
}) {
  const load = useCallback((_: AbortSignal) => loadFormationStatus(uid), [uid]);
  const { data, error, dataAt, errorAt } = usePolling(load, uid, refreshMs);
  const failing = !!error && (errorAt ?? 0) >= (dataAt ?? 0);
  // A verdict the data source no longer confirms is greyed and labelled as the last known one: a bold green
  // "Healthy" must never stand on a wall for a formation nobody can read any more.
  const stale = !!data && failing;
  const tone: Tone = stale ? 'unknown' : data ? data.tone : failing ? 'critical' : 'unknown';
  const theme = useTheme2();
  const c = toneColors(theme, tone);
  const s = useStyles2(getStyles, kiosk);
  const message = error instanceof Error ? error.message : String(error ?? '');
  return (
    <section
      className={s.strip}
      style={{ borderLeftColor: c.main, background: c.faint }}
      aria-label="Postgres HA"
      data-testid={testIds.overview.postgres}
      data-verdict={data?.verdict ?? (failing ? 'no answer' : 'loading')}
      data-stale={stale}
    >
      <span className={s.label}>Postgres HA</span>
      <strong style={{ color: c.text }}>
        {stale
          ? `Not updated — last known: ${VERDICT_LABEL[data.verdict]}`
          : data
            ? VERDICT_LABEL[data.verdict]
            : failing
              ? 'No answer'
              : 'Loading…'}
      </strong>
      <span className={s.reason} style={stale ? { color: theme.colors.text.secondary } : undefined}>
        {stale
          ? `No answer since ${new Date(dataAt!).toLocaleTimeString()}: ${message}`
          : data
            ? data.reason
            : failing
              ? message
              : ''}
        {data?.stale && !stale ? ' (last known roles)' : ''}
      </span>
      <span className={s.links}>
        {data && data.tone !== 'ok' && (
          <a href={locationUtil.assureBaseUrl(data.runbookUrl)} className={s.link}>
            Runbook
          </a>
        )}
        {!kiosk && (
          <a href={locationUtil.assureBaseUrl(`${PLUGIN_BASE_URL}/${ROUTES.Topology}`)} className={s.link}>
            Topology
          </a>
        )}
      </span>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2, kiosk?: boolean) => ({
  strip: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1.5),
    minHeight: kiosk ? 56 : 40, // same height loading, answered or failing: no layout jump under it
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
    borderLeft: '6px solid',
    borderRadius: theme.shape.radius.default,
    fontSize: kiosk ? theme.typography.h3.fontSize : theme.typography.body.fontSize,
  }),
  label: css({ color: theme.colors.text.secondary }),
  reason: css({ flex: 1, color: theme.colors.text.primary, minWidth: 200 }),
  links: css({ display: 'flex', gap: theme.spacing(2) }),
  link: css({ color: theme.colors.text.link }),
});

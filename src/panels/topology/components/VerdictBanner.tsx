import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, locationUtil } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { StatusView } from '../model';
import { topologyTestIds } from '../testIds';
import { toneColors } from './tones';

interface Props {
  status?: StatusView;
  /** Shown instead of the reason when the query failed (the verdict is then unknown). */
  error?: string;
  fontPx: number;
  compact: boolean;
}

export const VERDICT_LABEL: Record<StatusView['verdict'], string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  'failover in progress': 'Failover in progress',
  wedged: 'Wedged',
  'routing stale': 'PgBouncer routing stale',
  'monitor unreachable': 'Monitor unreachable',
  unknown: 'Verdict unknown',
};

/** The one line on-call reads first: the verdict, why, and the runbook to open. */
export function VerdictBanner({ status, error, fontPx, compact }: Props) {
  const tone = status ? status.tone : error ? 'critical' : 'unknown';
  const styles = useStyles2(getStyles, tone, fontPx);
  const verdict = status ? VERDICT_LABEL[status.verdict] : error ? 'Cannot read the formation' : 'No verdict';
  const reason = error ?? status?.reason ?? 'Add a "status" query from the Veza PG HA data source to get the verdict.';
  const runbook = locationUtil.assureBaseUrl(status?.runbookUrl ?? '/a/veza-slo-app/runbooks/db-failover');
  const showRunbook = (status && status.verdict !== 'healthy') || Boolean(error);
  return (
    <div className={styles.banner} data-testid={topologyTestIds.banner} role="status" aria-live="polite">
      <div className={styles.verdict} data-testid={topologyTestIds.verdict}>
        {verdict}
      </div>
      {(!compact || !status || status.verdict !== 'healthy') && (
        <div className={styles.reason} data-testid={topologyTestIds.reason} title={reason}>
          {reason}
        </div>
      )}
      {showRunbook && (
        <a className={styles.runbook} href={runbook} data-testid={topologyTestIds.runbook}>
          Runbook: DB failover
        </a>
      )}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2, tone: Parameters<typeof toneColors>[1], fontPx: number) {
  const c = toneColors(theme, tone);
  const calm = tone === 'ok';
  return {
    banner: css({
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'baseline',
      columnGap: fontPx,
      rowGap: fontPx / 4,
      padding: `${fontPx / 3}px ${fontPx / 2}px`,
      borderRadius: theme.shape.radius.default,
      // Healthy stays quiet (outline); anything else fills the banner so it shows across a room.
      background: calm ? c.faint : c.main,
      color: calm ? c.text : c.contrast,
      border: `2px solid ${c.main}`,
    }),
    verdict: css({ fontSize: fontPx * 1.6, fontWeight: theme.typography.fontWeightBold, lineHeight: 1.1 }),
    reason: css({
      fontSize: fontPx,
      flex: '1 1 20ch',
      minWidth: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      display: '-webkit-box',
      WebkitLineClamp: 2,
      WebkitBoxOrient: 'vertical',
    }),
    runbook: css({
      fontSize: fontPx,
      fontWeight: theme.typography.fontWeightMedium,
      color: 'inherit',
      textDecoration: 'underline',
      whiteSpace: 'nowrap',
    }),
  };
}

import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { DataNodeView, lagLabel, TopologyView } from '../model';
import { topologyTestIds } from '../testIds';
import { toneColors } from './tones';

/** Small tiles: one chip per node (name, state, lag) and where PgBouncer routes; no drawing. */
export function CompactTopology({ view, fontPx }: { view: TopologyView; fontPx: number }) {
  const styles = useStyles2(getStyles, fontPx);
  const routed = view.nodes.find((n) => n.id === view.pgbouncer?.routesTo)?.name ?? view.pgbouncer?.routesTo;
  return (
    <div className={styles.wrap} data-testid={topologyTestIds.compact}>
      <div className={styles.chips}>
        {view.nodes.map((n) => (
          <Chip key={n.id} node={n} fontPx={fontPx} />
        ))}
      </div>
      {view.pgbouncer && (
        <div className={styles.bouncer} data-testid={topologyTestIds.pgbouncer}>
          {view.pgbouncer.routingStale
            ? `PgBouncer → ${routed ?? '?'} (routing stale)`
            : routed
              ? `PgBouncer → ${routed}`
              : 'PgBouncer: no server connection'}
        </div>
      )}
    </div>
  );
}

function Chip({ node, fontPx }: { node: DataNodeView; fontPx: number }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles, fontPx);
  const c = toneColors(theme, node.stale ? 'unknown' : node.tone);
  const lag = node.connection !== 'read-write' ? lagLabel(node.lagBytes, node.lagSeconds) : undefined;
  return (
    <div
      className={styles.chip}
      style={{ borderColor: c.main, borderStyle: node.stale ? 'dashed' : 'solid' }}
      data-testid={topologyTestIds.node(node.name)}
    >
      <span className={styles.name}>{node.name}</span>
      <span className={styles.state} style={{ color: toneColors(theme, node.tone).text }}>
        {!node.answering
          ? node.role === 'primary lost'
            ? 'primary lost'
            : 'not answering'
          : node.reported.replace(/_/g, ' ')}
        {node.answering && !node.converged && ` → ${(node.goal ?? '').replace(/_/g, ' ')}`}
      </span>
      {node.stale && <span className={styles.detail}>last known</span>}
      {lag && !node.stale && <span className={styles.detail}>lag {lag}</span>}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2, fontPx: number) {
  return {
    wrap: css({ display: 'flex', flexDirection: 'column', gap: fontPx / 3, minHeight: 0, overflow: 'hidden' }),
    chips: css({ display: 'flex', flexWrap: 'wrap', gap: fontPx / 3 }),
    chip: css({
      display: 'flex',
      flexDirection: 'column',
      padding: `${fontPx / 4}px ${fontPx / 2}px`,
      border: '3px solid',
      borderRadius: theme.shape.radius.default,
      background: theme.colors.background.secondary,
      minWidth: 0,
      flex: '1 1 0',
    }),
    name: css({ fontSize: fontPx, fontWeight: theme.typography.fontWeightBold }),
    state: css({ fontSize: fontPx * 1.2, fontWeight: theme.typography.fontWeightBold, textTransform: 'uppercase' }),
    detail: css({ fontSize: fontPx * 0.85, color: theme.colors.text.secondary }),
    bouncer: css({ fontSize: fontPx, color: theme.colors.text.secondary }),
  };
}

import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';
import { EventView } from '../model';
import { topologyTestIds } from '../testIds';

interface Props {
  events: EventView[];
  count: number;
  fontPx: number;
  timeZone?: TimeZone;
}

/** The last state changes, newest first: what just happened, in the monitor's own words. */
export function EventList({ events, count, fontPx, timeZone }: Props) {
  const styles = useStyles2(getStyles, fontPx);
  const shown = events.slice(0, Math.max(0, count));
  return (
    <div className={styles.wrap} data-testid={topologyTestIds.events}>
      <div className={styles.heading}>Last state changes</div>
      {shown.length === 0 && <div className={styles.empty}>No state change in the time range.</div>}
      <ol className={styles.list}>
        {shown.map((e, i) => (
          <li key={`${e.time}-${e.node}-${i}`} className={styles.item} data-testid={topologyTestIds.event}>
            <span className={styles.time}>{dateTimeFormat(e.time, { format: 'HH:mm:ss', timeZone })}</span>
            {e.node && <span className={styles.node}>{e.node}</span>}
            {(e.from || e.to) && (
              <span className={styles.change}>
                {e.from ?? '?'} → {e.to ?? '?'}
              </span>
            )}
            {e.description && (
              <span className={styles.description} title={e.description}>
                {e.description}
              </span>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2, fontPx: number) {
  const size = Math.max(12, fontPx * 0.8);
  return {
    wrap: css({ display: 'flex', flexDirection: 'column', minHeight: 0, minWidth: 0, overflow: 'hidden' }),
    heading: css({ fontSize: size, fontWeight: theme.typography.fontWeightMedium, color: theme.colors.text.secondary }),
    empty: css({ fontSize: size, color: theme.colors.text.secondary }),
    list: css({ listStyle: 'none', margin: 0, padding: 0, overflow: 'hidden' }),
    item: css({
      display: 'flex',
      flexWrap: 'wrap',
      columnGap: size / 1.5,
      fontSize: size,
      lineHeight: 1.35,
      padding: `${size / 5}px 0`,
      borderTop: `1px solid ${theme.colors.border.weak}`,
    }),
    time: css({ fontVariantNumeric: 'tabular-nums', color: theme.colors.text.secondary }),
    node: css({ fontWeight: theme.typography.fontWeightBold }),
    change: css({ fontWeight: theme.typography.fontWeightMedium }),
    description: css({
      flexBasis: '100%',
      color: theme.colors.text.secondary,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    }),
  };
}

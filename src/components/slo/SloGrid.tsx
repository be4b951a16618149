import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { OverviewData } from '../../api/loaders';
import { selectViews } from '../../slo/selectViews';
import { sortWorstFirst, toView } from '../../slo/status';
import { PartialBanner, StaleBanner } from '../states/PageStates';
import { SloTile } from './SloTile';
import { wallPx } from './wallType';

export interface SloGridProps {
  data: OverviewData;
  dataAt: number;
  error: unknown;
  errorAt?: number;
  now: number;
  /** Wall size: larger tiles and type (the app's TV mode, the panel's "wall" size). */
  wall?: boolean;
  /** Wall size: pixels per wall unit (wallType.ts); the tiles then fill the height they are given. */
  wallUnit?: number;
  /** Which SLOs (ids; default every one) and in which order (default worst first). */
  ids?: string[];
  order?: 'worst' | 'listed';
  testId: string;
}

/**
 * The SLO tiles of one overview load, shared by the overview page and the SLO panel: worst first (or as `select`
 * says), and when the last load failed after an earlier one succeeded, the earlier values stay, greyed and under a
 * banner saying how old they are and why (a wall never goes blank and never passes old numbers off as live).
 */
export function SloGrid({
  data,
  dataAt,
  error,
  errorAt,
  now,
  wall,
  wallUnit,
  ids,
  order = 'worst',
  testId,
}: SloGridProps) {
  const s = useStyles2(getStyles);
  const idsKey = (ids ?? []).join(',');
  const views = useMemo(() => {
    const all = sortWorstFirst(data.slos.map((slo) => toView(slo, data.status.get(slo.id))));
    return selectViews(all, idsKey ? idsKey.split(',') : [], order).shown;
  }, [data, idsKey, order]);
  const stale = !!error && (errorAt ?? 0) >= dataAt;
  return (
    <>
      {stale && <StaleBanner since={dataAt} error={error} now={now} large={wall} />}
      {!stale && <PartialBanner problems={data.problems} />}
      <div
        className={cx(s.grid, wall && s.wallGrid, wall && !!wallUnit && s.fill, stale && s.stale)}
        // Columns as wide as the type needs: three tiles across at 1080p and at 4K alike, stretched to fill the row.
        style={
          wall && wallUnit
            ? {
                gridTemplateColumns: `repeat(auto-fit, minmax(${wallPx(wallUnit, 44)}px, 1fr))`,
                gap: wallPx(wallUnit, 2),
              }
            : undefined
        }
        data-testid={testId}
        data-stale={stale}
      >
        {views.map((v) => (
          <SloTile key={v.slo.id} view={v} kiosk={wall} wallUnit={wallUnit} />
        ))}
      </div>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
    gap: theme.spacing(2),
  }),
  wallGrid: css({ gridTemplateColumns: 'repeat(auto-fill, minmax(480px, 1fr))', gap: theme.spacing(3) }),
  // The wall's grid takes the height left under its header: rows share it, tiles stretch.
  fill: css({ flex: 1, minHeight: 0, gridAutoRows: 'minmax(min-content, 1fr)' }),
  stale: css({ opacity: 0.75 }),
});

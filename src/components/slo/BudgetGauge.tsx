import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { budgetLevel, type BudgetLevel } from '../../slo/budget';
import { formatPercent } from '../../slo/words';
import { testIds } from '../testIds';
import { levelColor, levelTextColor } from './colors';

const START = -120;
const SWEEP = 240;

function polar(cx: number, cy: number, r: number, deg: number): [number, number] {
  const rad = ((deg - 90) * Math.PI) / 180;
  return [cx + r * Math.cos(rad), cy + r * Math.sin(rad)];
}

function arc(cx: number, cy: number, r: number, from: number, to: number): string {
  const [x1, y1] = polar(cx, cy, r, from);
  const [x2, y2] = polar(cx, cy, r, to);
  return `M ${x1} ${y1} A ${r} ${r} 0 ${to - from > 180 ? 1 : 0} 1 ${x2} ${y2}`;
}

/**
 * Error-budget gauge (remaining share of the period's budget). @grafana/ui's Gauge was deleted in 13, so this is
 * a small SVG arc: the band colour comes from the theme, the number is text (screen readers get a meter).
 */
export function BudgetGauge({
  remaining,
  size = 140,
  label,
  asOf,
  level: colourLevel,
  window,
}: {
  remaining?: number;
  /** The colour band when something other than the budget sets it (the tile's attention); default the budget's. */
  level?: BudgetLevel;
  size?: number;
  label?: string;
  /** When the budget's window ends before now (read from the recorded 5-minute buckets): said on hover. */
  asOf?: number;
  /** The rolling window the budget is measured over ("30d"): said under the gauge, so it is never read as the
   * report's calendar-period budget. */
  window?: string;
}) {
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const level = colourLevel ?? budgetLevel(remaining);
  const fill = remaining === undefined ? 0 : Math.max(0, Math.min(1, remaining));
  const stroke = size * 0.1;
  const r = size / 2 - stroke;
  const c = size / 2;
  const text = remaining === undefined ? '—' : formatPercent(remaining, 1);
  const until =
    asOf === undefined ? '' : ` (to ${new Date(asOf).toISOString().slice(11, 16)} UTC, the last complete 5 minutes)`;
  return (
    <div
      className={s.wrap}
      style={{ width: size, height: size * 0.8 }}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={remaining === undefined ? undefined : Math.round(remaining * 100)}
      aria-label={`${label ?? 'Error budget'} remaining${window ? ` (rolling ${window})` : ''}: ${text}${until}`}
      title={until ? `Budget left${until}` : undefined}
      data-testid={testIds.overview.gauge}
      data-level={level}
    >
      <svg width={size} height={size * 0.8} viewBox={`0 0 ${size} ${size * 0.8}`} aria-hidden="true">
        <path
          d={arc(c, c, r, START, START + SWEEP)}
          stroke={theme.colors.border.medium}
          strokeWidth={stroke}
          fill="none"
          strokeLinecap="round"
        />
        {fill > 0 && (
          <path
            d={arc(c, c, r, START, START + SWEEP * fill)}
            stroke={levelColor(theme, level)}
            strokeWidth={stroke}
            fill="none"
            strokeLinecap="round"
          />
        )}
      </svg>
      <div
        className={s.value}
        style={{ fontSize: size * 0.19, color: levelTextColor(theme, level), top: size * 0.3 }}
        data-testid={testIds.overview.remaining}
      >
        {text}
      </div>
      <div className={s.caption} style={{ fontSize: Math.max(11, size * 0.085), top: size * 0.53 }}>
        budget left
      </div>
      {window && (
        <div className={s.caption} style={{ fontSize: Math.max(10, size * 0.07), top: size * 0.64 }}>
          rolling {window}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ position: 'relative', flexShrink: 0 }),
  value: css({
    position: 'absolute',
    left: 0,
    right: 0,
    textAlign: 'center',
    fontWeight: theme.typography.fontWeightMedium,
    fontVariantNumeric: 'tabular-nums',
    lineHeight: 1,
  }),
  caption: css({ position: 'absolute', left: 0, right: 0, textAlign: 'center', color: theme.colors.text.secondary }),
});

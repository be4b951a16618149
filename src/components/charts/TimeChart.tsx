import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { Period, Point } from '../../slo/series';
import { testIds } from '../testIds';

export interface ChartSeries {
  name: string;
  points: Point[];
  color: string;
  width?: number;
}

export interface ChartThreshold {
  value: number;
  label: string;
  color: string;
}

export interface ChartEvent {
  time: number;
  text: string;
}

export interface TimeChartProps {
  series: ChartSeries[];
  from: number;
  to: number;
  height?: number;
  thresholds?: ChartThreshold[];
  /** Shaded spans (alert condition held). */
  bands?: Period[];
  bandLabel?: string;
  /** Highlighted moment or span (the alert the user came from). */
  highlight?: Period;
  events?: ChartEvent[];
  formatY: (v: number) => string;
  yMin?: number;
  yMax?: number;
  ariaLabel: string;
  testId?: string;
  /**
   * Given: a range can be selected by dragging across the chart; called with its [from, to) in ms on release
   * (drags under 4 px are clicks and select nothing). `selectLabel` says what the selection is for.
   */
  onSelectRange?: (from: number, to: number) => void;
  selectLabel?: string;
}

const PAD = { left: 64, right: 12, top: 10, bottom: 24 };

function useWidth(ref: React.RefObject<HTMLDivElement>, fallback = 800): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const ro = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width > 0) {
        setW(width);
      }
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

function pathOf(points: Point[], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!Number.isFinite(p.v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/**
 * A small, dependency-free SVG time-series chart: lines with gaps, threshold lines, shaded periods, event markers
 * and a hover read-out. Its height is fixed, so refreshing never moves the page.
 */
export function TimeChart(props: TimeChartProps) {
  const { series, from, to, height = 220, thresholds = [], bands = [], events = [], formatY } = props;
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const [hoverT, setHoverT] = useState<number>();
  const [drag, setDrag] = useState<{ x0: number; x1: number }>();

  const [lo, hi] = useMemo(() => {
    let min = props.yMin ?? Infinity;
    let max = props.yMax ?? -Infinity;
    for (const sr of series) {
      for (const p of sr.points) {
        if (Number.isFinite(p.v) && p.t >= from && p.t <= to) {
          min = props.yMin === undefined ? Math.min(min, p.v) : min;
          max = props.yMax === undefined ? Math.max(max, p.v) : max;
        }
      }
    }
    for (const t of thresholds) {
      max = props.yMax === undefined ? Math.max(max, t.value * 1.15) : max;
      min = props.yMin === undefined ? Math.min(min, t.value) : min;
    }
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      return [0, 1];
    }
    if (min === max) {
      return [min - (Math.abs(min) || 1) * 0.1, max + (Math.abs(max) || 1) * 0.1];
    }
    return [min, max];
  }, [series, thresholds, from, to, props.yMin, props.yMax]);

  const innerW = Math.max(10, width - PAD.left - PAD.right);
  const innerH = height - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * innerW;
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * innerH;
  const ticksY = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const span = to - from;
  const clampX = (px: number) => Math.min(Math.max(px, PAD.left), PAD.left + innerW);
  const timeAt = (px: number) => from + ((px - PAD.left) / innerW) * span;
  const timeFmt = span > 3 * 86400000 ? 'MMM D' : span > 86400000 ? 'MMM D HH:mm' : 'HH:mm';
  const ticksX = [0, 0.25, 0.5, 0.75, 1].map((f) => from + f * span);
  const hasData = series.some((sr) => sr.points.some((p) => Number.isFinite(p.v)));

  const hover = useMemo(() => {
    if (hoverT === undefined) {
      return undefined;
    }
    return series.map((sr) => {
      let best: Point | undefined;
      for (const p of sr.points) {
        if (!best || Math.abs(p.t - hoverT) < Math.abs(best.t - hoverT)) {
          best = p;
        }
      }
      return { name: sr.name, color: sr.color, p: best };
    });
  }, [hoverT, series]);

  return (
    <figure className={s.figure} data-testid={props.testId}>
      <div ref={ref} className={s.box} style={{ height }}>
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={props.ariaLabel}
          onMouseMove={(e) => {
            const rect = e.currentTarget.getBoundingClientRect();
            const px = e.clientX - rect.left;
            setHoverT(px < PAD.left ? undefined : from + ((px - PAD.left) / innerW) * span);
            if (drag) {
              setDrag({ ...drag, x1: clampX(px) });
            }
          }}
          onMouseLeave={() => {
            setHoverT(undefined);
            setDrag(undefined);
          }}
          onMouseDown={(e) => {
            if (props.onSelectRange && e.button === 0) {
              const px = clampX(e.clientX - e.currentTarget.getBoundingClientRect().left);
              setDrag({ x0: px, x1: px });
            }
          }}
          onMouseUp={() => {
            if (drag && props.onSelectRange && Math.abs(drag.x1 - drag.x0) >= 4) {
              props.onSelectRange(timeAt(Math.min(drag.x0, drag.x1)), timeAt(Math.max(drag.x0, drag.x1)));
            }
            setDrag(undefined);
          }}
          style={props.onSelectRange ? { cursor: 'crosshair' } : undefined}
        >
          {props.onSelectRange && (
            <title>{`Drag across the chart to select a range: ${props.selectLabel ?? ''}`}</title>
          )}
          {drag && (
            <rect
              x={Math.min(drag.x0, drag.x1)}
              y={PAD.top}
              width={Math.abs(drag.x1 - drag.x0)}
              height={innerH}
              fill={theme.colors.primary.transparent}
              data-testid={testIds.chart.selection}
            />
          )}
          {ticksY.map((v, i) => (
            <g key={`y${i}`}>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(v)} y2={y(v)} stroke={theme.colors.border.weak} />
              <text
                x={PAD.left - 6}
                y={y(v) + 4}
                textAnchor="end"
                className={s.axis}
                fill={theme.colors.text.secondary}
              >
                {formatY(v)}
              </text>
            </g>
          ))}
          {ticksX.map((t, i) => (
            <text
              key={`x${i}`}
              x={Math.min(Math.max(x(t), PAD.left + 20), width - PAD.right - 20)}
              y={height - 6}
              textAnchor="middle"
              className={s.axis}
              fill={theme.colors.text.secondary}
            >
              {dateTimeFormat(t, { format: timeFmt })}
            </text>
          ))}
          {bands.map((b, i) => {
            const x1 = Math.max(PAD.left, x(b.start));
            const x2 = Math.min(width - PAD.right, x(b.end));
            return x2 > x1 ? (
              <rect
                key={`b${i}`}
                x={x1}
                y={PAD.top}
                width={x2 - x1}
                height={innerH}
                fill={theme.colors.error.transparent}
              >
                <title>{props.bandLabel ?? 'alert condition met'}</title>
              </rect>
            ) : null;
          })}
          {props.highlight && (
            <rect
              x={Math.max(PAD.left, x(props.highlight.start) - 1)}
              y={PAD.top}
              width={Math.max(2, x(props.highlight.end) - x(props.highlight.start))}
              height={innerH}
              fill="none"
              stroke={theme.colors.primary.border}
              strokeWidth={2}
            />
          )}
          {thresholds.map((t, i) =>
            t.value >= lo && t.value <= hi ? (
              <g key={`t${i}`}>
                <line
                  x1={PAD.left}
                  x2={width - PAD.right}
                  y1={y(t.value)}
                  y2={y(t.value)}
                  stroke={t.color}
                  strokeDasharray="6 4"
                  strokeWidth={1.5}
                />
                <text x={width - PAD.right - 4} y={y(t.value) - 4} textAnchor="end" className={s.axis} fill={t.color}>
                  {t.label}
                </text>
              </g>
            ) : null
          )}
          {series.map((sr) => (
            <path
              key={sr.name}
              d={pathOf(sr.points, x, y)}
              stroke={sr.color}
              strokeWidth={sr.width ?? 1.5}
              fill="none"
            />
          ))}
          {events
            .filter((e) => e.time >= from && e.time <= to)
            .map((e, i) => (
              <g
                key={`e${i}`}
                data-testid={testIds.detail.eventMarker}
                tabIndex={0}
                aria-label={`${dateTimeFormat(e.time)}: ${e.text}`}
              >
                <line
                  x1={x(e.time)}
                  x2={x(e.time)}
                  y1={PAD.top}
                  y2={PAD.top + innerH}
                  stroke={theme.colors.info.main}
                  strokeDasharray="2 3"
                />
                <polygon
                  points={`${x(e.time) - 5},${PAD.top} ${x(e.time) + 5},${PAD.top} ${x(e.time)},${PAD.top + 8}`}
                  fill={theme.colors.info.main}
                />
                <title>{`${dateTimeFormat(e.time)}: ${e.text}`}</title>
              </g>
            ))}
          {hoverT !== undefined && (
            <line
              x1={x(hoverT)}
              x2={x(hoverT)}
              y1={PAD.top}
              y2={PAD.top + innerH}
              stroke={theme.colors.text.secondary}
            />
          )}
        </svg>
        {!hasData && <div className={s.empty}>No data in this time range</div>}
        {hover && (
          <div className={s.tooltip} style={{ left: Math.min(x(hoverT!) + 12, width - 200) }}>
            <div>{dateTimeFormat(hoverT!)}</div>
            {hover.map((h) => (
              <div key={h.name}>
                <span style={{ color: h.color }}>■</span> {h.name}:{' '}
                {h.p && Number.isFinite(h.p.v) ? formatY(h.p.v) : '—'}
              </div>
            ))}
          </div>
        )}
      </div>
      <figcaption className={s.legend}>
        {series.map((sr) => (
          <span key={sr.name}>
            <span style={{ color: sr.color }}>■</span> {sr.name}
          </span>
        ))}
        {thresholds.map((t) => (
          <span key={t.label}>
            <span style={{ color: t.color }}>┄</span> {t.label}
          </span>
        ))}
        {bands.length > 0 && (
          <span>
            <span className={s.bandKey} /> {props.bandLabel ?? 'alert condition met'}
          </span>
        )}
        {events.length > 0 && (
          <span>
            <span style={{ color: theme.colors.info.text }}>▼</span> formation changes (failovers, switchovers)
          </span>
        )}
      </figcaption>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({ margin: 0 }),
  box: css({ position: 'relative', width: '100%', overflow: 'hidden' }),
  axis: css({ fontSize: 11, fontVariantNumeric: 'tabular-nums' }),
  empty: css({
    position: 'absolute',
    inset: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.colors.text.secondary,
    pointerEvents: 'none',
  }),
  tooltip: css({
    position: 'absolute',
    top: PAD.top,
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    pointerEvents: 'none',
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  }),
  legend: css({
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(0.5),
  }),
  bandKey: css({
    display: 'inline-block',
    width: 12,
    height: 10,
    background: theme.colors.error.transparent,
    border: `1px solid ${theme.colors.error.border}`,
  }),
});

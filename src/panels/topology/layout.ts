// Pure sizing decisions, so the panel reads from across a NOC room and still fits a small tile.

export type EventsPlacement = 'side' | 'below' | 'none';

export interface PanelLayout {
  /** Small tile: verdict + one chip per node, no drawing, no event list. */
  compact: boolean;
  events: EventsPlacement;
  /** Base font size in px; everything else is a multiple of it. */
  fontPx: number;
}

export const COMPACT_MAX_WIDTH = 480;
export const COMPACT_MAX_HEIGHT = 280;

export function chooseLayout(width: number, height: number): PanelLayout {
  const compact = width < COMPACT_MAX_WIDTH || height < COMPACT_MAX_HEIGHT;
  const fontPx = Math.round(Math.min(40, Math.max(12, Math.min(width, height * 1.6) / 45)));
  let events: EventsPlacement = 'none';
  if (!compact) {
    if (width >= 900 && width >= 1.7 * height) {
      events = 'side';
    } else if (height >= 460) {
      events = 'below';
    }
  }
  return { compact, events, fontPx };
}

// --- drawing geometry, in SVG viewBox units (the SVG scales to the panel) ---

export const NODE_W = 320;
export const NODE_H = 220;
export const NODE_GAP = 180;
export const MARGIN = 30;
export const MONITOR_W = 260;
export const MONITOR_H = 96;
export const BOUNCER_W = 300;
export const BOUNCER_H = 110;
export const ROW_GAP = 120;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Geometry {
  width: number;
  height: number;
  monitor?: Box;
  nodes: Box[];
  pgbouncer?: Box;
}

/** Monitor on top, data nodes in one row (stable order, so a failover flips arrows, not boxes), PgBouncer below. */
export function geometry(nodeCount: number, hasMonitor: boolean, hasPgBouncer: boolean): Geometry {
  const n = Math.max(1, nodeCount);
  const rowW = n * NODE_W + (n - 1) * NODE_GAP;
  const width = Math.max(rowW, MONITOR_W, BOUNCER_W) + 2 * MARGIN;
  let y = MARGIN;
  let monitor: Box | undefined;
  if (hasMonitor) {
    monitor = { x: (width - MONITOR_W) / 2, y, w: MONITOR_W, h: MONITOR_H };
    y += MONITOR_H + ROW_GAP;
  }
  const left = (width - rowW) / 2;
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    x: left + i * (NODE_W + NODE_GAP),
    y,
    w: NODE_W,
    h: NODE_H,
  }));
  y += NODE_H;
  let pgbouncer: Box | undefined;
  if (hasPgBouncer) {
    y += ROW_GAP;
    pgbouncer = { x: (width - BOUNCER_W) / 2, y, w: BOUNCER_W, h: BOUNCER_H };
    y += BOUNCER_H;
  }
  return { width, height: y + MARGIN, monitor, nodes, pgbouncer };
}

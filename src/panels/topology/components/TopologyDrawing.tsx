import React, { useId } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { Box, geometry } from '../layout';
import {
  DataNodeView,
  EdgeView,
  formatSeconds,
  lagLabel,
  MonitorView,
  PgBouncerView,
  Tone,
  TopologyView,
} from '../model';
import { topologyTestIds } from '../testIds';
import { toneColors } from './tones';

const TONES: Tone[] = ['ok', 'warning', 'critical', 'transition', 'unknown'];

/** Monitor, data nodes and PgBouncer as one SVG; the viewBox scales it to any panel size. */
export function TopologyDrawing({ view }: { view: TopologyView }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const markerPrefix = `pgt${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const g = geometry(view.nodes.length, Boolean(view.monitor), Boolean(view.pgbouncer));
  const boxOf = new Map<string, Box>();
  view.nodes.forEach((n, i) => boxOf.set(n.id, g.nodes[i]));
  const nodeById = new Map(view.nodes.map((n) => [n.id, n]));
  const groups = new Set(view.nodes.map((n) => n.group ?? 0)).size;
  const replication = view.edges.filter((e) => e.kind === 'replication' && boxOf.has(e.source) && boxOf.has(e.target));
  const marker = (tone: Tone) => `url(#${markerPrefix}-${tone})`;

  return (
    <svg
      className={styles.svg}
      viewBox={`0 0 ${g.width} ${g.height}`}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label="Postgres HA topology"
      data-testid={topologyTestIds.drawing}
      fontFamily={theme.typography.fontFamily}
    >
      <defs>
        {TONES.map((t) => (
          <marker
            key={t}
            id={`${markerPrefix}-${t}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill={toneColors(theme, t).main} />
          </marker>
        ))}
      </defs>

      {view.monitor &&
        g.monitor &&
        view.nodes.map((n, i) => (
          <Supervision
            key={`sup-${n.id}`}
            from={g.monitor!}
            to={g.nodes[i]}
            monitor={view.monitor!}
            nodeName={n.name}
          />
        ))}

      {replication.map((e) => (
        <Replication
          key={e.id}
          edge={e}
          from={boxOf.get(e.source)!}
          to={boxOf.get(e.target)!}
          marker={marker(e.tone)}
          sourceName={nodeById.get(e.source)?.name ?? e.source}
          targetName={nodeById.get(e.target)?.name ?? e.target}
        />
      ))}

      {view.pgbouncer && g.pgbouncer && view.pgbouncer.routesTo && boxOf.has(view.pgbouncer.routesTo) && (
        <Routing
          bouncer={view.pgbouncer}
          from={g.pgbouncer}
          to={boxOf.get(view.pgbouncer.routesTo)!}
          marker={marker(view.pgbouncer.tone)}
          targetName={nodeById.get(view.pgbouncer.routesTo)?.name ?? view.pgbouncer.routesTo}
        />
      )}

      {view.monitor && g.monitor && <MonitorBox monitor={view.monitor} box={g.monitor} />}
      {view.nodes.map((n, i) => (
        <NodeBox key={n.id} node={n} box={g.nodes[i]} showGroup={groups > 1} />
      ))}
      {view.pgbouncer && g.pgbouncer && <BouncerBox bouncer={view.pgbouncer} box={g.pgbouncer} nodes={view.nodes} />}
    </svg>
  );
}

function Supervision({ from, to, monitor, nodeName }: { from: Box; to: Box; monitor: MonitorView; nodeName: string }) {
  const theme = useTheme2();
  const color = monitor.up ? theme.colors.text.disabled : toneColors(theme, 'critical').main;
  return (
    <line
      data-testid={topologyTestIds.edge('supervision', monitor.title, nodeName)}
      x1={from.x + from.w / 2}
      y1={from.y + from.h}
      x2={to.x + to.w / 2}
      y2={to.y}
      stroke={color}
      strokeWidth={3}
      strokeDasharray="10 8"
    />
  );
}

interface ReplicationProps {
  edge: EdgeView;
  from: Box;
  to: Box;
  marker: string;
  sourceName: string;
  targetName: string;
}

function Replication({ edge, from, to, marker, sourceName, targetName }: ReplicationProps) {
  const theme = useTheme2();
  const c = toneColors(theme, edge.tone);
  const rightward = to.x > from.x;
  const x1 = rightward ? from.x + from.w : from.x;
  const x2 = rightward ? to.x : to.x + to.w;
  const y = from.y + from.h / 2;
  const adjacent = Math.abs(to.x - from.x) <= from.w * 2;
  // Non-adjacent nodes: arc under the row so the arrow does not cross the boxes in between.
  const d = adjacent
    ? `M ${x1} ${y} L ${x2} ${y}`
    : `M ${from.x + from.w / 2} ${from.y + from.h} Q ${(from.x + to.x + to.w) / 2} ${from.y + from.h + 90} ${to.x + to.w / 2} ${to.y + to.h}`;
  const labelX = adjacent ? (x1 + x2) / 2 : (from.x + to.x + to.w) / 2;
  const labelY = adjacent ? y - 14 : from.y + from.h + 62;
  return (
    <g data-testid={topologyTestIds.edge('replication', sourceName, targetName)}>
      <path d={d} fill="none" stroke={c.main} strokeWidth={6} markerEnd={marker} />
      {edge.label && (
        <text x={labelX} y={labelY} textAnchor="middle" fontSize={22} fontWeight={600} fill={c.text}>
          {edge.label}
        </text>
      )}
    </g>
  );
}

interface RoutingProps {
  bouncer: PgBouncerView;
  from: Box;
  to: Box;
  marker: string;
  targetName: string;
}

function Routing({ bouncer, from, to, marker, targetName }: RoutingProps) {
  const theme = useTheme2();
  const c = toneColors(theme, bouncer.tone);
  return (
    <g data-testid={topologyTestIds.edge('routing', bouncer.title, targetName)}>
      <line
        x1={from.x + from.w / 2}
        y1={from.y}
        x2={to.x + to.w / 2}
        y2={to.y + to.h}
        stroke={c.main}
        strokeWidth={bouncer.routingStale ? 8 : 6}
        strokeDasharray={bouncer.stale ? '14 10' : undefined}
        markerEnd={marker}
      />
    </g>
  );
}

/** A line of text centred in a box, `dy` below its top (SVG text anchors on the baseline). */
function Centered(props: {
  box: Box;
  dy: number;
  size: number;
  weight?: number;
  fill: string;
  children: React.ReactNode;
}) {
  const { box, dy, size, weight, fill, children } = props;
  return (
    <text x={box.x + box.w / 2} y={box.y + dy} fontSize={size} fontWeight={weight} textAnchor="middle" fill={fill}>
      {children}
    </text>
  );
}

/** A box's outline: rounded, stroked in its tone, dashed when it shows last known values. */
function Outline(props: { box: Box; fill: string; stroke: string; width: number; dashed?: boolean }) {
  const { box, fill, stroke, width, dashed } = props;
  return (
    <rect
      x={box.x}
      y={box.y}
      width={box.w}
      height={box.h}
      rx={10}
      fill={fill}
      stroke={stroke}
      strokeWidth={width}
      strokeDasharray={dashed ? '16 10' : undefined}
    />
  );
}

function stateLabel(s: string): string {
  return s.replace(/_/g, ' ').toUpperCase();
}

function NodeBox({ node, box, showGroup }: { node: DataNodeView; box: Box; showGroup: boolean }) {
  const theme = useTheme2();
  const c = toneColors(theme, node.stale ? 'unknown' : node.tone);
  const stateColor = toneColors(theme, node.tone);
  const lines: string[] = [];
  if (showGroup && node.group !== undefined) {
    lines.push(`group ${node.group}`);
  }
  if (node.address) {
    lines.push(node.address);
  }
  const tliLsn = [node.timeline !== undefined ? `TL ${node.timeline}` : '', node.lsn ? `LSN ${node.lsn}` : '']
    .filter(Boolean)
    .join(' · ');
  if (tliLsn) {
    lines.push(tliLsn);
  }
  const facts = [
    node.syncState ? `sync ${node.syncState}` : '',
    node.candidatePriority !== undefined ? `prio ${node.candidatePriority}` : '',
    node.reportAgeSeconds !== undefined ? `report ${formatSeconds(node.reportAgeSeconds)} ago` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  if (facts) {
    lines.push(facts);
  }
  const standby = node.connection !== 'read-write';
  const lag = standby ? lagLabel(node.lagBytes, node.lagSeconds) : undefined;
  // A node that stopped answering is never labelled by the state the monitor last recorded for it: the monitor
  // notices a crash seconds after this reader does, and "PRIMARY" on a dead node is the one label on-call must not see.
  const big = node.answering
    ? stateLabel(node.reported)
    : node.role === 'primary lost'
      ? 'PRIMARY LOST'
      : 'NOT ANSWERING';
  const second = !node.answering
    ? `monitor still says ${stateLabel(node.reported).toLowerCase()}`
    : !node.converged
      ? `→ ${stateLabel(node.goal ?? '')}`
      : lag
        ? `lag ${lag}`
        : undefined;
  const health = node.health === 'bad' ? 'UNHEALTHY' : node.health === 'unknown' ? 'health ?' : undefined;

  return (
    <g
      data-testid={topologyTestIds.node(node.name)}
      data-label={big}
      data-answering={node.answering}
      opacity={node.stale ? 0.75 : 1}
    >
      <title>{`${node.name}: ${node.answering ? '' : 'not answering, '}${node.reported}${node.converged ? '' : ` → ${node.goal}`}${node.stale ? ' (last known)' : ''}`}</title>
      <Outline box={box} fill={theme.colors.background.secondary} stroke={c.main} width={6} dashed={node.stale} />
      <rect x={box.x} y={box.y} width={box.w} height={52} rx={10} fill={c.main} />
      <text x={box.x + 16} y={box.y + 37} fontSize={30} fontWeight={700} fill={c.contrast}>
        {node.name}
      </text>
      {(node.stale || health) && (
        <text x={box.x + box.w - 14} y={box.y + 34} fontSize={18} fontWeight={700} textAnchor="end" fill={c.contrast}>
          {node.stale ? 'LAST KNOWN' : health}
        </text>
      )}
      <Centered box={box} dy={96} size={34} weight={700} fill={stateColor.text}>
        {big}
      </Centered>
      {second && (
        <Centered box={box} dy={126} size={22} weight={600} fill={stateColor.text}>
          {second}
        </Centered>
      )}
      {lines.slice(0, 3).map((l, i) => (
        <Centered key={l} box={box} dy={154 + i * 24} size={18} fill={theme.colors.text.secondary}>
          {l}
        </Centered>
      ))}
    </g>
  );
}

function MonitorBox({ monitor, box }: { monitor: MonitorView; box: Box }) {
  const theme = useTheme2();
  const c = toneColors(theme, monitor.up ? 'unknown' : 'critical');
  return (
    <g data-testid={topologyTestIds.monitor}>
      <Outline box={box} fill={monitor.up ? theme.colors.background.secondary : c.main} stroke={c.main} width={4} />
      <Centered box={box} dy={40} size={28} weight={700} fill={monitor.up ? theme.colors.text.primary : c.contrast}>
        {monitor.up ? monitor.title : 'MONITOR DOWN'}
      </Centered>
      {monitor.address && (
        <Centered box={box} dy={72} size={18} fill={monitor.up ? theme.colors.text.secondary : c.contrast}>
          {monitor.address}
        </Centered>
      )}
    </g>
  );
}

function BouncerBox({ bouncer, box, nodes }: { bouncer: PgBouncerView; box: Box; nodes: DataNodeView[] }) {
  const theme = useTheme2();
  const c = toneColors(theme, bouncer.stale ? 'unknown' : bouncer.tone);
  const routed = nodes.find((n) => n.id === bouncer.routesTo)?.name ?? bouncer.routesTo;
  const line = bouncer.routingStale
    ? `ROUTING STALE → ${routed ?? '?'}`
    : routed
      ? `→ ${routed}${bouncer.serverConnections !== undefined ? ` · ${bouncer.serverConnections} conns` : ''}`
      : 'no server connection';
  return (
    <g
      data-testid={topologyTestIds.pgbouncer}
      data-routes-to={routed ?? ''}
      data-routing-stale={bouncer.routingStale}
      opacity={bouncer.stale ? 0.75 : 1}
    >
      <Outline
        box={box}
        fill={bouncer.routingStale ? c.main : theme.colors.background.secondary}
        stroke={c.main}
        width={5}
        dashed={bouncer.stale}
      />
      <Centered
        box={box}
        dy={36}
        size={26}
        weight={700}
        fill={bouncer.routingStale ? c.contrast : theme.colors.text.primary}
      >
        {bouncer.title}
      </Centered>
      <Centered box={box} dy={68} size={22} weight={600} fill={bouncer.routingStale ? c.contrast : c.text}>
        {line}
      </Centered>
      {bouncer.target && (
        <Centered box={box} dy={96} size={17} fill={bouncer.routingStale ? c.contrast : theme.colors.text.secondary}>
          {`target ${bouncer.target}`}
        </Centered>
      )}
    </g>
  );
}

function getStyles(_theme: GrafanaTheme2) {
  return {
    svg: css({ width: '100%', height: '100%', display: 'block', overflow: 'visible' }),
  };
}

import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { golden, scenario, type Scenario } from './golden';
import { Topology } from './Topology';
import { TopologyPanel } from './TopologyPanel';
import { topologyTestIds as ids } from './testIds';

const WALL = { width: 1600, height: 900 };
const TILE = { width: 320, height: 220 };

describe('Topology renders each verdict from the golden frames of pkg/plugin', () => {
  const table: Array<{ name: Scenario; banner: RegExp; reason: RegExp; runbook: boolean }> = [
    { name: 'healthy', banner: /^Healthy$/, reason: /node1 is primary/, runbook: false },
    { name: 'degraded', banner: /^Degraded$/, reason: /catching up/, runbook: true },
    { name: 'failover', banner: /Failover in progress/, reason: /node2 is being promoted/, runbook: true },
    {
      name: 'primary_lost',
      banner: /Failover in progress/,
      reason: /node2 eligible, promotion expected/,
      runbook: true,
    },
    { name: 'wedged', banner: /Wedged/, reason: /no standby can be promoted/, runbook: true },
    { name: 'routing_stale', banner: /PgBouncer routing stale/, reason: /primary is node2/, runbook: true },
    { name: 'monitor_down', banner: /Monitor unreachable/, reason: /automatic failover is paused/, runbook: true },
  ];

  it.each(table)('$name on a wall screen', ({ name, banner, reason, runbook }) => {
    render(<Topology series={scenario(name)} state={LoadingState.Done} {...WALL} timeZone="utc" />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent(banner);
    expect(screen.getByTestId(ids.reason)).toHaveTextContent(reason);
    if (runbook) {
      expect(screen.getByTestId(ids.runbook)).toHaveAttribute('href', '/a/veza-slo-app/runbooks/db-failover');
    } else {
      expect(screen.queryByTestId(ids.runbook)).not.toBeInTheDocument();
    }
    const drawing = screen.getByTestId(ids.drawing);
    expect(within(drawing).getByTestId(ids.node('node1'))).toBeInTheDocument();
    expect(within(drawing).getByTestId(ids.node('node2'))).toBeInTheDocument();
    expect(within(drawing).getByTestId(ids.monitor)).toBeInTheDocument();
    // The monitor-down fixture has no PgBouncer configured: the drawing then has no box for it.
    expect(within(drawing).queryByTestId(ids.pgbouncer) !== null).toBe(name !== 'monitor_down');
  });

  it('healthy: roles, replication arrow labelled with lag, events listed newest first', () => {
    render(<Topology series={scenario('healthy')} {...WALL} timeZone="utc" />);
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY');
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('SECONDARY');
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('lag 0 B · 0.0 s');
    expect(screen.getByTestId(ids.edge('replication', 'node1', 'node2'))).toHaveTextContent('0 B · 0.0 s');
    expect(screen.getByTestId(ids.edge('routing', 'PgBouncer', 'node1'))).toBeInTheDocument();
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('→ node1 · 3 conns');
    const events = screen.getAllByTestId(ids.event);
    expect(events[0]).toHaveTextContent('11:59:01');
    expect(events[1]).toHaveTextContent('primary → draining');
    expect(screen.queryByTestId(ids.stale)).not.toBeInTheDocument();
  });

  it('primary lost: the dead node reads PRIMARY LOST, never PRIMARY, and PgBouncer is flagged', () => {
    render(<Topology series={scenario('primary_lost')} {...WALL} />);
    const node1 = screen.getByTestId(ids.node('node1'));
    expect(node1).toHaveTextContent('PRIMARY LOST');
    expect(node1).toHaveTextContent('monitor still says primary');
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('ROUTING STALE → node1');
  });

  it('failover in progress: the promoted standby shows where it is going, the old primary is lost', () => {
    render(<Topology series={scenario('failover')} {...WALL} />);
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY LOST');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('UNHEALTHY');
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('STOP REPLICATION');
  });

  it('routing stale: PgBouncer says where it sends traffic', () => {
    render(<Topology series={scenario('routing_stale')} {...WALL} />);
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('ROUTING STALE → node1');
    expect(screen.getByTestId(ids.edge('replication', 'node2', 'node1'))).toBeInTheDocument();
  });

  it('monitor unreachable: last known roles, marked stale', () => {
    render(<Topology series={scenario('monitor_down')} {...WALL} />);
    expect(screen.getByTestId(ids.stale)).toHaveTextContent('Last known roles');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('LAST KNOWN');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY');
    expect(screen.getByTestId(ids.monitor)).toHaveTextContent('MONITOR DOWN');
  });

  it('monitor unreachable with no roles: keeps the previous drawing, stale, with its time', () => {
    const { rerender } = render(<Topology series={scenario('healthy')} {...WALL} timeZone="utc" />);
    const down = golden('status_monitor_down');
    rerender(<Topology series={down} {...WALL} timeZone="utc" />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Monitor unreachable');
    expect(screen.getByTestId(ids.stale)).toHaveTextContent(/Last known roles, as of \d\d:\d\d:\d\d/);
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('LAST KNOWN');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY');
  });
});

describe('Topology of larger formations', () => {
  it('draws every node of a three-node formation', () => {
    render(<Topology series={[...golden('topology_three_nodes'), ...golden('status_three_nodes')]} {...WALL} />);
    expect(screen.getAllByTestId(/pgtopology-node-/)).toHaveLength(3);
  });

  it('labels each node with its group when the formation has several', () => {
    render(<Topology series={[...golden('topology_two_groups'), ...golden('status_two_groups')]} {...WALL} />);
    const boxes = screen.getAllByTestId(/pgtopology-node-/);
    expect(boxes.length).toBeGreaterThanOrEqual(4);
    expect(boxes.every((b) => /group \d/.test(b.textContent ?? ''))).toBe(true);
  });
});

describe('Topology sizes', () => {
  it('small tile: verdict and one chip per node, no drawing, no events', () => {
    render(<Topology series={scenario('routing_stale')} {...TILE} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('PgBouncer routing stale');
    expect(screen.getByTestId(ids.compact)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.drawing)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.events)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('primary');
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('PgBouncer → node1 (routing stale)');
  });

  it('small tile, healthy: stays quiet (no reason line)', () => {
    render(<Topology series={scenario('healthy')} {...TILE} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Healthy');
    expect(screen.queryByTestId(ids.reason)).not.toBeInTheDocument();
  });

  it('a tall narrow panel lists events below the drawing; eventCount caps them; 0 hides them', () => {
    const { rerender } = render(<Topology series={scenario('healthy')} width={700} height={800} eventCount={1} />);
    expect(screen.getAllByTestId(ids.event)).toHaveLength(1);
    rerender(<Topology series={scenario('healthy')} width={700} height={800} eventCount={0} />);
    expect(screen.queryByTestId(ids.events)).not.toBeInTheDocument();
  });

  it('scales text with the panel: bigger on a wall than in a tile', () => {
    const { unmount } = render(<Topology series={scenario('degraded')} {...WALL} />);
    const wallSize = parseFloat(getComputedStyle(screen.getByTestId(ids.verdict)).fontSize);
    unmount();
    render(<Topology series={scenario('degraded')} {...TILE} />);
    const tileSize = parseFloat(getComputedStyle(screen.getByTestId(ids.verdict)).fontSize);
    expect(wallSize).toBeGreaterThan(tileSize * 2);
  });
});

describe('Topology states', () => {
  it('loading', () => {
    render(<Topology series={[]} state={LoadingState.Loading} {...WALL} />);
    expect(screen.getByTestId(ids.loading)).toHaveTextContent('Reading the formation');
  });

  it('no data', () => {
    render(<Topology series={[]} state={LoadingState.Done} {...WALL} />);
    expect(screen.getByTestId(ids.noData)).toHaveTextContent('No topology data');
  });

  it('unrelated frames count as no data', () => {
    const frame = toDataFrame({ fields: [{ name: 'Value', type: FieldType.number, values: [1] }] });
    render(<Topology series={[frame]} state={LoadingState.Done} {...WALL} />);
    expect(screen.getByTestId(ids.noData)).toBeInTheDocument();
  });

  it('error without data: says what broke, links the runbook', () => {
    render(
      <Topology
        series={[]}
        state={LoadingState.Error}
        errors={[{ message: 'monitor unreachable at 127.0.0.1:6000: connection refused' }]}
        {...WALL}
      />
    );
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Cannot read the formation');
    expect(screen.getByTestId(ids.reason)).toHaveTextContent('connection refused');
    expect(screen.getByTestId(ids.runbook)).toBeInTheDocument();
  });

  it('error after data: keeps the last drawing, stale, and shows the error', () => {
    const { rerender } = render(<Topology series={scenario('healthy')} {...WALL} />);
    rerender(
      <Topology series={[]} state={LoadingState.Error} errors={[{ message: 'query timeout after 5s' }]} {...WALL} />
    );
    expect(screen.getByTestId(ids.reason)).toHaveTextContent('query timeout after 5s');
    expect(screen.getByTestId(ids.stale)).toBeInTheDocument();
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('LAST KNOWN');
  });

  it('partial data: a status query alone still gives the banner', () => {
    render(<Topology series={golden('status_degraded')} {...WALL} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Degraded');
    expect(screen.queryByTestId(ids.drawing)).not.toBeInTheDocument();
  });
});

describe('TopologyPanel', () => {
  it('adapts PanelProps', () => {
    const props = {
      data: { series: scenario('wedged'), state: LoadingState.Done, timeRange: {} },
      width: 1200,
      height: 700,
      options: { eventCount: 2 },
      timeZone: 'utc',
    } as unknown as React.ComponentProps<typeof TopologyPanel>;
    render(<TopologyPanel {...props} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Wedged');
    expect(screen.getAllByTestId(ids.event)).toHaveLength(2);
  });
});

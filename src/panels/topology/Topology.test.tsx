import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { Topology } from './Topology';
import { TopologyPanel } from './TopologyPanel';
import { scenarios, statusFrame } from './testdata';
import { topologyTestIds as ids } from './testIds';

const WALL = { width: 1600, height: 900 };
const TILE = { width: 320, height: 220 };

describe('Topology renders each verdict from frames', () => {
  const table: Array<{ verdict: string; banner: RegExp; reason: RegExp; runbook: boolean }> = [
    { verdict: 'healthy', banner: /^Healthy$/, reason: /node1 is primary/, runbook: false },
    { verdict: 'degraded', banner: /Degraded: no failover possible now/, reason: /catching up/, runbook: true },
    { verdict: 'failover in progress', banner: /Failover in progress/, reason: /demote_timeout/, runbook: true },
    { verdict: 'wedged', banner: /Wedged/, reason: /no standby can be promoted/, runbook: true },
    { verdict: 'routing stale', banner: /PgBouncer routing stale/, reason: /primary is node2/, runbook: true },
    {
      verdict: 'monitor unreachable',
      banner: /Monitor unreachable/,
      reason: /automatic failover is paused/,
      runbook: true,
    },
  ];

  it.each(table)('$verdict on a wall screen', ({ verdict, banner, reason, runbook }) => {
    render(<Topology series={scenarios[verdict]} state={LoadingState.Done} {...WALL} timeZone="utc" />);
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
    expect(within(drawing).getByTestId(ids.pgbouncer)).toBeInTheDocument();
    expect(within(drawing).getByTestId(ids.edge('routing', 'PgBouncer', 'node1'))).toBeInTheDocument();
  });

  it('healthy: roles, replication arrow labelled with lag, events listed newest first', () => {
    render(<Topology series={scenarios.healthy} {...WALL} timeZone="utc" />);
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY');
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('SECONDARY');
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('lag 0 B · 0.0 s');
    expect(screen.getByTestId(ids.edge('replication', 'node1', 'node2'))).toHaveTextContent('0 B · 0.0 s');
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('→ node1 · 4 conns');
    const events = screen.getAllByTestId(ids.event);
    expect(events[0]).toHaveTextContent('11:59:30');
    expect(events[0]).toHaveTextContent('stop_replication → wait_primary');
    expect(events[1]).toHaveTextContent('secondary → prepare_promotion');
    expect(screen.queryByTestId(ids.stale)).not.toBeInTheDocument();
  });

  it('failover in progress: both nodes show where they are going', () => {
    render(<Topology series={scenarios['failover in progress']} {...WALL} />);
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('DEMOTE TIMEOUT');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('→ DEMOTED');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('UNHEALTHY');
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('→ WAIT PRIMARY');
  });

  it('routing stale: PgBouncer says where it sends traffic', () => {
    render(<Topology series={scenarios['routing stale']} {...WALL} />);
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('ROUTING STALE → node1');
    expect(screen.getByTestId(ids.edge('replication', 'node2', 'node1'))).toBeInTheDocument();
  });

  it('monitor unreachable: last known roles, marked stale', () => {
    render(<Topology series={scenarios['monitor unreachable']} {...WALL} />);
    expect(screen.getByTestId(ids.stale)).toHaveTextContent('Last known roles');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('LAST KNOWN');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY');
    expect(screen.getByTestId(ids.monitor)).toHaveTextContent('MONITOR DOWN');
  });

  it('monitor unreachable with no roles: keeps the previous drawing, stale, with its time', () => {
    const { rerender } = render(<Topology series={scenarios.healthy} {...WALL} timeZone="utc" />);
    const down = [statusFrame('monitor unreachable', 'monitor unreachable at 127.0.0.1:6000: connection refused')];
    rerender(<Topology series={down} {...WALL} timeZone="utc" />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Monitor unreachable');
    expect(screen.getByTestId(ids.stale)).toHaveTextContent(/Last known roles, as of \d\d:\d\d:\d\d/);
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('LAST KNOWN');
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('PRIMARY');
  });
});

describe('Topology sizes', () => {
  it('small tile: verdict and one chip per node, no drawing, no events', () => {
    render(<Topology series={scenarios['routing stale']} {...TILE} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('PgBouncer routing stale');
    expect(screen.getByTestId(ids.compact)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.drawing)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.events)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.node('node2'))).toHaveTextContent('primary');
    expect(screen.getByTestId(ids.pgbouncer)).toHaveTextContent('PgBouncer → node1 (not the primary)');
  });

  it('small tile, healthy: stays quiet (no reason line)', () => {
    render(<Topology series={scenarios.healthy} {...TILE} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Healthy');
    expect(screen.queryByTestId(ids.reason)).not.toBeInTheDocument();
  });

  it('a tall narrow panel lists events below the drawing; eventCount caps them; 0 hides them', () => {
    const { rerender } = render(<Topology series={scenarios.healthy} width={700} height={800} eventCount={1} />);
    expect(screen.getAllByTestId(ids.event)).toHaveLength(1);
    rerender(<Topology series={scenarios.healthy} width={700} height={800} eventCount={0} />);
    expect(screen.queryByTestId(ids.events)).not.toBeInTheDocument();
  });

  it('scales text with the panel: bigger on a wall than in a tile', () => {
    const { unmount } = render(<Topology series={scenarios.degraded} {...WALL} />);
    const wallSize = parseFloat(getComputedStyle(screen.getByTestId(ids.verdict)).fontSize);
    unmount();
    render(<Topology series={scenarios.degraded} {...TILE} />);
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
    const { rerender } = render(<Topology series={scenarios.healthy} {...WALL} />);
    rerender(
      <Topology series={[]} state={LoadingState.Error} errors={[{ message: 'query timeout after 5s' }]} {...WALL} />
    );
    expect(screen.getByTestId(ids.reason)).toHaveTextContent('query timeout after 5s');
    expect(screen.getByTestId(ids.stale)).toBeInTheDocument();
    expect(screen.getByTestId(ids.node('node1'))).toHaveTextContent('LAST KNOWN');
  });

  it('partial data: a status query alone still gives the banner', () => {
    render(<Topology series={[statusFrame('degraded', 'node2 has candidate priority 0')]} {...WALL} />);
    expect(screen.getByTestId(ids.verdict)).toHaveTextContent('Degraded');
    expect(screen.queryByTestId(ids.drawing)).not.toBeInTheDocument();
  });
});

describe('TopologyPanel', () => {
  it('adapts PanelProps', () => {
    const props = {
      data: { series: scenarios.wedged, state: LoadingState.Done, timeRange: {} },
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

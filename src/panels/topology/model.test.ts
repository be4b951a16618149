import { DataFrame, FieldType, toDataFrame } from '@grafana/data';
import { appended, golden, scenario, SCENARIOS, type Scenario } from './golden';
import {
  formatBytes,
  formatSeconds,
  isEmpty,
  lagLabel,
  primaryOf,
  rememberable,
  safeRunbook,
  toView,
  VERDICTS,
  withLastKnown,
} from './model';

// Every frame here is one of Go's golden files: what the backend decides (tone, role, answering, routing) is read,
// never recomputed. pkg/pgha's own tests say why each scenario has those values.

describe('toView reads every golden scenario', () => {
  it.each(Object.entries(SCENARIOS) as Array<[Scenario, string]>)('%s → %s', (name, verdict) => {
    const view = toView(scenario(name));
    expect(view.status?.verdict).toBe(verdict);
    expect(view.status?.reason).not.toBe('');
    expect(view.status?.tone).not.toBe('unknown');
    expect(view.monitor).toBeDefined();
    expect(view.nodes.map((n) => n.name)).toEqual(['node1', 'node2']);
    expect(view.nodes.every((n) => n.reported !== 'unknown' && n.role !== undefined)).toBe(true);
    if (verdict !== 'healthy') {
      expect(view.status?.runbookUrl).toBe('/a/veza-slo-app/runbooks/db-failover');
    }
    // Every edge joins boxes the panel draws.
    const ids = new Set([view.monitor?.id, view.pgbouncer?.id, ...view.nodes.map((n) => n.id)]);
    expect(view.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
    expect(view.events.length).toBeGreaterThan(0);
  });

  it('covers every verdict the app names', () => {
    expect(new Set(Object.values(SCENARIOS))).toEqual(new Set(VERDICTS));
  });
});

describe('what the backend decided, as the panel reads it', () => {
  const tones = (name: Scenario) => Object.fromEntries(toView(scenario(name)).nodes.map((n) => [n.name, n.tone]));

  it('healthy: green primary, green standby, routing right', () => {
    const view = toView(scenario('healthy'));
    expect(tones('healthy')).toEqual({ node1: 'ok', node2: 'ok' });
    expect(primaryOf(view)?.name).toBe('node1');
    expect(view.pgbouncer).toMatchObject({ routesTo: 'node/node1', routingStale: false, tone: 'ok' });
    expect(view.monitor).toMatchObject({ up: true });
    expect(view.edges.find((e) => e.kind === 'replication')?.label).toBe('lag 0 B · 0.0 s');
  });

  it('primary lost: the dead primary is never drawn healthy and PgBouncer is flagged at once', () => {
    const view = toView(scenario('primary_lost'));
    expect(view.status?.reason).toMatch(
      /primary node1 lost \(connection refused\) — node2 eligible, promotion expected within \d+ s/
    );
    const node1 = view.nodes[0];
    expect(node1).toMatchObject({ role: 'primary lost', answering: false, tone: 'critical' });
    expect(view.pgbouncer).toMatchObject({ routesTo: 'node/node1', routingStale: true, tone: 'critical' });
    expect(view.pgbouncer?.error).toMatch(/not answering/);
    expect(primaryOf(view)?.name).toBe('node1');
  });

  it('failover: the old primary is lost, the promoted standby in transition', () => {
    expect(tones('failover')).toEqual({ node1: 'critical', node2: 'transition' });
    expect(toView(scenario('failover')).nodes[0].role).toBe('primary lost');
  });

  it('routing stale: PgBouncer still routes to the old primary', () => {
    const view = toView(scenario('routing_stale'));
    expect(primaryOf(view)?.name).toBe('node2');
    expect(view.pgbouncer).toMatchObject({ routesTo: 'node/node1', routingStale: true, tone: 'critical' });
  });

  it('monitor down: last known roles, every node stale, monitor down', () => {
    const view = toView(scenario('monitor_down'));
    expect(view.stale).toBe(true);
    expect(view.nodes.every((n) => n.stale)).toBe(true);
    expect(view.monitor).toMatchObject({ up: false, tone: 'critical' });
  });

  it('reads every node column', () => {
    expect(toView(scenario('degraded')).nodes[1]).toMatchObject({
      id: 'node/node2',
      address: 'localhost:6002',
      reported: 'catchingup',
      connection: 'read-only',
      health: 'good',
      answering: true,
      lagBytes: 48 * 1024 * 1024,
      lagSeconds: 12,
      syncState: 'async',
      candidatePriority: 50,
      role: 'standby',
      tone: 'warning',
    });
  });

  it('lists events newest first with from → to', () => {
    const events = toView(scenario('healthy')).events;
    expect(events.length).toBeGreaterThan(1);
    expect(events[0].time).toBeGreaterThanOrEqual(events[1].time);
    expect(events[0].from).toBeDefined();
    expect(events[0].to).toBeDefined();
  });
});

describe('larger formations (golden three_nodes, two_groups)', () => {
  it('three data nodes: every node drawn, one primary, the verdict from Go', () => {
    const view = toView([...golden('topology_three_nodes'), ...golden('status_three_nodes')]);
    expect(view.nodes).toHaveLength(3);
    expect(view.nodes.filter((n) => n.role === 'primary')).toHaveLength(1);
    expect(view.status?.verdict).not.toBe('unknown');
  });

  it('two groups: nodes ordered by group, a primary in each', () => {
    const view = toView([...golden('topology_two_groups'), ...golden('status_two_groups')]);
    const groups = view.nodes.map((n) => n.group);
    expect(groups).toEqual([...groups].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(new Set(groups).size).toBe(2);
    for (const g of new Set(groups)) {
      expect(view.nodes.filter((n) => n.group === g && n.role === 'primary')).toHaveLength(1);
    }
  });
});

describe('strict reading', () => {
  it('reads frames by their declared name only: an undeclared frame of the same shape is ignored', () => {
    const unnamed = golden('topology_healthy').map((f) => ({ ...f, name: undefined, meta: undefined }));
    expect(isEmpty(toView(unnamed))).toBe(true);
  });

  it('finds a live frame Grafana Live rebuilt without its name by the name Go declared in meta.custom', () => {
    const streamed = scenario('healthy').map((f) => ({ ...f, name: undefined }));
    const view = toView(streamed);
    expect(view.status?.verdict).toBe('healthy');
    expect(view.nodes).toHaveLength(2);
    expect(view.edges.length).toBeGreaterThan(0);
  });

  it('takes one name per field: an alias of a field reads as unknown, never guessed', () => {
    const [nodes] = golden('topology_healthy');
    const renamed: DataFrame = {
      ...nodes,
      fields: nodes.fields.map((f) =>
        f.name === 'detail__reported_state' || f.name === 'detail__tone' ? { ...f, name: f.name.slice(8) } : f
      ),
    };
    const node1 = toView([renamed]).nodes[0];
    expect(node1.reported).toBe('unknown');
    expect(node1.tone).toBe('unknown');
  });

  it('an unknown verdict or tone reads as unknown', () => {
    const status = toDataFrame({
      name: 'status',
      fields: [
        { name: 'verdict', type: FieldType.string, values: ['Healthy!'] },
        { name: 'tone', type: FieldType.string, values: ['green'] },
      ],
    });
    expect(toView([status]).status).toMatchObject({ verdict: 'unknown', tone: 'unknown' });
  });

  it('keeps the newest row per node and edge when a live stream appended snapshots', () => {
    const [healthyNodes, healthyEdges] = golden('topology_healthy');
    const [lostNodes, lostEdges] = golden('topology_primary_lost');
    const view = toView([appended(healthyNodes, lostNodes), appended(healthyEdges, lostEdges)]);
    expect(view.nodes.map((n) => `${n.name}:${n.role}`)).toEqual(['node1:primary lost', 'node2:standby']);
    expect(view.edges.filter((e) => e.kind === 'replication')).toHaveLength(1);
  });

  it('is empty without frames', () => {
    expect(isEmpty(toView([]))).toBe(true);
    expect(isEmpty(toView(scenario('healthy')))).toBe(false);
  });
});

describe('withLastKnown', () => {
  const healthy = toView(scenario('healthy'));
  const at = Date.UTC(2026, 0, 1, 11, 59);

  it('keeps the last drawing, marked stale, when the monitor is down and no roles came back', () => {
    const down = toView(golden('status_monitor_down'));
    const view = withLastKnown(down, { view: healthy, at });
    expect(view.stale).toBe(true);
    expect(view.staleSince).toBe(at);
    expect(view.status?.verdict).toBe('monitor unreachable');
    expect(view.monitor?.up).toBe(false);
    expect(view.nodes.map((n) => `${n.name}:${n.reported}:${n.stale}`)).toEqual([
      'node1:primary:true',
      'node2:secondary:true',
    ]);
    expect(view.pgbouncer?.stale).toBe(true);
    expect(rememberable(view)).toBe(false);
  });

  it('keeps the last drawing without a verdict when the query failed outright', () => {
    const view = withLastKnown(toView([]), { view: healthy, at });
    expect(view.stale).toBe(true);
    expect(view.status).toBeUndefined();
  });

  it('uses current data whenever it has roles', () => {
    const current = toView(scenario('routing_stale'));
    expect(withLastKnown(current, { view: healthy, at })).toBe(current);
    expect(withLastKnown(healthy, undefined)).toBe(healthy);
    expect(rememberable(healthy)).toBe(true);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [48 * 1024 * 1024, '48 MiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
    [-5, '0 B'],
  ])('bytes %s → %s', (b, s) => expect(formatBytes(b)).toBe(s));
  it.each([
    [0, '0.0 s'],
    [0.35, '0.3 s'],
    [12, '12 s'],
    [600, '10 min'],
    [10800, '3 h'],
  ])('seconds %s → %s', (v, s) => expect(formatSeconds(v)).toBe(s));
  it('lag label joins what is known', () => {
    expect(lagLabel(2048, 0.5)).toBe('2.0 KiB · 0.5 s');
    expect(lagLabel(2048, undefined)).toBe('2.0 KiB');
    expect(lagLabel(undefined, undefined)).toBeUndefined();
  });
});

describe('safeRunbook', () => {
  it.each([
    [undefined, '/a/veza-slo-app/runbooks/db-failover'],
    ['', '/a/veza-slo-app/runbooks/db-failover'],
    ['db-failover', '/a/veza-slo-app/runbooks/db-failover'],
    ['/a/veza-slo-app/runbooks/pgbouncer', '/a/veza-slo-app/runbooks/pgbouncer'],
    ['https://wiki.example/db', 'https://wiki.example/db'],
    ['javascript:alert(1)', '/a/veza-slo-app/runbooks/db-failover'],
    ['//evil.example/x', '/a/veza-slo-app/runbooks/db-failover'],
  ])('%s → %s', (raw, url) => expect(safeRunbook(raw)).toBe(url));
});

import { DataFrame, dataFrameFromJSON } from '@grafana/data';
import { goldenFrames, hasGolden as has } from './golden';
import { toView } from './model';

// The Go side's golden frames through the panel's mapping: if a field the panel reads is renamed in Go, this
// fails here.
const golden = (name: string): DataFrame[] => goldenFrames(name).map((f) => dataFrameFromJSON(f));

const cases = [
  { topology: 'topology_healthy', status: 'status_healthy', verdict: 'healthy', stale: false },
  { topology: 'topology_failover', status: 'status_failover', verdict: 'failover in progress', stale: false },
  { topology: 'topology_monitor_down', status: 'status_monitor_down', verdict: 'monitor unreachable', stale: true },
].filter((c) => has(c.topology) && has(c.status));

(cases.length ? describe : describe.skip)('pkg/plugin golden frames', () => {
  it.each(cases)('$topology + $status', ({ topology, status, verdict, stale }) => {
    const view = toView([...golden(topology), ...golden(status), ...(has('events') ? golden('events') : [])]);
    expect(view.status?.verdict).toBe(verdict);
    expect(view.status?.reason).not.toBe('');
    expect(view.monitor).toBeDefined();
    expect(view.nodes.length).toBeGreaterThan(0);
    expect(view.nodes.every((n) => n.reported !== 'unknown')).toBe(true);
    expect(view.stale).toBe(stale);
    if (verdict !== 'healthy') {
      expect(view.status?.runbookUrl).toBe('/a/veza-slo-app/runbooks/db-failover');
    }
    // Every edge joins boxes the panel draws.
    const ids = new Set([view.monitor?.id, view.pgbouncer?.id, ...view.nodes.map((n) => n.id)]);
    for (const e of view.edges) {
      expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    }
    if (has('events')) {
      expect(view.events.length).toBeGreaterThan(0);
      expect(view.events[0].from).toBeDefined();
    }
  });
});

package plugin

import (
	"errors"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// fuzzSnapshot builds a two-node formation from fuzzed states, health, ages and PgBouncer target: any
// combination a monitor could report, including ones it never should.
func fuzzSnapshot(r1, g1, r2, g2 string, h1, h2 int8, age1, age2 float64, target uint16, monitorDown bool) pgha.Snapshot {
	node := func(id int64, name string, port int, r, g string, h int8, age float64) pgha.Node {
		return pgha.Node{ID: id, Name: name, Host: "127.0.0.1", Port: port, Reported: pgha.State(r), Goal: pgha.State(g),
			PgIsRunning: h > 0, Health: pgha.Health(int(h) % 2), ReportAge: &age, StateChangeAge: &age2, LSN: "0/3000000"}
	}
	s := pgha.Snapshot{
		Formation: "default", DBName: "appdb", MonitorAddress: "127.0.0.1:6000",
		Nodes:    []pgha.Node{node(1, "node1", 6001, r1, g1, h1, age1), node(2, "node2", 6002, r2, g2, h2, age2)},
		Timeouts: pgha.DefaultTimeouts,
		Bouncer: &pgha.Bouncer{Address: "127.0.0.1:6432", Database: "appdb", TargetHost: "127.0.0.1", TargetPort: int(target),
			TargetNode: pgha.MatchNode(nil, "127.0.0.1", int(target)), Servers: map[string]int{"node1": 1}},
	}
	if monitorDown {
		s.MonitorErr, s.Stale = errors.New("connection refused"), true
	}
	return s
}

// Classification and every frame built from it: no panic, a known verdict, a primary that exists, and frames
// whose fields all have the same length (Grafana refuses a ragged frame).
func FuzzClassifyAndFrames(f *testing.F) {
	f.Add("primary", "primary", "secondary", "secondary", int8(1), int8(1), 0.5, 0.5, uint16(6001), false)
	f.Add("primary", "draining", "stop_replication", "wait_primary", int8(0), int8(1), 40.0, 1.0, uint16(6001), false)
	f.Add("demoted", "catchingup", "wait_primary", "wait_primary", int8(1), int8(1), 1.0, 3.0, uint16(6002), false)
	f.Add("single", "single", "", "", int8(-1), int8(0), -1.0, 1e308, uint16(0), true)
	f.Add("maintenance", "maintenance", "nonsense", "report_lsn", int8(1), int8(0), 0.0, 0.0, uint16(6432), false)
	known := map[pgha.Verdict]bool{pgha.VerdictHealthy: true, pgha.VerdictDegraded: true, pgha.VerdictFailoverInProgress: true,
		pgha.VerdictWedged: true, pgha.VerdictRoutingStale: true, pgha.VerdictMonitorUnreachable: true}
	f.Fuzz(func(t *testing.T, r1, g1, r2, g2 string, h1, h2 int8, age1, age2 float64, target uint16, monitorDown bool) {
		s := fuzzSnapshot(r1, g1, r2, g2, h1, h2, age1, age2, target, monitorDown)
		st := pgha.Classify(s)
		if !known[st.Verdict] {
			t.Fatalf("unknown verdict %q", st.Verdict)
		}
		if st.Verdict != pgha.VerdictHealthy && st.Reason == "" {
			t.Fatalf("verdict %q without a reason", st.Verdict)
		}
		if st.Primary != "" && s.NodeByName(st.Primary) == nil {
			t.Fatalf("primary %q is not a node of the snapshot", st.Primary)
		}
		measures := MeasuresFrame(s, st, nil, "")
		for _, fr := range []*data.Frame{NodesFrame(s, st), EdgesFrame(s), StatusFrame(s, st, nil), measures} {
			if _, err := fr.RowLen(); err != nil {
				t.Fatalf("frame %s is ragged: %v", fr.Name, err)
			}
		}
		if measures.TimeSeriesSchema().Type != data.TimeSeriesTypeWide || pgha.VerdictCode(st.Verdict) < 0 {
			t.Fatalf("measures frame not a wide numeric series, or verdict %q has no code", st.Verdict)
		}
	})
}

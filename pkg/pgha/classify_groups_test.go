package pgha

import (
	"strings"
	"testing"
)

func quorum(on bool) opt { return func(nd *Node) { nd.ReplicationQuorum = on } }
func group(id int) opt   { return func(nd *Node) { nd.GroupID = id } }
func withSync(s Snapshot, nss int) Snapshot {
	s.NumberSyncStandbys = nss
	return s
}

// Formations of three and more data nodes: number_sync_standbys, replication quorum and candidate priority.
func TestClassifyLargerFormations(t *testing.T) {
	primary := func(o ...opt) Node { return n("node1", 6001, StatePrimary, StatePrimary, o...) }
	standby := func(name string, port int, o ...opt) Node { return n(name, port, StateSecondary, StateSecondary, o...) }
	cases := map[string]struct {
		snap    Snapshot
		verdict Verdict
		reason  string // a fragment the reason must contain
		not     string // a fragment it must not contain ("" = no check)
	}{
		"three nodes, both standbys in the quorum, number_sync_standbys 1": {
			withSync(snap(primary(), standby("node2", 6002), standby("node3", 6003)), 1),
			VerdictHealthy, "node1 is primary, node2, node3 in sync and eligible for failover", "at risk"},
		"a priority-0 standby by design leaves the formation healthy": {
			snap(primary(), standby("node2", 6002), standby("node3", 6003, priority(0), quorum(false))),
			VerdictHealthy, "node3 async (replication quorum off), never promoted (candidate priority 0)", "degraded"},
		"only priority-0 standbys: no failover possible": {
			snap(primary(), standby("node2", 6002, priority(0)), standby("node3", 6003, priority(0))),
			VerdictDegraded, "node2 has candidate priority 0 and will never be promoted", ""},
		"the eligible standby down, the other has priority 0": {
			snap(primary(), standby("node2", 6002, down), standby("node3", 6003, priority(0))),
			VerdictDegraded, "no standby can take over", ""},
		"one quorum standby of two down with number_sync_standbys 1: writes at risk": {
			withSync(snap(primary(), standby("node2", 6002, down), standby("node3", 6003)), 1),
			VerdictDegraded, "writes at risk: number_sync_standbys is 1 and just that many replication-quorum standbys are in sync (node3; quorum: node2, node3)", ""},
		"both quorum standbys down with number_sync_standbys 1: writes blocked": {
			withSync(snap(primary(), standby("node2", 6002, down), standby("node3", 6003, down)), 1),
			VerdictWedged, "writes blocked: number_sync_standbys is 1 but none of the replication-quorum standbys (node2, node3) is in sync", ""},
		"number_sync_standbys 2 with one of three standbys catching up: blocked": {
			withSync(snap(primary(), standby("node2", 6002), n("node3", 6003, StateCatchingUp, StateCatchingUp),
				standby("node4", 6004, quorum(false))), 2),
			VerdictWedged, "only node2 of the replication-quorum standbys (node2, node3) in sync", ""},
		"number_sync_standbys 0: a standby down only degrades": {
			snap(primary(), standby("node2", 6002, down), standby("node3", 6003)),
			VerdictDegraded, "node2 is down", "writes"},
		"the only promotable standby is asynchronous": {
			snap(primary(), standby("node2", 6002, quorum(false)), standby("node3", 6003, priority(0))),
			VerdictDegraded, "every standby that can be promoted (node2) replicates asynchronously", ""},
		"an election among three standbys is a failover, not blocked writes": {
			withSync(snap(n("node1", 6001, StatePrimary, StateDemoteTimeout, down, changed(2)),
				n("node2", 6002, StateReportLSN, StateReportLSN, changed(1)), n("node3", 6003, StateReportLSN, StateReportLSN, changed(1))), 1),
			VerdictFailoverInProgress, "report_lsn", "blocked"},
		"primary dead, one standby priority 0, the other catching up": {
			snap(primary(down), standby("node2", 6002, priority(0)), n("node3", 6003, StateCatchingUp, StateCatchingUp)),
			VerdictWedged, "no standby can be promoted", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := Classify(c.snap)
			if got.Verdict != c.verdict || !strings.Contains(got.Reason, c.reason) || (c.not != "" && strings.Contains(got.Reason, c.not)) {
				t.Fatalf("got %q %q\nwant %q containing %q (and not %q)", got.Verdict, got.Reason, c.verdict, c.reason, c.not)
			}
		})
	}
}

// Several groups: each is judged on its own; the formation's verdict is the worst group's, the primary group 0's.
func TestClassifyGroups(t *testing.T) {
	g0 := []Node{n("coord1", 6001, StatePrimary, StatePrimary), n("coord2", 6002, StateSecondary, StateSecondary)}
	healthyWorker := []Node{n("worker1a", 6011, StatePrimary, StatePrimary, group(1)), n("worker1b", 6012, StateSecondary, StateSecondary, group(1))}
	wedgedWorker := []Node{n("worker1a", 6011, StatePrimary, StatePrimary, group(1), down),
		n("worker1b", 6012, StateCatchingUp, StateCatchingUp, group(1))}
	degradedWorker := []Node{n("worker2a", 6021, StatePrimary, StatePrimary, group(2)), n("worker2b", 6022, StateSecondary, StateSecondary, group(2), down)}

	t.Run("two healthy groups", func(t *testing.T) {
		s := snap(append(append([]Node{}, g0...), healthyWorker...)...)
		gs := ClassifyGroups(s)
		if len(gs) != 2 || gs[0].Group != 0 || gs[1].Group != 1 || gs[0].Primary != "coord1" || gs[1].Primary != "worker1a" {
			t.Fatalf("groups: %+v", gs)
		}
		st := Classify(s)
		if st.Verdict != VerdictHealthy || st.Primary != "coord1" || st.Runbook != "" ||
			!strings.Contains(st.Reason, "group 0: coord1 is primary") || !strings.Contains(st.Reason, "group 1 healthy: worker1a is primary") {
			t.Fatalf("%+v", st)
		}
	})
	t.Run("a wedged worker makes the formation wedged although the coordinator is healthy", func(t *testing.T) {
		s := snap(append(append(append([]Node{}, g0...), wedgedWorker...), degradedWorker...)...)
		gs := ClassifyGroups(s)
		want := []Verdict{VerdictHealthy, VerdictWedged, VerdictDegraded}
		for i, g := range gs {
			if g.Group != i || g.Verdict != want[i] {
				t.Fatalf("group %d: %+v, want %s", i, g, want[i])
			}
		}
		st := Classify(s)
		if st.Verdict != VerdictWedged || st.Primary != "coord1" || st.Runbook != RunbookFailover ||
			!strings.HasPrefix(st.Reason, "group 1: primary worker1a is down and no standby can be promoted") ||
			!strings.Contains(st.Reason, "group 2 degraded: worker2b is down") || strings.Contains(st.Reason, "group 0") {
			t.Fatalf("%+v", st)
		}
		if w := Worst(gs); w.Group != 1 {
			t.Fatalf("worst %+v", w)
		}
	})
	t.Run("PgBouncer belongs to group 0: routing to a worker's primary is stale", func(t *testing.T) {
		s := routed(snap(append(append([]Node{}, g0...), healthyWorker...)...), 6011)
		if st := Classify(s); st.Verdict != VerdictRoutingStale || !strings.HasPrefix(st.Reason, "group 0:") {
			t.Fatalf("%+v", st)
		}
		if g := s.Group(1); g.Bouncer != nil || len(g.Nodes) != 2 {
			t.Fatalf("group 1 keeps PgBouncer or loses nodes: %+v", g)
		}
	})
	t.Run("one group is classified as before", func(t *testing.T) {
		s := snap(g0...)
		if gs := ClassifyGroups(s); len(gs) != 1 || gs[0].Status != Classify(s) {
			t.Fatalf("%+v vs %+v", gs, Classify(s))
		}
	})
}

func TestFormationNotFoundNamesTheOthers(t *testing.T) {
	err := &FormationNotFoundError{Name: "x", Known: []string{"a", "b"}}
	if err.Error() != `formation "x" not found on the monitor; formations: a, b` {
		t.Fatal(err)
	}
	f := Describe("monitor 127.0.0.1:6000", err)
	if f.Problem != ProblemNoFormation || f.Detail != `"x"; formations: a, b` {
		t.Fatalf("%+v", f)
	}
	if (&FormationNotFoundError{Name: "x"}).Error() != `formation "x" not found on the monitor; it has no formation` {
		t.Fatal("empty monitor")
	}
}

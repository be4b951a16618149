package pgha

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fixture helpers: a node as the monitor would report it in a calm formation, then tweaked.
type opt func(*Node)

func n(name string, port int, reported, goal State, opts ...opt) Node {
	nd := Node{ID: int64(port - 6000), Name: name, Host: "localhost", Port: port, Reported: reported, Goal: goal,
		PgIsRunning: true, RepState: "unknown", Health: HealthGood, ReportAge: f(0.4), StateChangeAge: f(120),
		CandidatePriority: 50, ReplicationQuorum: true}
	if reported == StatePrimary {
		nd.RepState = "quorum"
	}
	for _, o := range opts {
		o(&nd)
	}
	return nd
}

func f(v float64) *float64 { return &v }

func down(nd *Node)             { nd.Health, nd.ReportAge = HealthBad, f(25) }
func changed(age float64) opt   { return func(nd *Node) { nd.StateChangeAge = f(age) } }
func reportAge(age float64) opt { return func(nd *Node) { nd.ReportAge = f(age) } }
func health(h Health) opt       { return func(nd *Node) { nd.Health = h } }
func priority(p int) opt        { return func(nd *Node) { nd.CandidatePriority = p } }
func repState(s string) opt     { return func(nd *Node) { nd.RepState = s } }
func snap(nodes ...Node) Snapshot {
	return Snapshot{Formation: "default", MonitorAddress: "127.0.0.1:6000", Nodes: nodes,
		Timeouts: Timeouts{PrimaryDemote: 30 * time.Second, NodeUnhealthy: 20 * time.Second}}
}
func routed(s Snapshot, port int) Snapshot {
	b := &Bouncer{Address: "127.0.0.1:6432", Database: "appdb", TargetHost: "127.0.0.1", TargetPort: port}
	b.TargetNode = MatchNode(s.Nodes, b.TargetHost, b.TargetPort)
	s.Bouncer = b
	return s
}

func TestClassify(t *testing.T) {
	primary := func(o ...opt) Node { return n("node1", 6001, StatePrimary, StatePrimary, o...) }
	secondary := func(o ...opt) Node { return n("node2", 6002, StateSecondary, StateSecondary, o...) }
	cases := map[string]struct {
		snap    Snapshot
		verdict Verdict
		primary string
		reason  string // a fragment the reason must contain
	}{
		// healthy
		"primary and secondary converged, healthy, quorum replication": {snap(primary(), secondary()), VerdictHealthy, "node1", "node2 in sync"},
		"a lone single node is healthy by design":                      {snap(n("node1", 6001, StateSingle, StateSingle)), VerdictHealthy, "node1", "single node"},
		"PgBouncer routing to the primary keeps it healthy":            {routed(snap(primary(), secondary()), 6001), VerdictHealthy, "node1", "node1 is primary"},

		// degraded: no automatic failover possible now
		"wait_primary with a catching-up standby": {snap(n("node1", 6001, StateWaitPrimary, StateWaitPrimary), n("node2", 6002, StateCatchingUp, StateCatchingUp)),
			VerdictDegraded, "node1", "node2 is catching up"},
		"standby failing health checks":     {snap(primary(), secondary(down)), VerdictDegraded, "node1", "node2 is down"},
		"standby with candidate priority 0": {snap(primary(), secondary(priority(0))), VerdictDegraded, "node1", "candidate priority 0"},
		"primary replicating async":         {snap(primary(repState("async")), secondary()), VerdictDegraded, "node1", "replicates async"},
		"keeper report older than 5 s":      {snap(primary(), secondary(reportAge(7))), VerdictDegraded, "node1", "node2 last reported 7 s ago"},
		"after a failover the new primary waits alone": {snap(n("node1", 6001, StatePrimary, StateDemoted, down), n("node2", 6002, StateWaitPrimary, StateWaitPrimary)),
			VerdictDegraded, "node2", "wait_primary"},
		"old primary rejoining after the failover": {snap(n("node1", 6001, StateCatchingUp, StateCatchingUp), n("node2", 6002, StateWaitPrimary, StatePrimary, changed(2))),
			VerdictDegraded, "node2", "node1 is catching up"},
		"standby in maintenance": {snap(primary(), n("node2", 6002, StateMaintenance, StateMaintenance)), VerdictDegraded, "node1", "no standby can take over"},
		// The seconds between the crash and the monitor's promotion: what comes next, not "no failover possible".
		"primary just failed its health check, failover not started": {snap(primary(health(HealthBad), reportAge(3)), secondary()),
			VerdictFailoverInProgress, "node1", "primary node1 lost (monitor health check failed) — node2 eligible, promotion expected within 50 s"},
		"primary applying settings": {snap(n("node1", 6001, StatePrimary, StateApplySettings, changed(1)), secondary()), VerdictDegraded, "node1", "node1 is moving primary → apply_settings"},
		"PgBouncer console not answering": {func() Snapshot {
			s := snap(primary(), secondary())
			s.Bouncer = &Bouncer{Address: "127.0.0.1:6432", Err: errors.New("connection refused")}
			return s
		}(), VerdictDegraded, "node1", "routing unknown"},

		// failover in progress: every step of the sequence in the reference
		"step 1: primary draining, standby preparing promotion": {snap(n("node1", 6001, StatePrimary, StateDraining, changed(1)), n("node2", 6002, StateSecondary, StatePreparePromotion, changed(1))),
			VerdictFailoverInProgress, "node1", "node2 is being promoted"},
		"step 2: demote_timeout and stop_replication": {snap(n("node1", 6001, StatePrimary, StateDemoteTimeout, down, changed(3)), n("node2", 6002, StateStopReplication, StateStopReplication, changed(3))),
			VerdictFailoverInProgress, "node1", "node2 stop_replication"},
		"stop_replication reached, old primary still draining": {snap(n("node1", 6001, StateDraining, StateDraining, changed(2)), n("node2", 6002, StatePreparePromotion, StateStopReplication, changed(1))),
			VerdictFailoverInProgress, "node1", "node2 prepare_promotion → stop_replication"},
		"election among several standbys (report_lsn)": {snap(n("node1", 6001, StatePrimary, StateDemoteTimeout, down, changed(2)),
			n("node2", 6002, StateSecondary, StateReportLSN, changed(1)), n("node3", 6003, StateReportLSN, StateReportLSN, changed(1))),
			VerdictFailoverInProgress, "node1", "node3 report_lsn"},
		"elected standby fast-forwarding": {snap(n("node1", 6001, StatePrimary, StateDemoted, down, changed(5)), n("node2", 6002, StateReportLSN, StateFastForward, changed(1)),
			n("node3", 6003, StateReportLSN, StateReportLSN, changed(1))), VerdictFailoverInProgress, "node1", "node2 report_lsn → fast_forward"},
		"other standby re-pointing to the new primary": {snap(n("node1", 6001, StatePrimary, StateDemoted, down), n("node2", 6002, StateWaitPrimary, StateWaitPrimary, changed(1)),
			n("node3", 6003, StateReportLSN, StateJoinSecondary, changed(1))), VerdictFailoverInProgress, "node2", "node3 report_lsn → join_secondary"},
		"failover wins over stale routing": {routed(snap(n("node1", 6001, StatePrimary, StateDraining, changed(1)), n("node2", 6002, StateSecondary, StatePreparePromotion, changed(1))), 6001),
			VerdictFailoverInProgress, "node1", "failover in progress"},

		// wedged
		"a live node not converging past the demote timeout": {snap(primary(), n("node2", 6002, StateCatchingUp, StateSecondary, changed(90))),
			VerdictWedged, "node1", "node2 has been asked to go catchingup → secondary for 90 s"},
		"no node assigned a writable state": {snap(n("node1", 6001, StateDemoted, StateDemoted), n("node2", 6002, StateMaintenance, StateMaintenance)),
			VerdictWedged, "", "no node is assigned a writable state"},
		"promotion stuck without a writable node": {snap(n("node1", 6001, StatePrimary, StateDemoteTimeout, down, changed(60)), n("node2", 6002, StateStopReplication, StateStopReplication, changed(60))),
			VerdictWedged, "node1", "no writable node for 60 s"},
		"primary dead and the only standby catching up": {snap(n("node1", 6001, StatePrimary, StatePrimary, down), n("node2", 6002, StateCatchingUp, StateCatchingUp)),
			VerdictWedged, "node1", "no standby can be promoted"},
		"primary dead and the only standby unhealthy": {snap(n("node1", 6001, StateWaitPrimary, StateWaitPrimary, down), n("node2", 6002, StateSecondary, StateSecondary, down)),
			VerdictWedged, "node1", "refuses promotion"},
		"primary dead and the standby never a candidate": {snap(primary(down), secondary(priority(0))),
			VerdictWedged, "node1", "priority 0"},
		"keeper silent while Postgres answers health checks": {snap(primary(reportAge(45)), secondary()),
			VerdictWedged, "node1", "node1 has not reported for 45 s"},
		"no node registered": {snap(), VerdictWedged, "", "no registered node"},

		// routing stale
		"PgBouncer still on the old primary": {routed(snap(n("node1", 6001, StatePrimary, StateDemoted, down), n("node2", 6002, StateWaitPrimary, StateWaitPrimary)), 6001),
			VerdictRoutingStale, "node2", "routes appdb to node1 (127.0.0.1:6001) but the primary is node2"},
		"PgBouncer on a standby in a healthy formation": {routed(snap(primary(), secondary()), 6002), VerdictRoutingStale, "node1", "the failover hook did not run"},
		"PgBouncer on an address that is no node":       {routed(snap(primary(), secondary()), 6099), VerdictRoutingStale, "node1", "not a node of the formation"},
		"PgBouncer without the formation's database":    {routed(snap(primary(), secondary()), 0), VerdictRoutingStale, "node1", `no database "appdb"`},

		// monitor unreachable
		"monitor down, last known roles kept": {func() Snapshot {
			s := snap(primary(), secondary())
			s.MonitorErr, s.Stale = &Failure{Target: "monitor 127.0.0.1:6000", Problem: ProblemUnreachable, Detail: "connection refused"}, true
			return s
		}(), VerdictMonitorUnreachable, "node1", "monitor unreachable at 127.0.0.1:6000: unreachable (connection refused) — automatic failover is paused while the monitor is down; last known primary node1"},
		"monitor refusing the password, nothing known": {func() Snapshot {
			s := snap()
			s.MonitorErr = &Failure{Target: "monitor 127.0.0.1:6000", Problem: ProblemAuth, Detail: `password authentication failed for user "grafana"`}
			return s
		}(), VerdictMonitorUnreachable, "", "wrong password"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := Classify(c.snap)
			if got.Verdict != c.verdict || got.Primary != c.primary || !strings.Contains(got.Reason, c.reason) {
				t.Fatalf("got %q primary=%q reason=%q\nwant %q primary=%q reason containing %q", got.Verdict, got.Primary, got.Reason, c.verdict, c.primary, c.reason)
			}
			if (got.Runbook == RunbookFailover) == (got.Verdict == VerdictHealthy) {
				t.Errorf("runbook %q for verdict %q", got.Runbook, got.Verdict)
			}
		})
	}
}

func TestEveryReplicationStateIsClassified(t *testing.T) {
	// Whatever a second node reports, Classify must give one of the six verdicts with a reason.
	all := []State{"unknown", "init", StateSingle, StateWaitPrimary, StatePrimary, StateDraining, StateDemoteTimeout, StateDemoted,
		StateCatchingUp, StateSecondary, StatePreparePromotion, StateStopReplication, "wait_standby", StateMaintenance, StateJoinPrimary,
		StateApplySettings, StatePrepareMaint, StateWaitMaint, StateReportLSN, StateFastForward, StateJoinSecondary, "dropped"}
	valid := map[Verdict]bool{VerdictHealthy: true, VerdictDegraded: true, VerdictFailoverInProgress: true, VerdictWedged: true, VerdictRoutingStale: true}
	for _, reported := range all {
		for _, goal := range all {
			s := snap(n("node1", 6001, StatePrimary, StatePrimary), n("node2", 6002, reported, goal, changed(3)))
			got := Classify(s)
			if !valid[got.Verdict] || got.Reason == "" {
				t.Fatalf("%s → %s: %+v", reported, goal, got)
			}
			if (reported.InPromotion() || goal.InPromotion()) && got.Verdict != VerdictFailoverInProgress && got.Verdict != VerdictWedged {
				t.Errorf("%s → %s takes part in a promotion but got %q", reported, goal, got.Verdict)
			}
		}
	}
}

func TestConnection(t *testing.T) {
	for s, want := range map[State]string{StatePrimary: "read-write", StateWaitPrimary: "read-write", StateSecondary: "read-only",
		StateStopReplication: "read-only", StateDemoted: "none", StateDraining: "none"} {
		if got := s.Connection(); got != want {
			t.Errorf("%s: got %s want %s", s, got, want)
		}
	}
}

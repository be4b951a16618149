package pgha

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// refused is what this reader sees the moment a primary's Postgres is killed: its own connection is refused while
// the monitor still records the node healthy and primary.
func refused(nd *Node) {
	nd.Live = &NodeReading{Err: Describe("node1 localhost:6001", syscall.ECONNREFUSED)}
}

// stackTimeouts are the stack's monitor settings (stack/lib/config.ts): unhealthy after 4 s, demote timeout 4 s.
func stackSnap(nodes ...Node) Snapshot {
	s := snap(nodes...)
	s.Timeouts = Timeouts{PrimaryDemote: 4 * time.Second, NodeUnhealthy: 4 * time.Second}
	return s
}

func TestPrimaryLostBeforeTheMonitorNotices(t *testing.T) {
	primary := n("node1", 6001, StatePrimary, StatePrimary, refused, reportAge(1))
	s := routed(stackSnap(primary, n("node2", 6002, StateSecondary, StateSecondary)), 6001)

	st := Classify(s)
	if st.Verdict != VerdictFailoverInProgress {
		t.Fatalf("verdict %q (%s), want failover in progress", st.Verdict, st.Reason)
	}
	for _, want := range []string{
		"primary node1 lost (connection refused)",
		"node2 eligible, promotion expected within 10 s", // 4 − 1 s left before unhealthy + 4 s demote + 3 s rounds
		"PgBouncer routes appdb to node1, which is not answering",
	} {
		if !strings.Contains(st.Reason, want) {
			t.Errorf("reason %q lacks %q", st.Reason, want)
		}
	}
	if got := RoleOf(s.Nodes[0], true); got != RolePrimaryLost {
		t.Errorf("role of the dead primary %q, want %q", got, RolePrimaryLost)
	}
	if got := NodeTone(s.Nodes[0], false); got != ToneCritical {
		t.Errorf("tone of the dead primary %q, want critical", got)
	}
	if r := RoutingOf(s); !r.Stale || r.Tone != ToneCritical || r.RoutesTo != "node1" {
		t.Errorf("routing %+v, want stale and critical at node1", r)
	}
	if m := Measure(s, st); !m.RoutingStale || m.Healthy {
		t.Errorf("measures %+v: routing must read stale and the formation unhealthy at once", m)
	}
}

func TestPrimaryLostWithNoPromotableStandbyIsWedged(t *testing.T) {
	s := stackSnap(n("node1", 6001, StatePrimary, StatePrimary, refused),
		n("node2", 6002, StateCatchingUp, StateCatchingUp))
	st := Classify(s)
	if st.Verdict != VerdictWedged || !strings.Contains(st.Reason, "no standby can be promoted") {
		t.Fatalf("got %q: %s", st.Verdict, st.Reason)
	}
}

func TestLoneSingleNodeLostIsWedged(t *testing.T) {
	st := Classify(stackSnap(n("node1", 6001, StateSingle, StateSingle, refused)))
	if st.Verdict != VerdictWedged || !strings.Contains(st.Reason, "no standby to fail over to") {
		t.Fatalf("got %q: %s", st.Verdict, st.Reason)
	}
}

func TestPromotionUnderWayNamesTheLostPrimary(t *testing.T) {
	s := stackSnap(n("node1", 6001, StatePrimary, StateDraining, refused, health(HealthBad), changed(2)),
		n("node2", 6002, StateSecondary, StatePreparePromotion, changed(2)))
	st := Classify(s)
	for _, want := range []string{"failover in progress: ", "node2 is being promoted", "old primary node1 not answering"} {
		if !strings.Contains(st.Reason, want) {
			t.Errorf("reason %q lacks %q", st.Reason, want)
		}
	}
	if got := RoleOf(s.Nodes[0], s.PrimaryNode().Name == "node1"); got != RolePrimaryLost {
		t.Errorf("draining dead primary labelled %q", got)
	}
	if got := NodeTone(s.Nodes[1], false); got != ToneTransition {
		t.Errorf("promoted standby tone %q, want transition", got)
	}
}

func TestAnswering(t *testing.T) {
	auth := n("node1", 6001, StatePrimary, StatePrimary, func(nd *Node) {
		nd.Live = &NodeReading{Err: &Failure{Problem: ProblemAuth, Target: "node1"}}
	})
	if !auth.Answering() {
		t.Error("a node refusing our password still answers")
	}
	timeout := n("node1", 6001, StatePrimary, StatePrimary, func(nd *Node) {
		nd.Live = &NodeReading{Err: &Failure{Problem: ProblemTimeout, Detail: "no answer in time"}}
	})
	if timeout.Answering() || timeout.NotAnswering() != "no answer in time" {
		t.Errorf("timeout: answering=%v why=%q", timeout.Answering(), timeout.NotAnswering())
	}
	stopped := n("node2", 6002, StateSecondary, StateSecondary, func(nd *Node) { nd.PgIsRunning = false })
	if stopped.Answering() {
		t.Error("a node whose keeper reports Postgres stopped does not answer")
	}
}

func TestRoutingOf(t *testing.T) {
	calm := snap(n("node1", 6001, StatePrimary, StatePrimary), n("node2", 6002, StateSecondary, StateSecondary))
	cases := map[string]struct {
		s     Snapshot
		stale bool
		tone  Tone
		why   string
	}{
		"to the answering primary": {routed(calm, 6001), false, ToneOK, ""},
		"to the standby":           {routed(calm, 6002), true, ToneCritical, "but the primary is node1"},
		"to no node":               {routed(calm, 7777), true, ToneCritical, "not a node of the formation"},
		"no database":              {routed(calm, 0), true, ToneCritical, `no database "appdb"`},
		"console down": {func() Snapshot {
			s := routed(calm, 6001)
			s.Bouncer.Err = &Failure{Problem: ProblemUnreachable}
			return s
		}(), false, ToneUnknown, "routing unknown"},
	}
	for name, c := range cases {
		r := RoutingOf(c.s)
		if r.Stale != c.stale || r.Tone != c.tone || !strings.Contains(r.Why, c.why) {
			t.Errorf("%s: got %+v, want stale=%v tone=%s why~%q", name, r, c.stale, c.tone, c.why)
		}
	}
	if RoutingOf(calm) != nil {
		t.Error("no PgBouncer, no routing")
	}
}

func TestNodeTone(t *testing.T) {
	cases := map[string]struct {
		n     Node
		stale bool
		want  Tone
	}{
		"settled primary":       {n("node1", 6001, StatePrimary, StatePrimary), false, ToneOK},
		"settled standby":       {n("node2", 6002, StateSecondary, StateSecondary), false, ToneOK},
		"maintenance is steady": {n("node2", 6002, StateMaintenance, StateMaintenance), false, ToneOK},
		"catching up":           {n("node2", 6002, StateCatchingUp, StateSecondary), false, ToneWarning},
		"promotion step":        {n("node2", 6002, StateSecondary, StatePreparePromotion), false, ToneTransition},
		"demoted":               {n("node1", 6001, StateDemoted, StateDemoted), false, ToneCritical},
		"health bad":            {n("node2", 6002, StateSecondary, StateSecondary, health(HealthBad)), false, ToneCritical},
		"stale reading":         {n("node1", 6001, StatePrimary, StatePrimary), true, ToneUnknown},
		"never reported":        {n("node3", 6003, "", StateSecondary), false, ToneUnknown},
	}
	for name, c := range cases {
		if got := NodeTone(c.n, c.stale); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
}

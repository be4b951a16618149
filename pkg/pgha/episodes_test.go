package pgha_test

import (
	"math"
	"testing"
	"time"

	"github.com/veza/slo/pkg/internal/testevents"
	. "github.com/veza/slo/pkg/pgha"
)

func recordedEvents(t *testing.T) []Event {
	t.Helper()
	events, err := testevents.Recorded()
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func TestFoldEpisodesRecordedFormation(t *testing.T) {
	events := recordedEvents(t)
	eps := FoldEpisodes(events)
	wantIDs := [][2]int64{{227, 228}, {229, 246}, {247, 266}, {267, 284}, {285, 296}, {297, 298}}
	if len(eps) != len(wantIDs) {
		t.Fatalf("%d episodes, want %d", len(eps), len(wantIDs))
	}
	total := 0
	for i, ep := range eps {
		got := [2]int64{ep.Events[0].ID, ep.Events[len(ep.Events)-1].ID}
		if got != wantIDs[i] {
			t.Errorf("episode %d spans events %v, want %v", i, got, wantIDs[i])
		}
		total += len(ep.Events)
	}
	if total != len(events) {
		t.Errorf("episodes hold %d events, want all %d", total, len(events))
	}

	for i, want := range []struct {
		kind           EpisodeKind
		title          string
		before, after  string
		writableTenths float64 // writable after, in seconds rounded to 0.1; -1 for none
		settled        bool
	}{
		{EpisodePrimaryKept, "node2 stayed primary", "node2", "node2", -1, true},
		{EpisodeFailover, "Failover: node2 → node1", "node2", "node1", 7.5, true},
		{EpisodeSwitchover, "Switchover: node1 → node2", "node1", "node2", 5.2, true},
		{EpisodeFailover, "Failover: node2 → node1", "node2", "node1", 7.5, true},
		{EpisodePrimaryKept, "node1 stayed primary", "node1", "node1", -1, true},
		{EpisodeInProgress, "Under way: node1 writable", "node1", "node1", -1, false},
	} {
		ep := eps[i]
		writable := -1.0
		if ep.WritableAfter != nil {
			writable = math.Round(ep.WritableAfter.Seconds()*10) / 10
		}
		if ep.Kind != want.kind || ep.Title != want.title || ep.PrimaryBefore != want.before ||
			ep.PrimaryAfter != want.after || writable != want.writableTenths || ep.Settled != want.settled {
			t.Errorf("episode %d = {%s %q %s→%s writable %.1f settled %v}, want %+v", i, ep.Kind, ep.Title,
				ep.PrimaryBefore, ep.PrimaryAfter, writable, ep.Settled, want)
		}
	}

	for i, want := range map[int]string{
		1: "node1 writable after 7.5 s · node2 stopped answering the monitor · ended: node1 primary, node2 secondary · 8.7 s from first to last event",
		5: "node2 and node1 stopped answering the monitor · now: node1 primary, node2 secondary · 2.0 s from first to last event",
	} {
		if eps[i].Detail != want {
			t.Errorf("episode %d detail\n got %q\nwant %q", i, eps[i].Detail, want)
		}
	}
	// A requested switchover marks the demoting primary unhealthy for a moment: not reported as lost.
	if d := eps[2].Detail; d[:len("node2 writable after 5.2 s · ended: node1 secondary, node2 primary")] !=
		"node2 writable after 5.2 s · ended: node1 secondary, node2 primary" {
		t.Errorf("switchover detail %q", d)
	}
}

func ev(ms int64, node string, reported, goal State, text string) Event {
	return Event{ID: ms, Time: time.UnixMilli(ms), NodeName: node, Reported: reported, Goal: goal, Description: text}
}

func TestFoldEpisodesEdges(t *testing.T) {
	if eps := FoldEpisodes(nil); len(eps) != 0 {
		t.Errorf("no events gave %d episodes", len(eps))
	}
	// Unsorted input is read in time order.
	eps := FoldEpisodes([]Event{ev(2000, "n1", StatePrimary, StatePrimary, ""), ev(1000, "n1", StateWaitPrimary, StatePrimary, "")})
	if len(eps) != 1 || eps[0].Start != time.UnixMilli(1000) {
		t.Errorf("unsorted: %+v", eps)
	}
	// A formation that never settles is still cut at a long quiet gap.
	gap := EpisodeMaxGap.Milliseconds()
	unhealthy := "Node n1 is marked as unhealthy by the monitor"
	eps = FoldEpisodes([]Event{ev(0, "n1", StatePrimary, StatePrimary, unhealthy),
		ev(gap+1, "n1", StatePrimary, StatePrimary, unhealthy)})
	if len(eps) != 2 || eps[0].Kind != EpisodePrimaryKept || eps[1].Kind != EpisodeInProgress {
		t.Errorf("gap: %+v", eps)
	}
	// Every node stuck without a writable state reads "no primary" once it is no longer the latest.
	eps = FoldEpisodes([]Event{ev(0, "n1", StateDemoteTimeout, StateDemoted, ""),
		ev(1000, "n2", StateStopReplication, StateWaitPrimary, ""), ev(gap+5000, "n2", StatePrimary, StatePrimary, "")})
	if len(eps) != 2 || eps[0].Kind != EpisodeNoPrimary || eps[0].Title != "No writable primary" ||
		eps[1].Kind != EpisodeInProgress || eps[1].Title != "Under way: n2 writable" {
		t.Errorf("no primary: %+v", eps)
	}
	// Events without node or states (another source) are shown as they are, judged on nothing.
	eps = FoldEpisodes([]Event{{ID: 1, Time: time.UnixMilli(1), Description: "formation event"}})
	if len(eps) != 1 || eps[0].Kind != EpisodeOther || eps[0].Title != "formation event" || eps[0].Detail != "" ||
		!eps[0].Settled {
		t.Errorf("other: %+v", eps)
	}
}

package pgha

import (
	"testing"
	"time"
)

func dur(s float64) *time.Duration { d := time.Duration(s * float64(time.Second)); return &d }

func TestJudgeFailover(t *testing.T) {
	o := FailoverObjective{Target: 0.95, WritableWithin: 30 * time.Second}
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		ep   Episode
		now  time.Time
		want FailoverVerdict
		ok   bool
	}{
		{"failover in 7.5 s", Episode{Kind: EpisodeFailover, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node2", WritableAfter: dur(7.5)}, t0.Add(time.Hour), FailoverMet, true},
		{"failover exactly at the limit", Episode{Kind: EpisodeFailover, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node2", WritableAfter: dur(30)}, t0.Add(time.Hour), FailoverMet, true},
		{"failover in 31 s", Episode{Kind: EpisodeFailover, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node2", WritableAfter: dur(31)}, t0.Add(time.Hour), FailoverMissed, true},
		{"no primary left", Episode{Kind: EpisodeNoPrimary, Start: t0, PrimaryBefore: "node1"}, t0.Add(time.Hour), FailoverMissed, true},
		{"under way 10 s in", Episode{Kind: EpisodeInProgress, Start: t0, PrimaryBefore: "node1"}, t0.Add(10 * time.Second), FailoverPending, true},
		{"under way 40 s in", Episode{Kind: EpisodeInProgress, Start: t0, PrimaryBefore: "node1"}, t0.Add(40 * time.Second), FailoverMissed, true},
		{"under way, new primary writable in 4 s", Episode{Kind: EpisodeInProgress, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node2", WritableAfter: dur(4)}, t0.Add(5 * time.Second), FailoverMet, true},
		{"under way, primary unchanged", Episode{Kind: EpisodeInProgress, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node1"}, t0.Add(time.Hour), "", false},
		{"switchover", Episode{Kind: EpisodeSwitchover, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node2", WritableAfter: dur(60)}, t0.Add(time.Hour), "", false},
		{"primary kept", Episode{Kind: EpisodePrimaryKept, Start: t0, PrimaryBefore: "node1", PrimaryAfter: "node1"}, t0.Add(time.Hour), "", false},
	}
	for _, c := range cases {
		got, ok := JudgeFailover(c.ep, o, c.now)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %q %v, want %q %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestEvaluateFailovers(t *testing.T) {
	o := FailoverObjective{Target: 0.95, WritableWithin: 30 * time.Second}
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	now := t0.Add(24 * time.Hour)
	none := EvaluateFailovers(nil, o, now)
	if none.Ratio != nil || !none.Meets || none.Failovers != 0 || none.Worst != nil {
		t.Fatalf("no failover: %+v", none)
	}
	eps := []Episode{
		{Kind: EpisodeFailover, Title: "a", Start: t0, PrimaryBefore: "n1", PrimaryAfter: "n2", WritableAfter: dur(8)},
		{Kind: EpisodeSwitchover, Title: "s", Start: t0.Add(time.Hour), PrimaryBefore: "n2", PrimaryAfter: "n1", WritableAfter: dur(90)},
		{Kind: EpisodeFailover, Title: "b", Start: t0.Add(2 * time.Hour), PrimaryBefore: "n1", PrimaryAfter: "n2", WritableAfter: dur(45)},
		{Kind: EpisodeFailover, Title: "c", Start: t0.Add(3 * time.Hour), PrimaryBefore: "n2", PrimaryAfter: "n1", WritableAfter: dur(12)},
		{Kind: EpisodeInProgress, Title: "d", Start: now.Add(-5 * time.Second), PrimaryBefore: "n1"},
	}
	r := EvaluateFailovers(eps, o, now)
	if r.Failovers != 3 || r.Met != 2 || r.Missed != 1 || r.Pending != 1 {
		t.Fatalf("counts: %+v", r)
	}
	if r.Ratio == nil || *r.Ratio != 2.0/3 || r.Meets {
		t.Fatalf("ratio: %v meets %v", r.Ratio, r.Meets)
	}
	if r.Worst == nil || r.Worst.Title != "b" {
		t.Fatalf("worst: %+v", r.Worst)
	}
	r2 := EvaluateFailovers(eps[:1], FailoverObjective{Target: 0.95, WritableWithin: 10 * time.Second}, now)
	if !r2.Meets || *r2.Ratio != 1 {
		t.Fatalf("one met failover: %+v", r2)
	}
}

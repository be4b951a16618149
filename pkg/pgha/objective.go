package pgha

import "time"

// FailoverObjective is failover measured as an objective: the share of failovers whose new primary is writable
// within WritableWithin ("95 % of failovers writable within 30 s").
type FailoverObjective struct {
	Target         float64       // 0 < Target < 1
	WritableWithin time.Duration // > 0
}

// FailoverVerdict is one episode judged against the objective.
type FailoverVerdict string

const (
	FailoverMet     FailoverVerdict = "met"
	FailoverMissed  FailoverVerdict = "missed"
	FailoverPending FailoverVerdict = "pending" // under way and not yet past the limit: not counted yet
)

// ObjectiveResult is the objective over a set of episodes.
type ObjectiveResult struct {
	Objective FailoverObjective
	Failovers int // episodes in which the primary changed or was lost (pending ones excluded)
	Met       int
	Missed    int
	Pending   int
	// Ratio is Met / Failovers; nil when there was no failover (nothing to judge, not 100 %).
	Ratio *float64
	// Worst is the failover that took longest to writable (a missed one with no new primary counts as longest).
	Worst *Episode
	// Meets: Ratio >= Target; true when there was no failover.
	Meets bool
}

// JudgeFailover says whether one episode met the objective at `now`. Failovers are the episodes that lost their
// primary without anyone asking: a completed failover, one under way, or a formation left with no writable node.
// A requested switchover and a formation that kept its primary are not failovers (ok=false).
//   - a new primary writable within the limit: met; after it: missed.
//   - no new writable primary yet: missed once the limit has passed since the episode began (a formation left without
//     a primary is the worst failover, not "not a failover"), pending before that.
func JudgeFailover(ep Episode, o FailoverObjective, now time.Time) (v FailoverVerdict, ok bool) {
	switch ep.Kind {
	case EpisodeFailover, EpisodeNoPrimary:
	case EpisodeInProgress:
		if ep.PrimaryBefore == "" && ep.WritableAfter == nil {
			return "", false // nothing was writable before: not a lost primary
		}
		if ep.PrimaryAfter == ep.PrimaryBefore && ep.WritableAfter == nil {
			return "", false // the primary is still the primary: nothing failed over (yet)
		}
	default:
		return "", false
	}
	if ep.WritableAfter != nil {
		if *ep.WritableAfter <= o.WritableWithin {
			return FailoverMet, true
		}
		return FailoverMissed, true
	}
	if now.Sub(ep.Start) > o.WritableWithin {
		return FailoverMissed, true
	}
	return FailoverPending, true
}

// EvaluateFailovers judges every failover episode against the objective.
func EvaluateFailovers(episodes []Episode, o FailoverObjective, now time.Time) ObjectiveResult {
	r := ObjectiveResult{Objective: o, Meets: true}
	worstFor := func(ep Episode) time.Duration {
		if ep.WritableAfter != nil {
			return *ep.WritableAfter
		}
		return now.Sub(ep.Start)
	}
	for i := range episodes {
		ep := episodes[i]
		v, ok := JudgeFailover(ep, o, now)
		if !ok {
			continue
		}
		switch v {
		case FailoverPending:
			r.Pending++
			continue
		case FailoverMet:
			r.Met++
		case FailoverMissed:
			r.Missed++
		}
		r.Failovers++
		if r.Worst == nil || worstFor(ep) > worstFor(*r.Worst) {
			r.Worst = &episodes[i]
		}
	}
	if r.Failovers > 0 {
		ratio := float64(r.Met) / float64(r.Failovers)
		r.Ratio = &ratio
		r.Meets = ratio >= o.Target
	}
	return r
}

package pgha

import (
	"fmt"
	"sort"
	"strings"
)

// failoverStatus is the verdict while a primary is being replaced, from the first reading in which the primary
// stops answering (before the monitor has noticed) until the new primary is writable. It says what is happening
// and what comes next, so the seconds after a crash never read "degraded: no failover possible" while a standby is
// about to be promoted. ok is false when no failover is under way or due.
func failoverStatus(s Snapshot) (Status, bool) {
	p := s.PrimaryNode()
	lost := p != nil && !p.Answering()
	moving := promotionNodes(s)
	if !lost && len(moving) == 0 {
		return Status{}, false
	}
	var reason string
	switch {
	case len(moving) > 0:
		reason = "failover in progress: " + strings.Join(moving, ", ") + promotedHint(s)
		if lost {
			reason += fmt.Sprintf(" — old primary %s not answering (%s)", p.Name, p.NotAnswering())
		}
	case p.Goal == StateSingle:
		return wedged(fmt.Sprintf("the single node %s is not answering (%s) — there is no standby to fail over to",
			p.Name, p.NotAnswering())), true
	default:
		eligible := eligibleNames(s, p.Name)
		if len(eligible) == 0 {
			// wedgedReason has already spoken when the monitor agrees the primary is dead; this is the moment before.
			return wedged(fmt.Sprintf("primary %s is not answering (%s) and no standby can be promoted — writes fail "+
				"until %s is back", p.Name, p.NotAnswering(), p.Name)), true
		}
		reason = fmt.Sprintf("primary %s lost (%s) — %s eligible, promotion expected within %.0f s", p.Name,
			p.NotAnswering(), strings.Join(eligible, ", "), PromotionExpectedWithin(s, *p))
	}
	if r := RoutingOf(s); r != nil && r.Stale {
		reason += "; " + r.Why
	}
	return Status{Verdict: VerdictFailoverInProgress, Reason: reason}, true
}

// eligibleNames are the standbys the monitor could promote, by candidate priority (highest first), then name.
func eligibleNames(s Snapshot, primary string) []string {
	var nodes []Node
	for _, n := range otherNodes(s, primary) {
		if eligibleStandby(n) && n.Answering() {
			nodes = append(nodes, n)
		}
	}
	sort.SliceStable(nodes, func(i, j int) bool {
		if nodes[i].CandidatePriority != nodes[j].CandidatePriority {
			return nodes[i].CandidatePriority > nodes[j].CandidatePriority
		}
		return nodes[i].Name < nodes[j].Name
	})
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	return out
}

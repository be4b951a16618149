package pgha

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Verdict is the one-word state of a formation, for the NOC banner. Mirrored in types.ts.
type Verdict string

const (
	VerdictHealthy            Verdict = "healthy"
	VerdictDegraded           Verdict = "degraded"
	VerdictFailoverInProgress Verdict = "failover in progress"
	VerdictWedged             Verdict = "wedged"
	VerdictRoutingStale       Verdict = "routing stale"
	VerdictMonitorUnreachable Verdict = "monitor unreachable"
)

// RunbookFailover is the runbook (docs/runbooks/db-failover.md) every non-healthy verdict points to.
const RunbookFailover = "db-failover"

// FreshReport is how recent a keeper report must be for "healthy": keepers report every second.
const FreshReport = 5.0

// WedgeGrace is added to primary_demote_timeout before a non-converging node counts as wedged:
// the FSM needs a few keeper rounds after the timeout expires.
const WedgeGrace = 10 * time.Second

// Status is the classification of one snapshot.
type Status struct {
	Verdict Verdict
	Reason  string
	Runbook string // "" when healthy
	Primary string // node name the monitor wants writable; "" if none
}

// Classify turns a snapshot into a verdict. It is pure: no I/O, no clock (ages are in the snapshot).
// Checks run from the most to the least urgent, the first that matches wins. A formation of several groups is
// judged group by group, and its verdict is the worst group's (groups.go).
func Classify(s Snapshot) Status {
	if groups := ClassifyGroups(s); len(groups) > 1 {
		return summarize(s, groups)
	}
	return classifyOne(s)
}

// classifyOne classifies a formation of one group (or a monitor that could not be read).
func classifyOne(s Snapshot) Status {
	st := classify(s)
	if p := s.PrimaryNode(); p != nil {
		st.Primary = p.Name
	}
	if st.Verdict != VerdictHealthy {
		st.Runbook = RunbookFailover
	}
	return st
}

func classify(s Snapshot) Status {
	if s.MonitorErr != nil {
		last := ""
		if p := s.PrimaryNode(); p != nil {
			last = fmt.Sprintf("; last known primary %s", p.Name)
		}
		why := s.MonitorErr.Error()
		var f *Failure
		if errors.As(s.MonitorErr, &f) {
			why = f.Short()
		}
		return Status{Verdict: VerdictMonitorUnreachable, Reason: fmt.Sprintf(
			"monitor unreachable at %s: %s — automatic failover is paused while the monitor is down%s",
			s.MonitorAddress, why, last)}
	}
	if len(s.Nodes) == 0 {
		return wedged(fmt.Sprintf("formation %q has no registered node — nothing can take writes", s.Formation))
	}
	if reason := wedgedReason(s); reason != "" {
		return wedged(reason)
	}
	if st, ok := failoverStatus(s); ok {
		return st
	}
	if reason := writesBlockedReason(s); reason != "" {
		return wedged(reason)
	}
	if reason := routingStaleReason(s); reason != "" {
		return Status{Verdict: VerdictRoutingStale, Reason: reason}
	}
	if reasons := degradedReasons(s); len(reasons) > 0 {
		return Status{Verdict: VerdictDegraded, Reason: strings.Join(reasons, "; ")}
	}
	return Status{Verdict: VerdictHealthy, Reason: healthyReason(s)}
}

func wedged(reason string) Status { return Status{Verdict: VerdictWedged, Reason: reason} }

// alive tells whether the monitor still hears from the node: a node that is down is expected
// not to converge, that alone is not a wedge.
func alive(n Node, t Timeouts) bool {
	if n.Health == HealthBad || !n.PgIsRunning {
		return false
	}
	return n.ReportAge == nil || *n.ReportAge <= t.NodeUnhealthy.Seconds()
}

func wedgedReason(s Snapshot) string {
	limit := (s.Timeouts.PrimaryDemote + WedgeGrace).Seconds()
	for _, n := range s.Nodes {
		if alive(n, s.Timeouts) && !n.Converged() && n.StateChangeAge != nil && *n.StateChangeAge > limit {
			return fmt.Sprintf("%s has been asked to go %s → %s for %.0f s (limit %.0f s) without converging",
				n.Name, n.Reported, n.Goal, *n.StateChangeAge, limit)
		}
	}
	if !anyWritableGoal(s) {
		if !anyInPromotion(s) {
			return "no node is assigned a writable state — nothing can take writes"
		}
		if age := lastChangeAge(s); age != nil && *age > limit {
			return fmt.Sprintf("no writable node for %.0f s while a failover is under way (limit %.0f s)", *age, limit)
		}
	}
	for _, n := range s.Nodes {
		// IsUnhealthy needs health=0 too: a silent keeper with a reachable Postgres stops failover.
		if n.Health == HealthGood && n.ReportAge != nil && *n.ReportAge > s.Timeouts.NodeUnhealthy.Seconds() {
			return fmt.Sprintf("%s has not reported for %.0f s although its Postgres answers health checks — "+
				"its pg_autoctl keeper is stuck, the monitor will not fail it over", n.Name, *n.ReportAge)
		}
	}
	if p := s.PrimaryNode(); p != nil && !alive(*p, s.Timeouts) && p.Goal != StateSingle {
		standbys := otherNodes(s, p.Name)
		var blockers []string
		for _, n := range standbys {
			if n.Reported == StateCatchingUp || n.Health == HealthBad || n.CandidatePriority == 0 {
				blockers = append(blockers, fmt.Sprintf("%s is %s (health %s, priority %d)", n.Name, n.Reported, n.Health, n.CandidatePriority))
			}
		}
		if len(standbys) > 0 && len(blockers) == len(standbys) {
			return fmt.Sprintf("primary %s is down and no standby can be promoted (%s) — the monitor refuses promotion "+
				"to avoid data loss", p.Name, strings.Join(blockers, "; "))
		}
	}
	return ""
}

func anyWritableGoal(s Snapshot) bool {
	for _, n := range s.Nodes {
		if n.Goal.IsWritableGoal() {
			return true
		}
	}
	return false
}

func anyInPromotion(s Snapshot) bool { return len(promotionNodes(s)) > 0 }

// lastChangeAge is the time since the monitor last assigned any goal state.
func lastChangeAge(s Snapshot) *float64 {
	var min *float64
	for _, n := range s.Nodes {
		if n.StateChangeAge != nil && (min == nil || *n.StateChangeAge < *min) {
			v := *n.StateChangeAge
			min = &v
		}
	}
	return min
}

func promotionNodes(s Snapshot) []string {
	var out []string
	for _, n := range s.Nodes {
		if n.Reported.InPromotion() || n.Goal.InPromotion() {
			out = append(out, fmt.Sprintf("%s %s", n.Name, transition(n)))
		}
	}
	return out
}

func transition(n Node) string {
	if n.Converged() {
		return string(n.Reported)
	}
	return fmt.Sprintf("%s → %s", n.Reported, n.Goal)
}

// promotedHint names the node being promoted, the first thing on-call wants to know.
func promotedHint(s Snapshot) string {
	for _, n := range s.Nodes {
		if n.Goal == StatePreparePromotion || n.Goal == StateStopReplication || n.Goal == StateWaitPrimary ||
			n.Reported == StateStopReplication {
			return fmt.Sprintf(" — %s is being promoted", n.Name)
		}
	}
	return ""
}

func otherNodes(s Snapshot, name string) []Node {
	var out []Node
	for _, n := range s.Nodes {
		if n.Name != name {
			out = append(out, n)
		}
	}
	return out
}

func routingStaleReason(s Snapshot) string {
	b, p := s.Bouncer, s.PrimaryNode()
	if b == nil || b.Err != nil || p == nil || !p.Converged() || !p.Reported.IsWritableGoal() {
		return ""
	}
	if b.TargetPort == 0 {
		return fmt.Sprintf("PgBouncer has no database %q — the application cannot reach the primary %s", b.Database, p.Name)
	}
	if b.TargetNode == "" {
		return fmt.Sprintf("PgBouncer routes %s to %s, which is not a node of the formation — primary is %s (%s)",
			b.Database, b.Target(), p.Name, p.Address())
	}
	if b.TargetNode != p.Name {
		return fmt.Sprintf("PgBouncer routes %s to %s (%s) but the primary is %s (%s) — the failover hook did not run",
			b.Database, b.TargetNode, b.Target(), p.Name, p.Address())
	}
	return ""
}

func degradedReasons(s Snapshot) []string {
	var out []string
	if s.Bouncer != nil && s.Bouncer.Err != nil {
		out = append(out, fmt.Sprintf("PgBouncer admin console at %s not answering (%s) — routing unknown", s.Bouncer.Address, s.Bouncer.Err))
	}
	p := s.PrimaryNode()
	eligible := 0
	var neverPromoted []string
	for _, n := range s.Nodes {
		switch {
		case !n.Answering():
			out = append(out, fmt.Sprintf("%s is down (%s, %s)", n.Name, n.NotAnswering(), transition(n)))
			continue
		case !n.Converged():
			out = append(out, fmt.Sprintf("%s is moving %s", n.Name, transition(n)))
		case n.ReportAge == nil || *n.ReportAge >= FreshReport:
			out = append(out, fmt.Sprintf("%s last reported %s ago", n.Name, ageText(n.ReportAge)))
		}
		if p != nil && n.Name == p.Name {
			continue
		}
		switch {
		case n.Reported == StateCatchingUp:
			out = append(out, fmt.Sprintf("%s is catching up and cannot be promoted yet", n.Name))
		case n.CandidatePriority == 0:
			neverPromoted = append(neverPromoted, n.Name)
		case eligibleStandby(n):
			eligible++
		}
	}
	// Priority 0 by design (a reporting or remote standby) is fine while another standby can take over.
	for _, name := range neverPromoted {
		if eligible == 0 {
			out = append(out, fmt.Sprintf("%s has candidate priority 0 and will never be promoted", name))
		}
	}
	if p != nil && p.Goal != StateSingle {
		if p.Reported == StateWaitPrimary {
			out = append(out, fmt.Sprintf("primary %s is in wait_primary: no standby eligible, synchronous replication off", p.Name))
		}
		if eligible == 0 {
			out = append(out, "no standby can take over: automatic failover is not possible now")
		} else if p.Reported == StatePrimary && p.RepState != "quorum" && p.RepState != "sync" {
			out = append(out, fmt.Sprintf("primary %s replicates %s, not sync/quorum", p.Name, p.RepState))
		}
	}
	return dedupe(append(out, syncRisks(s)...))
}

func ageText(age *float64) string {
	if age == nil {
		return "never"
	}
	return fmt.Sprintf("%.0f s", *age)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func healthyReason(s Snapshot) string {
	p := s.PrimaryNode()
	if p.Goal == StateSingle {
		return fmt.Sprintf("%s is the single node — no standby by design", p.Name)
	}
	var candidates, others []string
	for _, n := range otherNodes(s, p.Name) {
		if other := standbyRoleText(n); other != "" {
			others = append(others, other)
		} else {
			candidates = append(candidates, n.Name)
		}
	}
	sort.Strings(candidates)
	out := fmt.Sprintf("%s is primary, %s in sync and eligible for failover", p.Name, strings.Join(candidates, ", "))
	if len(others) > 0 {
		out += "; " + strings.Join(others, "; ")
	}
	return out
}

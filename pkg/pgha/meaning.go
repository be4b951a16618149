package pgha

import (
	"errors"
	"fmt"
	"math"
)

// This file is the one place that says what a node, PgBouncer or a verdict means for the people looking at it: the
// tone it is drawn in, the role it is labelled with, and whether PgBouncer's routing is still right. The app reads
// these as frame fields (pkg/plugin/fields.go) and decides none of it again.

// Tone is the colour meaning of a box, an arrow or a verdict: ok (green), warning (amber), critical (red),
// transition (blue, moving) or unknown (grey). The front end maps tones to theme colours, nothing more.
type Tone string

const (
	ToneOK         Tone = "ok"
	ToneWarning    Tone = "warning"
	ToneCritical   Tone = "critical"
	ToneTransition Tone = "transition"
	ToneUnknown    Tone = "unknown"
)

// Role labels. RolePrimaryLost is the primary the monitor still names while it no longer answers: it is never
// drawn as a healthy primary, even in the seconds before the monitor notices.
const (
	RolePrimary     = "primary"
	RolePrimaryLost = "primary lost"
	RoleStandby     = "standby"
	RoleDemoted     = "demoted"
	RoleMaintenance = "maintenance"
)

// Answering tells whether the node can serve right now, from every source this reader has: the monitor's health
// check, the keeper's pg_is_running, and (with node credentials) this reader's own connection. The last one is the
// fastest: a killed primary refuses connections at once, seconds before the monitor's health check turns bad.
func (n Node) Answering() bool { return n.NotAnswering() == "" }

// NotAnswering says why the node does not answer ("connection refused", "monitor health check failed"); "" when
// it answers. A node that refuses our credentials or hides statistics does answer.
func (n Node) NotAnswering() string {
	if l := n.Live; l != nil && l.Err != nil {
		var f *Failure
		if errors.As(l.Err, &f) && (f.Problem == ProblemUnreachable || f.Problem == ProblemTimeout) {
			if f.Detail != "" {
				return f.Detail // "connection refused", "no answer in time"
			}
			return string(f.Problem)
		}
	}
	switch {
	case n.Health == HealthBad:
		return "monitor health check failed"
	case !n.PgIsRunning:
		return "its keeper reports Postgres not running"
	}
	return ""
}

// RoleOf is the node's label. isPrimary is Snapshot.PrimaryNode's choice.
func RoleOf(n Node, isPrimary bool) string {
	switch {
	case isPrimary && !n.Answering():
		return RolePrimaryLost
	case isPrimary:
		return RolePrimary
	case n.Goal == StateDemoted || n.Goal == StateDraining || n.Goal == StateDemoteTimeout:
		return RoleDemoted
	case n.Goal == StateMaintenance || n.Goal == StateWaitMaint || n.Goal == StatePrepareMaint:
		return RoleMaintenance
	case n.Goal.Connection() == "read-only" || n.Goal == "wait_standby":
		return RoleStandby
	}
	return string(n.Goal)
}

// NodeTone colours a data node: not answering is critical whatever the monitor still records; a failover step is
// a transition; a settled primary or standby is ok; anything else (moving, catching up, never reported) a warning.
func NodeTone(n Node, stale bool) Tone {
	switch {
	case stale:
		return ToneUnknown
	case !n.Answering():
		return ToneCritical
	case n.Reported.InPromotion() || n.Goal.InPromotion():
		return ToneTransition
	case n.Reported == StateDemoted || n.Reported == "dropped":
		return ToneCritical
	case n.Reported == "" || n.Reported == "unknown":
		return ToneUnknown
	case steadyStates[n.Reported] && n.Converged() && n.Health == HealthGood:
		return ToneOK
	}
	return ToneWarning
}

// VerdictTone colours a verdict.
func VerdictTone(v Verdict) Tone {
	switch v {
	case VerdictHealthy:
		return ToneOK
	case VerdictDegraded:
		return ToneWarning
	case VerdictFailoverInProgress:
		return ToneTransition
	case VerdictWedged, VerdictRoutingStale, VerdictMonitorUnreachable:
		return ToneCritical
	}
	return ToneUnknown
}

// Routing is where PgBouncer sends the formation's database and whether that is wrong now.
type Routing struct {
	// RoutesTo is the node name PgBouncer's configured target maps to ("" when it maps to none).
	RoutesTo string
	// Stale: the target is not the primary, maps to no node, or does not answer. Judged on one snapshot, so it is
	// true from the first reading after the primary dies, not only once the monitor has moved the primary.
	Stale bool
	// Why says what is wrong in words; "" when the routing is right.
	Why  string
	Tone Tone
}

// RoutingOf judges PgBouncer's routing; nil without a PgBouncer.
func RoutingOf(s Snapshot) *Routing {
	b := s.Bouncer
	if b == nil {
		return nil
	}
	r := &Routing{RoutesTo: b.TargetNode, Tone: ToneOK}
	// PgBouncer fronts the formation's database, which group 0's primary serves (Snapshot.Group).
	p := s.Group(0).PrimaryNode()
	target := s.NodeByName(b.TargetNode)
	switch {
	case s.Stale:
		r.Tone = ToneUnknown
	case b.Err != nil:
		r.Tone, r.Why = ToneUnknown, "PgBouncer's admin console does not answer — routing unknown"
	case b.TargetPort == 0:
		r.Stale, r.Why = true, fmt.Sprintf("PgBouncer has no database %q", b.Database)
	case target == nil:
		r.Stale, r.Why = true, fmt.Sprintf("PgBouncer routes %s to %s, which is not a node of the formation", b.Database, b.Target())
	case !target.Answering():
		r.Stale, r.Why = true, fmt.Sprintf("PgBouncer routes %s to %s, which is not answering (%s)", b.Database, target.Name,
			target.NotAnswering())
	case p == nil:
		r.Stale, r.Why = true, fmt.Sprintf("PgBouncer routes %s to %s, but no node is primary", b.Database, target.Name)
	case target.Name != p.Name:
		r.Stale, r.Why = true, fmt.Sprintf("PgBouncer routes %s to %s, but the primary is %s", b.Database, target.Name, p.Name)
	}
	if r.Stale {
		r.Tone = ToneCritical
	}
	return r
}

// PromotionExpectedWithin estimates how long the monitor needs to promote a standby after the primary stopped
// answering: it first waits for node_considered_unhealthy_timeout since the primary's last report, then for
// primary_demote_timeout (the dead primary cannot confirm its demotion), plus a few keeper rounds.
func PromotionExpectedWithin(s Snapshot, primary Node) float64 {
	left := s.Timeouts.NodeUnhealthy.Seconds()
	if primary.ReportAge != nil {
		left -= *primary.ReportAge
	}
	return math.Ceil(math.Max(0, left) + s.Timeouts.PrimaryDemote.Seconds() + keeperRounds)
}

// keeperRounds is the slack for the keepers' one-second loops to pick up and report each new goal.
const keeperRounds = 3

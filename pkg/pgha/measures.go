package pgha

// Measures are the numbers a Grafana alert rule can threshold on (Grafana alerting reads numeric fields only; the
// verdict and reason are text). Pure, from one snapshot and its classification.
type Measures struct {
	// Healthy is the verdict "healthy" on a fresh reading: a stale snapshot is never healthy.
	Healthy bool
	// VerdictCode orders the verdicts by urgency (VerdictCodes).
	VerdictCode int
	// MaxLagBytes is the largest replication lag of any standby as the monitor sees it; nil when no standby has one.
	MaxLagBytes *float64
	// SinceStateChange is the time since the monitor last assigned any goal state, in seconds; nil if unknown.
	SinceStateChange *float64
	// EligibleStandbys counts the standbys the monitor could promote now.
	EligibleStandbys int
	// RoutingStale: PgBouncer routes to a node other than an answering primary (or to none): RoutingOf.
	RoutingStale bool
}

// VerdictCodes numbers each verdict for alert rules and value mappings, least to most urgent.
var VerdictCodes = []Verdict{
	VerdictHealthy,            // 0
	VerdictDegraded,           // 1
	VerdictFailoverInProgress, // 2
	VerdictRoutingStale,       // 3
	VerdictWedged,             // 4
	VerdictMonitorUnreachable, // 5
}

// VerdictCode is the verdict's index in VerdictCodes; -1 for a verdict this version does not know.
func VerdictCode(v Verdict) int {
	for i, known := range VerdictCodes {
		if known == v {
			return i
		}
	}
	return -1
}

// eligibleStandby is a standby the monitor would promote if the primary failed now: settled secondary, healthy,
// running and allowed to be a candidate.
func eligibleStandby(n Node) bool {
	return n.Reported == StateSecondary && n.Health == HealthGood && n.PgIsRunning && n.CandidatePriority > 0
}

// Measure computes the alertable numbers of a snapshot.
func Measure(s Snapshot, st Status) Measures {
	m := Measures{
		Healthy:          st.Verdict == VerdictHealthy && !s.Stale,
		VerdictCode:      VerdictCode(st.Verdict),
		SinceStateChange: lastChangeAge(s),
		RoutingStale:     routingStale(s),
	}
	p := s.PrimaryNode()
	for _, n := range s.Nodes {
		if p != nil && n.Name == p.Name {
			continue
		}
		if eligibleStandby(n) {
			m.EligibleStandbys++
		}
		if n.LagBytes != nil && (m.MaxLagBytes == nil || *n.LagBytes > *m.MaxLagBytes) {
			v := *n.LagBytes
			m.MaxLagBytes = &v
		}
	}
	return m
}

// LastFailover is the most recent episode in which the primary changed without anyone asking (nil if none).
func LastFailover(episodes []Episode) *Episode {
	for i := len(episodes) - 1; i >= 0; i-- {
		if episodes[i].Kind == EpisodeFailover {
			return &episodes[i]
		}
	}
	return nil
}

// routingStale is RoutingOf's judgement: PgBouncer sends the database somewhere other than an answering primary.
func routingStale(s Snapshot) bool {
	r := RoutingOf(s)
	return r != nil && r.Stale
}

package models

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// QueryType selects what a query reads. Mirrored by QueryType in src/datasource/types.ts.
type QueryType string

const (
	// QueryTypeTopology returns the Node Graph "nodes" and "edges" frames.
	QueryTypeTopology QueryType = "topology"
	// QueryTypeEvents returns the formation's state changes in the time range (annotation friendly).
	QueryTypeEvents QueryType = "events"
	// QueryTypeStatus returns one row: the verdict, its reason and the runbook, and the alertable numbers.
	QueryTypeStatus QueryType = "status"
	// QueryTypeEpisodes folds the range's events into failover episodes (annotation regions).
	QueryTypeEpisodes QueryType = "episodes"
	// QueryTypeMeasures returns the alertable numbers only, as a numeric time series Grafana alerting reads.
	QueryTypeMeasures QueryType = "measures"
	// QueryTypeFailoverObjective judges the range's failovers against an objective (share writable within a limit).
	QueryTypeFailoverObjective QueryType = "failoverObjective"
	// QueryTypeGroups returns one row per group of the formation: each group's verdict.
	QueryTypeGroups QueryType = "groups"
)

// QueryTypes lists every query type, in the order the query editor offers them.
var QueryTypes = []QueryType{QueryTypeTopology, QueryTypeEvents, QueryTypeStatus, QueryTypeEpisodes, QueryTypeMeasures,
	QueryTypeFailoverObjective, QueryTypeGroups}

// The alertable numbers, named once: the status frame's numeric fields and the measures query's series carry
// these names (docs/pgha-alerting.md says what each means).
const (
	MeasureHealthy             = "healthy"                        // 1 healthy on a fresh reading, else 0
	MeasureVerdictCode         = "verdict_code"                   // pgha.VerdictCodes index, value-mapped to its name
	MeasureMaxLagBytes         = "replication_lag_bytes"          // largest standby lag (monitor view); null if none
	MeasureSinceStateChange    = "seconds_since_state_change"     // since the monitor last assigned a goal state
	MeasureEligibleStandbys    = "failover_eligible_standbys"     // standbys the monitor could promote now
	MeasureRoutingStale        = "pgbouncer_routing_stale"        // 1 when PgBouncer routes off the settled primary
	MeasureLastFailoverSeconds = "last_failover_writable_seconds" // the last failover's time to writable
)

// Measures a measures query may ask for (one, or all when empty), in frame order.
var Measures = []string{MeasureHealthy, MeasureVerdictCode, MeasureMaxLagBytes, MeasureSinceStateChange,
	MeasureEligibleStandbys, MeasureRoutingStale, MeasureLastFailoverSeconds}

// MaxGroup bounds the group option (pgautofailover.node.groupid is an int; citus workers count up from 1).
const MaxGroup = 1 << 20

// DefaultEventsLimit caps the events query when the panel does not say.
const DefaultEventsLimit = 200

// MaxEventsLimit bounds what one query can pull from the monitor's event table.
const MaxEventsLimit = 5000

// The failover objective when a query names none: 95 % of failovers writable within 30 s.
const (
	DefaultFailoverObjective     = 0.95
	DefaultWritableWithinSeconds = 30.0
	MaxWritableWithinSeconds     = 3600.0
)

// Query is the JSON model of one query (DataQuery.JSON). Mirrored by PghaQuery in src/datasource/types.ts.
type Query struct {
	// Live asks for meta.channel on the frames so Grafana subscribes to the stream (topology, status, events).
	Live bool `json:"live,omitempty"`
	// Limit caps the number of events returned (events query only).
	Limit int `json:"limit,omitempty"`
	// Measure picks one number of a measures query ("" = all of them), so an alert rule gets one series.
	Measure string `json:"measure,omitempty"`
	// Objective and WritableWithinSeconds: the failover objective (failoverObjective query), e.g. 0.95 and 30.
	Objective             float64 `json:"objective,omitempty"`
	WritableWithinSeconds float64 `json:"writableWithinSeconds,omitempty"`
	// Formation reads another formation registered on the same monitor ("" = the data source's formation setting).
	Formation string `json:"formation,omitempty"`
	// Group narrows the answer to one group of the formation (nil = every group).
	Group *int `json:"group,omitempty"`
}

// formationName bounds what a query may send as a formation name (pg_autoctl's names are identifiers like
// "default" or "analytics"): it ends up as a bound parameter, but also in messages and reader keys.
var formationName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$`)

// ParseQuery decodes a query's JSON and applies defaults.
func ParseQuery(raw json.RawMessage) (Query, error) {
	var q Query
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &q); err != nil {
			return q, fmt.Errorf("invalid query JSON: %w", err)
		}
	}
	if q.Measure != "" && !slices.Contains(Measures, q.Measure) {
		return q, fmt.Errorf("unknown measure %q: one of %s", q.Measure, strings.Join(Measures, ", "))
	}
	if q.Formation != "" && !formationName.MatchString(q.Formation) {
		return q, fmt.Errorf("formation %q: letters, digits, _ . - (up to 63, not starting with . or -)", q.Formation)
	}
	if q.Group != nil && (*q.Group < 0 || *q.Group > MaxGroup) {
		return q, fmt.Errorf("group %d: a group id between 0 and %d", *q.Group, MaxGroup)
	}
	if q.Objective == 0 {
		q.Objective = DefaultFailoverObjective
	}
	if q.WritableWithinSeconds == 0 {
		q.WritableWithinSeconds = DefaultWritableWithinSeconds
	}
	if q.Objective <= 0 || q.Objective >= 1 {
		return q, fmt.Errorf("objective %v: a share of failovers between 0 and 1 (e.g. 0.95), exclusive", q.Objective)
	}
	if q.WritableWithinSeconds <= 0 || q.WritableWithinSeconds > MaxWritableWithinSeconds {
		return q, fmt.Errorf("writableWithinSeconds %v: between 0 and %v seconds", q.WritableWithinSeconds, MaxWritableWithinSeconds)
	}
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultEventsLimit
	case q.Limit > MaxEventsLimit:
		q.Limit = MaxEventsLimit
	}
	return q, nil
}

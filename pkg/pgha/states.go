// Package pgha reads a pg_auto_failover formation (monitor, data nodes, PgBouncer) and
// classifies it. Reading does I/O (monitor.go, nodes.go, pgbouncer.go, listen.go); the model
// (snapshot.go) and the classification (classify.go) are pure.
package pgha

// State is a pgautofailover.replication_state value, read as text.
type State string

// The states this package reasons about; the others (init, wait_standby, maintenance, …) are
// carried through as text.
const (
	StateSingle           State = "single"
	StateWaitPrimary      State = "wait_primary"
	StatePrimary          State = "primary"
	StateJoinPrimary      State = "join_primary"
	StateApplySettings    State = "apply_settings"
	StateSecondary        State = "secondary"
	StateCatchingUp       State = "catchingup"
	StateDraining         State = "draining"
	StateDemoteTimeout    State = "demote_timeout"
	StateDemoted          State = "demoted"
	StatePreparePromotion State = "prepare_promotion"
	StateStopReplication  State = "stop_replication"
	StateReportLSN        State = "report_lsn"
	StateFastForward      State = "fast_forward"
	StateJoinSecondary    State = "join_secondary"
	StatePrepareMaint     State = "prepare_maintenance"
	StateWaitMaint        State = "wait_maintenance"
	StateMaintenance      State = "maintenance"
)

// writableGoals are the goal states get_primary() accepts as "the primary" (node_metadata.c).
var writableGoals = set(StateSingle, StateWaitPrimary, StatePrimary, StateJoinPrimary, StateApplySettings)

// promotionStates make IsParticipatingInPromotion true on the monitor (node_metadata.c).
var promotionStates = set(StateDraining, StatePreparePromotion, StateStopReplication, StateDemoteTimeout,
	StateReportLSN, StateFastForward, StateJoinSecondary)

// readWrite and readOnly are pg_autoctl show state's "Connection" column (nodestate_utils.c).
var readWrite = set(StateSingle, StatePrimary, StateWaitPrimary, StateJoinPrimary, StatePrepareMaint, StateApplySettings)
var readOnly = set(StateSecondary, StateCatchingUp, StatePreparePromotion, StateStopReplication, StateWaitMaint,
	StateFastForward, StateJoinSecondary, StateReportLSN)

// steadyStates are the states a settled node rests in when nothing is happening (episodes end when every node is
// in one, and a node in one is drawn ok).
var steadyStates = set(StateSingle, StatePrimary, StateSecondary, StateMaintenance)

func set(states ...State) map[State]bool {
	m := make(map[State]bool, len(states))
	for _, s := range states {
		m[s] = true
	}
	return m
}

// IsWritableGoal tells whether a node assigned this goal is the group's primary.
func (s State) IsWritableGoal() bool { return writableGoals[s] }

// InPromotion tells whether the state belongs to a failover under way.
func (s State) InPromotion() bool { return promotionStates[s] }

// Connection is what a client may do on a node that reports this state:
// "read-write", "read-only" or "none", as pg_autoctl show state prints it.
func (s State) Connection() string {
	switch {
	case readWrite[s]:
		return "read-write"
	case readOnly[s]:
		return "read-only"
	}
	return "none"
}

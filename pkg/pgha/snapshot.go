package pgha

import "time"

// Health is pgautofailover.node.health: the monitor's own connection check.
type Health int

const (
	HealthUnknown Health = -1
	HealthBad     Health = 0
	HealthGood    Health = 1
)

func (h Health) String() string {
	switch h {
	case HealthGood:
		return "good"
	case HealthBad:
		return "bad"
	}
	return "unknown"
}

// Node is one data node as the monitor records it, enriched by a direct reading when
// node credentials are configured (Live).
type Node struct {
	ID                int64
	GroupID           int
	Name              string
	Host              string
	Port              int
	Reported          State
	Goal              State
	PgIsRunning       bool
	RepState          string // reportedrepstate: async, sync, quorum, potential, unknown
	TLI               int
	LSN               string
	LagBytes          *float64 // monitor view: primary's reported LSN minus this node's
	Health            Health
	ReportAge         *float64 // seconds since the keeper last reported; nil if never
	StateChangeAge    *float64 // seconds since the goal state was last assigned
	CandidatePriority int
	ReplicationQuorum bool
	Live              *NodeReading
}

// Address is host:port, the key PgBouncer targets are matched on.
func (n Node) Address() string { return hostPort(n.Host, n.Port) }

// Converged tells whether the node reached its assigned state.
func (n Node) Converged() bool { return n.Reported == n.Goal }

// NodeReading is what a data node says about itself (node credentials with pg_read_all_stats).
type NodeReading struct {
	Err         error // set when the node could not be read; the other fields are then empty
	InRecovery  bool
	ReadOnly    bool // default_transaction_read_only: still on during stop_replication
	Timeline    *int
	LSN         string
	SyncState   string   // this standby's sync_state in the primary's pg_stat_replication
	LagBytes    *float64 // replay lag seen by the primary
	LagSeconds  *float64 // replay_lag seen by the primary; 0 once caught up and idle
	CanSeeStats bool     // false without pg_read_all_stats: Postgres hides the replication columns
}

// Bouncer is what the PgBouncer admin console says about the formation's database.
type Bouncer struct {
	Address    string // admin console host:port
	Err        error
	Database   string // the PgBouncer database that fronts the formation
	TargetHost string // SHOW DATABASES host (configured routing target)
	TargetPort int
	TargetNode string         // node name the target maps to; "" if none
	Servers    map[string]int // live server connections per node name ("" = not a node)
	Closing    map[string]int // of which close_needed (still on the old target after RELOAD)
}

// Target is host:port of the configured routing target.
func (b Bouncer) Target() string { return hostPort(b.TargetHost, b.TargetPort) }

// Timeouts are the monitor GUCs the classification measures against.
type Timeouts struct {
	PrimaryDemote time.Duration
	NodeUnhealthy time.Duration
}

// DefaultTimeouts are pg_auto_failover 2.0's defaults, used when pg_settings cannot be read.
var DefaultTimeouts = Timeouts{PrimaryDemote: 30 * time.Second, NodeUnhealthy: 20 * time.Second}

// Event is one row of pgautofailover.event.
type Event struct {
	ID          int64
	Time        time.Time
	NodeID      int64
	GroupID     int
	NodeName    string
	NodeHost    string
	NodePort    int
	Reported    State
	Goal        State
	Description string
}

// Snapshot is one reading of the whole formation.
type Snapshot struct {
	Formation string
	DBName    string
	// NumberSyncStandbys is the formation's number_sync_standbys: how many replication-quorum standbys every
	// commit waits for (0: none, and the primary may go on alone).
	NumberSyncStandbys int
	// Formations names every formation registered on the monitor (sorted), for a query to choose from.
	Formations     []string
	MonitorAddress string
	ReadAt         time.Time
	// MonitorErr is set when the monitor could not be read. Nodes then hold the last known
	// reading (Stale), so the panel can still draw who was primary.
	MonitorErr error
	Stale      bool
	StaleSince time.Time
	Nodes      []Node
	Timeouts   Timeouts
	Bouncer    *Bouncer // nil when no PgBouncer is configured
	LastEvent  int64    // highest event id seen, to measure stream delivery delay
}

// PrimaryNode returns the node the monitor wants writable, the way get_primary picks it:
// by goal first, then by a primary-like reported state; nil if none.
func (s Snapshot) PrimaryNode() *Node {
	for i := range s.Nodes {
		if s.Nodes[i].Goal.IsWritableGoal() {
			return &s.Nodes[i]
		}
	}
	for i := range s.Nodes {
		if r := s.Nodes[i].Reported; r.IsWritableGoal() || r == StateDraining || r == StateDemoteTimeout {
			return &s.Nodes[i]
		}
	}
	return nil
}

// NodeByName finds a node; nil if absent.
func (s Snapshot) NodeByName(name string) *Node {
	for i := range s.Nodes {
		if s.Nodes[i].Name == name {
			return &s.Nodes[i]
		}
	}
	return nil
}

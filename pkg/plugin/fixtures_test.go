package plugin

import (
	"errors"
	"time"

	"github.com/veza/slo/pkg/pgha"
)

// Fixture snapshots shaped like what the reader returns from the local stack.
var readAt = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

func healthySnapshot() pgha.Snapshot {
	return pgha.Snapshot{Formation: "default", DBName: "appdb", MonitorAddress: "127.0.0.1:6000", ReadAt: readAt, LastEvent: 14,
		Timeouts: pgha.DefaultTimeouts,
		Nodes: []pgha.Node{
			{ID: 1, Name: "node1", Host: "localhost", Port: 6001, Reported: "primary", Goal: "primary", PgIsRunning: true, RepState: "quorum",
				TLI: 1, LSN: "0/3036770", LagBytes: fp(0), Health: 1, ReportAge: fp(0.4), StateChangeAge: fp(300), CandidatePriority: 50, ReplicationQuorum: true,
				Live: &pgha.NodeReading{Timeline: ip(1), LSN: "0/3036770", CanSeeStats: true}},
			{ID: 2, Name: "node2", Host: "localhost", Port: 6002, Reported: "secondary", Goal: "secondary", PgIsRunning: true, RepState: "unknown",
				TLI: 1, LSN: "0/3036700", LagBytes: fp(112), Health: 1, ReportAge: fp(0.7), StateChangeAge: fp(300), CandidatePriority: 50, ReplicationQuorum: true,
				Live: &pgha.NodeReading{InRecovery: true, Timeline: ip(1), LSN: "0/3036770", SyncState: "quorum", LagBytes: fp(0), LagSeconds: fp(0), CanSeeStats: true}},
		},
		Bouncer: &pgha.Bouncer{Address: "127.0.0.1:6432", Database: "appdb", TargetHost: "127.0.0.1", TargetPort: 6001, TargetNode: "node1",
			Servers: map[string]int{"node1": 3}, Closing: map[string]int{}},
	}
}

func failoverSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	s.LastEvent = 19
	s.Nodes[0].Reported, s.Nodes[0].Goal, s.Nodes[0].Health, s.Nodes[0].ReportAge, s.Nodes[0].StateChangeAge = "primary", "demote_timeout", 0, fp(22), fp(3)
	s.Nodes[0].Live = &pgha.NodeReading{Err: &pgha.Failure{Target: "node1 localhost:6001", Problem: pgha.ProblemUnreachable, Detail: "connection refused"}}
	s.Nodes[1].Reported, s.Nodes[1].Goal, s.Nodes[1].StateChangeAge, s.Nodes[1].TLI = "stop_replication", "stop_replication", fp(3), 2
	s.Nodes[1].Live = &pgha.NodeReading{Timeline: ip(2), LSN: "0/3036800", ReadOnly: true, CanSeeStats: true}
	s.Bouncer.Servers, s.Bouncer.Closing = map[string]int{}, map[string]int{}
	return s
}

func monitorDownSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	s.MonitorErr = &pgha.Failure{Target: "monitor 127.0.0.1:6000", Problem: pgha.ProblemUnreachable, Detail: "connection refused"}
	s.Stale, s.StaleSince, s.Bouncer = true, readAt.Add(-30*time.Second), nil
	return s
}

func sampleEvents() []pgha.Event {
	t0 := time.Date(2026, 11, 25, 11, 59, 0, 0, time.UTC)
	return []pgha.Event{
		{ID: 15, Time: t0, NodeID: 1, NodeName: "node1", NodeHost: "localhost", NodePort: 6001, Reported: "primary", Goal: "draining",
			Description: `Setting goal state of node 1 "node1" (localhost:6001) to draining after it became unhealthy.`},
		{ID: 16, Time: t0.Add(1500 * time.Millisecond), NodeID: 2, NodeName: "node2", NodeHost: "localhost", NodePort: 6002, Reported: "stop_replication", Goal: "stop_replication",
			Description: `New state is reported by node 2 "node2" (localhost:6002) with LSN 0/3036800: stop_replication`},
	}
}

var errBoom = errors.New("boom")

// primaryLostSnapshot is the first reading after node1's Postgres was killed: this reader's connection is refused,
// the monitor has not noticed yet (node1 still primary, health good), PgBouncer still routes appdb to node1.
func primaryLostSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	s.Timeouts = pgha.Timeouts{PrimaryDemote: 4 * time.Second, NodeUnhealthy: 4 * time.Second}
	s.Nodes[0].ReportAge = fp(1.2)
	s.Nodes[0].Live = &pgha.NodeReading{Err: &pgha.Failure{Target: "node1 localhost:6001", Problem: pgha.ProblemUnreachable, Detail: "connection refused"}}
	s.Bouncer.Servers = map[string]int{}
	return s
}

// degradedSnapshot: the standby fell behind and is catching up, so no failover is possible now.
func degradedSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	s.Nodes[1].Reported, s.Nodes[1].Goal, s.Nodes[1].LagBytes = "catchingup", "catchingup", fp(48*1024*1024)
	s.Nodes[1].Live.LagBytes, s.Nodes[1].Live.LagSeconds, s.Nodes[1].Live.SyncState = fp(48*1024*1024), fp(12), "async"
	s.Nodes[0].Reported, s.Nodes[0].Goal, s.Nodes[0].RepState = "wait_primary", "wait_primary", "async"
	return s
}

// wedgedSnapshot: the primary is dead (the monitor agrees) and the only standby is still catching up.
func wedgedSnapshot() pgha.Snapshot {
	s := degradedSnapshot()
	s.Nodes[0].Health, s.Nodes[0].ReportAge, s.Nodes[0].PgIsRunning = 0, fp(25), false
	s.Nodes[0].Live = &pgha.NodeReading{Err: &pgha.Failure{Target: "node1 localhost:6001", Problem: pgha.ProblemUnreachable, Detail: "connection refused"}}
	return s
}

// routingStaleSnapshot: the failover completed (node2 primary, node1 rejoined as standby) but PgBouncer still
// sends appdb to node1: the hook did not run.
func routingStaleSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	s.Nodes[0].Reported, s.Nodes[0].Goal, s.Nodes[0].TLI, s.Nodes[0].RepState = "secondary", "secondary", 2, "quorum"
	s.Nodes[0].Live = &pgha.NodeReading{InRecovery: true, Timeline: ip(2), LSN: "0/3036900", SyncState: "quorum", LagBytes: fp(0), LagSeconds: fp(0), CanSeeStats: true}
	s.Nodes[1].Reported, s.Nodes[1].Goal, s.Nodes[1].TLI, s.Nodes[1].RepState = "primary", "primary", 2, "quorum"
	s.Nodes[1].Live = &pgha.NodeReading{Timeline: ip(2), LSN: "0/3036900", CanSeeStats: true}
	s.Bouncer.Servers = map[string]int{"node1": 2}
	return s
}

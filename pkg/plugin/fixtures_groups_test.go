package plugin

import "github.com/veza/slo/pkg/pgha"

// threeNodeSnapshot is one group of three: node3 is a standby in the replication quorum but never a failover
// candidate (priority 0), number_sync_standbys 1: healthy, with one standby to spare.
func threeNodeSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	s.NumberSyncStandbys, s.Formations = 1, []string{"analytics", "default"}
	n3 := s.Nodes[1]
	n3.ID, n3.Name, n3.Port, n3.LagBytes, n3.CandidatePriority = 3, "node3", 6003, fp(48), 0
	live := *n3.Live
	n3.Live = &live
	s.Nodes = append(s.Nodes, n3)
	s.Bouncer.Servers = map[string]int{"node1": 2}
	return s
}

// twoGroupsSnapshot is a formation of two groups (a citus coordinator in group 0, a worker in group 1) whose
// worker standby is down: the formation is degraded because of group 1, while group 0 is healthy.
func twoGroupsSnapshot() pgha.Snapshot {
	s := healthySnapshot()
	w1, w2 := s.Nodes[0], s.Nodes[1]
	w1.ID, w1.Name, w1.Port, w1.GroupID = 3, "worker1a", 6011, 1
	w2.ID, w2.Name, w2.Port, w2.GroupID, w2.Health, w2.ReportAge, w2.Live = 4, "worker1b", 6012, 1, pgha.HealthBad, fp(25),
		&pgha.NodeReading{Err: &pgha.Failure{Target: "worker1b localhost:6012", Problem: pgha.ProblemUnreachable, Detail: "connection refused"}}
	s.Nodes = append(s.Nodes, w1, w2)
	return s
}

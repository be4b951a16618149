package pgha

import (
	"fmt"
	"sort"
	"strings"
)

// What number_sync_standbys, replication quorum and candidate priority mean for one group (pg_auto_failover's
// "Architecture with multiple standbys"):
//   - a standby with replication quorum on is listed in the primary's synchronous_standby_names; with
//     number_sync_standbys = N ≥ 1 every commit waits for N of them, so with fewer than N in sync the formation is
//     read-only in effect (writes block), and with exactly N one more loss blocks writes;
//   - a standby with replication quorum off replicates asynchronously: promoting it may lose committed writes;
//   - a standby with candidate priority 0 is never promoted, whatever happens to the primary.

// quorumStandbys are the group's standbys with replication quorum on, and of those the ones that can acknowledge
// commits now: streaming as secondary and answering (Node.Answering: a standby whose Postgres died is out at once).
func quorumStandbys(s Snapshot) (quorum, inSync []Node) {
	p := s.PrimaryNode()
	for _, n := range s.Nodes {
		if (p != nil && n.Name == p.Name) || !n.ReplicationQuorum {
			continue
		}
		quorum = append(quorum, n)
		if n.Reported == StateSecondary && n.Answering() {
			inSync = append(inSync, n)
		}
	}
	return quorum, inSync
}

func names(nodes []Node) string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	sort.Strings(out) // node ids follow registration order, which says nothing to the reader
	return strings.Join(out, ", ")
}

// inSyncText says how many quorum standbys are in sync, in words.
func inSyncText(quorum, inSync []Node) string {
	switch {
	case len(quorum) == 0:
		return "no standby has replication quorum on"
	case len(inSync) == 0:
		return fmt.Sprintf("none of the replication-quorum standbys (%s) is in sync", names(quorum))
	}
	return fmt.Sprintf("only %s of the replication-quorum standbys (%s) in sync", names(inSync), names(quorum))
}

// writesBlockedReason is set when the primary keeps synchronous replication on (reported primary, settled) but
// fewer quorum standbys than number_sync_standbys can acknowledge: every commit waits. Not during a failover, when
// standbys are expected to be elsewhere.
func writesBlockedReason(s Snapshot) string {
	p := s.PrimaryNode()
	if s.NumberSyncStandbys < 1 || p == nil || p.Reported != StatePrimary || !p.Converged() || anyInPromotion(s) {
		return ""
	}
	quorum, inSync := quorumStandbys(s)
	if len(inSync) >= s.NumberSyncStandbys {
		return ""
	}
	return fmt.Sprintf("writes blocked: number_sync_standbys is %d but %s — every commit on %s waits until enough "+
		"standbys are back in sync (or number_sync_standbys is lowered)", s.NumberSyncStandbys, inSyncText(quorum, inSync), p.Name)
}

// syncRisks are the degraded reasons of quorum and priority settings: writes one standby loss away from blocking,
// and a failover that could only promote an asynchronous standby.
func syncRisks(s Snapshot) []string {
	p := s.PrimaryNode()
	if p == nil || p.Goal == StateSingle {
		return nil
	}
	var out []string
	quorum, inSync := quorumStandbys(s)
	if s.NumberSyncStandbys >= 1 && len(inSync) == s.NumberSyncStandbys && p.Reported == StatePrimary {
		out = append(out, fmt.Sprintf("writes at risk: number_sync_standbys is %d and just that many replication-quorum "+
			"standbys are in sync (%s; quorum: %s) — losing one more blocks writes", s.NumberSyncStandbys, names(inSync), names(quorum)))
	}
	var candidates []Node
	quorumCandidate := false
	for _, n := range otherNodes(s, p.Name) {
		if eligibleStandby(n) {
			candidates = append(candidates, n)
			quorumCandidate = quorumCandidate || n.ReplicationQuorum
		}
	}
	if len(candidates) > 0 && !quorumCandidate {
		out = append(out, fmt.Sprintf("every standby that can be promoted (%s) replicates asynchronously (replication "+
			"quorum off): a failover may lose committed writes", names(candidates)))
	}
	return out
}

// standbyRoleText describes the standbys that are not plain synchronous failover candidates, for the healthy
// reason of a larger formation ("node3 async (replication quorum off), never promoted (candidate priority 0)").
func standbyRoleText(n Node) string {
	var parts []string
	if !n.ReplicationQuorum {
		parts = append(parts, "async (replication quorum off)")
	}
	if n.CandidatePriority == 0 {
		parts = append(parts, "never promoted (candidate priority 0)")
	}
	if len(parts) == 0 {
		return ""
	}
	return n.Name + " " + strings.Join(parts, ", ")
}

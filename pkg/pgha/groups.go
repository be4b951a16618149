package pgha

import (
	"fmt"
	"slices"
	"strings"
)

// A formation holds one or more groups (pgautofailover.node.groupid): each group is a primary and its standbys,
// failing over on its own. A pgsql formation has group 0 only; a citus formation has the coordinator in group 0 and
// a group per worker. The verdict is therefore made per group, and the formation's verdict is the worst group's.

// Groups lists the snapshot's group ids in ascending order.
func (s Snapshot) Groups() []int {
	var out []int
	for _, n := range s.Nodes {
		if !slices.Contains(out, n.GroupID) {
			out = append(out, n.GroupID)
		}
	}
	slices.Sort(out)
	return out
}

// Group narrows the snapshot to one group's nodes. PgBouncer stays with group 0 only: it fronts the formation's
// database, which group 0's primary serves (the coordinator in a citus formation).
func (s Snapshot) Group(id int) Snapshot {
	g := s
	g.Nodes = nil
	for _, n := range s.Nodes {
		if n.GroupID == id {
			g.Nodes = append(g.Nodes, n)
		}
	}
	if id != 0 {
		g.Bouncer = nil
	}
	return g
}

// GroupStatus is one group's verdict.
type GroupStatus struct {
	Group int
	Status
}

// ClassifyGroups classifies every group of the snapshot on its own, in group order. A monitor that cannot be read,
// or a formation without nodes, has no group to judge: the result is then one entry for group 0 with the
// formation's verdict.
func ClassifyGroups(s Snapshot) []GroupStatus {
	groups := s.Groups()
	if s.MonitorErr != nil || len(groups) <= 1 {
		id := 0
		if len(groups) == 1 {
			id = groups[0]
		}
		return []GroupStatus{{Group: id, Status: classifyOne(s)}}
	}
	out := make([]GroupStatus, 0, len(groups))
	for _, id := range groups {
		out = append(out, GroupStatus{Group: id, Status: classifyOne(s.Group(id))})
	}
	return out
}

// Worst is the most urgent of the groups' verdicts (VerdictCodes order; the lower group id on a tie).
func Worst(groups []GroupStatus) GroupStatus {
	worst := groups[0]
	for _, g := range groups[1:] {
		if VerdictCode(g.Verdict) > VerdictCode(worst.Verdict) {
			worst = g
		}
	}
	return worst
}

// summarize is the formation's status over several groups: the worst group's verdict and runbook, its reason
// first, then every other group's that is not healthy, each named by its group, so a healthy coordinator does not
// hide a worker that cannot fail over. The primary is group 0's, the one the formation URI's clients write to.
func summarize(s Snapshot, groups []GroupStatus) Status {
	worst := Worst(groups)
	reasons := []string{fmt.Sprintf("group %d: %s", worst.Group, worst.Reason)}
	for _, g := range groups {
		if g.Group != worst.Group && (g.Verdict != VerdictHealthy || worst.Verdict == VerdictHealthy) {
			reasons = append(reasons, fmt.Sprintf("group %d %s: %s", g.Group, g.Verdict, g.Reason))
		}
	}
	st := worst.Status
	st.Reason = strings.Join(reasons, "; ")
	st.Primary = ""
	if p := s.PrimaryNode(); p != nil {
		st.Primary = p.Name
	}
	return st
}

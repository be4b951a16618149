//go:build integration

package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// A throwaway pg_auto_failover: a monitor, a three-node formation "default" (node3 never a failover candidate) and a
// second formation "analytics" with one node on the same monitor, read through QueryData with the formation and
// group options. The stack's formation is not touched. About a minute.
func TestITPgAutoFailoverThreeNodesAndASecondFormation(t *testing.T) {
	f := newThrowawayFormation(t)
	f.startNode("node1", "default", "appdb")
	f.waitStates("default", 90*time.Second, map[string]string{"node1": "single"})
	f.run("create", "formation", "--pgdata", f.pgdata("monitor"), "--formation", "analytics", "--kind", "pgsql", "--dbname", "analyticsdb")
	// pg_basebackup of each standby waits for a spread checkpoint on node1: an immediate one first.
	f.exec(nodePort(t, f, "node1"), "postgres", "CHECKPOINT")
	f.startNode("node2", "default", "appdb")
	f.startNode("node3", "default", "appdb", "--candidate-priority", "0")
	f.startNode("a1", "analytics", "analyticsdb")
	f.waitStates("default", 120*time.Second, map[string]string{"node1": "primary", "node2": "secondary", "node3": "secondary"})
	f.waitStates("analytics", 60*time.Second, map[string]string{"a1": "single"})

	d := itInstance(t, map[string]any{"monitorPort": f.monitorPort, "pgbouncerHost": ""})
	// A second standby in the replication quorum sets number_sync_standbys to 1 (pg_auto_failover does it itself).
	snap := waitVerdict(t, d, pgha.VerdictHealthy, 60*time.Second)
	if snap.NumberSyncStandbys != 1 || strings.Join(snap.Formations, ",") != "analytics,default" {
		t.Fatalf("number_sync_standbys %d, formations %v", snap.NumberSyncStandbys, snap.Formations)
	}

	// The default formation: three nodes in group 0, node3 shown as never promoted, one eligible standby.
	status := itAnswer(t, d, "status", `{}`)
	reason := cell(t, status, "reason", 0).(string)
	if cell(t, status, FieldGroup, 0) != int64(0) || cell(t, status, "number_sync_standbys", 0) != int64(1) ||
		cell(t, status, "failover_eligible_standbys", 0) != int64(1) || !strings.Contains(reason, "node3 never promoted (candidate priority 0)") {
		t.Fatalf("status: %v", status)
	}
	topo := itAnswer(t, d, "topology", `{"formation":"default","group":0}`)
	roles := map[string]string{}
	for i := 0; i < topo.Rows(); i++ {
		if id, _ := topo.ConcreteAt(0, i); strings.HasPrefix(id.(string), "node/") {
			role, _ := topo.FieldByName("detail__role")
			group, _ := topo.FieldByName(FieldNodeGroup)
			if g, _ := group.ConcreteAt(i); g != int64(0) {
				t.Errorf("%s in group %v", id, g)
			}
			roles[id.(string)] = role.At(i).(string)
		}
	}
	if len(roles) != 3 || roles["node/node1"] != "primary" || roles["node/node2"] != "standby" || roles["node/node3"] != "standby" {
		t.Fatalf("nodes of group 0: %v", roles)
	}

	// The second formation on the same monitor, through the query option.
	other := itAnswer(t, d, "status", `{"formation":"analytics"}`)
	if cell(t, other, "formation", 0) != "analytics" || cell(t, other, "verdict", 0) != "healthy" || cell(t, other, "primary", 0) != "a1" ||
		!strings.Contains(cell(t, other, "reason", 0).(string), "a1 is the single node") {
		t.Fatalf("analytics status: %v", other)
	}
	if nodes := itAnswer(t, d, "topology", `{"formation":"analytics"}`); nodes.Rows() != 2 { // the monitor and a1
		t.Fatalf("analytics topology: %v", nodes)
	}
	if g := itAnswer(t, d, "groups", `{"formation":"analytics"}`); g.Rows() != 1 || cell(t, g, "nodes", 0) != int64(1) {
		t.Fatalf("analytics groups: %v", g)
	}

	// Names the monitor does not have answer with what it has.
	for model, want := range map[string]string{
		`{"formation":"nope"}`: `formation "nope" not found on the monitor; formations: analytics, default`,
		`{"group":1}`:          `group 1 not found in formation "default"; groups: 0`,
	} {
		if r := answer(t, d, "status", model); r.Error == nil || r.Error.Error() != want || r.Status != backend.StatusBadRequest {
			t.Errorf("%s: %v, want %q", model, r.Error, want)
		}
	}
	if len(d.others) != 1 {
		t.Errorf("readers kept for other formations: %d, want 1 (analytics; not the unknown name)", len(d.others))
	}

	t.Logf("status: %s; analytics: %s; nodes %v", reason, cell(t, other, "reason", 0), f.states("default"))
	// node2 stops: node3 is then the only replication-quorum standby in sync, with number_sync_standbys 1.
	f.stop("node2")
	snap = waitVerdict(t, d, pgha.VerdictDegraded, 60*time.Second)
	if st := pgha.Classify(snap); !strings.Contains(st.Reason, "writes at risk: number_sync_standbys is 1") {
		t.Fatalf("with node2 down: %q", st.Reason)
	} else {
		t.Logf("node2 down: %s", st.Reason)
	}
}

func nodePort(t *testing.T, f *throwawayFormation, name string) int {
	t.Helper()
	rows, err := f.query(f.monitorPort, "pg_auto_failover", "SELECT nodeport FROM pgautofailover.node WHERE nodename = '"+name+"'")
	if err != nil || len(rows) != 1 {
		t.Fatalf("port of %s: %v %v", name, rows, err)
	}
	return int(rows[0][0].(int32))
}

// itAnswer runs one query and returns its first frame, failing on an error.
func itAnswer(t *testing.T, d *Datasource, queryType, model string) *data.Frame {
	t.Helper()
	r := answer(t, d, queryType, model)
	if r.Error != nil || len(r.Frames) == 0 {
		t.Fatalf("%s %s: %v", queryType, model, r.Error)
	}
	return r.Frames[0]
}

package pgha

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/veza/slo/pkg/models"
)

// A node listed by the monitor outside nodeHosts is never connected to, so never gets the node
// password; it carries a reason instead of a reading. A listed one is connected to as before.
func TestNodeHostAllowList(t *testing.T) {
	refused := startFakeServer(t, &pgproto3.AuthenticationCleartextPassword{}, nil)
	allowed := startFakeServer(t, &pgproto3.AuthenticationOk{}, nil)
	settings := models.Settings{MonitorHost: "127.0.0.1", NodeUser: "grafana", NodePassword: fakePassword, SSLMode: "disable",
		NodeHosts: "db.internal, 127.0.0.0/8", ConnectTimeoutMs: 2000, QueryTimeoutMs: 300}
	r := NewReader(settings)
	t.Cleanup(r.Close)
	// The monitor lists the rogue node as "localhost": it resolves into 127.0.0.0/8, where its server
	// listens, but names are matched as names, never resolved, so it is refused.
	snap := Snapshot{DBName: "appdb", Nodes: []Node{
		{ID: 1, Name: "rogue", Host: "localhost", Port: refused.port()},
		{ID: 2, Name: "listed", Host: "127.0.0.1", Port: allowed.port()},
	}}
	r.readNodes(context.Background(), &snap)

	rogue := snap.Nodes[0].Live
	if rogue == nil || !IsNotAllowed(rogue.Err) {
		t.Fatalf("rogue node: want a not-allowed reading, got %+v", rogue)
	}
	msg := rogue.Err.Error()
	for _, want := range []string{"rogue localhost:", "host not allowed", `"localhost"`, "allow-list (nodeHosts)", "no node password was sent"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q missing from %q", want, msg)
		}
	}
	if n := refused.accepted.Load(); n != 0 {
		t.Fatalf("the backend connected %d time(s) to a node outside the allow-list", n)
	}
	if listed := snap.Nodes[1].Live; listed == nil || IsNotAllowed(listed.Err) || allowed.accepted.Load() != 1 {
		t.Fatalf("listed node: not connected to (%+v)", listed)
	}

	// The health check applies the same list.
	c := r.checkNode(context.Background(), snap.Nodes[0], "appdb")
	if c.OK || c.Problem != string(ProblemNotAllowed) || !strings.Contains(c.Message, "not in the data source's node host allow-list") {
		t.Errorf("health check of the rogue node: %+v", c)
	}
	if n := refused.accepted.Load(); n != 0 {
		t.Fatal("the health check connected to a node outside the allow-list")
	}
}

func TestNoAllowListConnectsToEveryNode(t *testing.T) {
	r := NewReader(models.Settings{NodeUser: "grafana", SSLMode: "disable"})
	if !r.allow.Allows("anything.example") {
		t.Fatal("without nodeHosts every node is read, as before")
	}
	if r := NewReader(models.Settings{NodeHosts: "not/valid"}); r.allow.Allows("127.0.0.1") {
		t.Fatal("an allow-list that does not parse must allow nothing")
	}
}

package pgha

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/veza/slo/pkg/models"
)

// A node the monitor no longer lists (removed, or re-registered elsewhere) has its connection closed on
// the next read; the nodes still listed keep theirs.
func TestConnectionsToNodesThatLeftAreClosed(t *testing.T) {
	gone := startFakeServer(t, &pgproto3.AuthenticationOk{}, nil)
	stays := startFakeServer(t, &pgproto3.AuthenticationOk{}, nil)
	r := NewReader(models.Settings{NodeUser: "grafana", SSLMode: "disable"})
	t.Cleanup(r.Close)
	nodes := []Node{{Name: "node3", Host: "127.0.0.1", Port: gone.port()}, {Name: "node1", Host: "127.0.0.1", Port: stays.port()}}
	for _, n := range nodes {
		c, err := r.NodeEndpoint(n, "appdb").Connect(context.Background(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		r.nodes[n.Address()] = c
	}
	goneConn, staysConn := r.nodes[nodes[0].Address()], r.nodes[nodes[1].Address()]

	r.closeNodesNotIn(nodes[1:]) // node3 left the formation

	if !goneConn.IsClosed() || r.nodes[nodes[0].Address()] != nil {
		t.Fatal("the connection to the node that left is still open")
	}
	if _, msgs, _ := gone.received(); len(msgs) == 0 || !isTerminate(msgs[len(msgs)-1]) {
		t.Errorf("the node that left got no Terminate: %v", msgs)
	}
	if staysConn.IsClosed() || r.nodes[nodes[1].Address()] != staysConn {
		t.Fatal("the connection to a listed node was closed")
	}
}

func isTerminate(m pgproto3.FrontendMessage) bool {
	_, ok := m.(*pgproto3.Terminate)
	return ok
}

// After Close (the SDK disposing the instance when the settings change) a late read, events query or
// LISTEN opens nothing: it says the instance is closed.
func TestNoConnectionAfterClose(t *testing.T) {
	monitor := startFakeServer(t, &pgproto3.AuthenticationOk{}, nil)
	r := NewReader(models.Settings{MonitorHost: "127.0.0.1", MonitorPort: models.Port(monitor.port()), NodeUser: "grafana",
		PgBouncerHost: "127.0.0.1", PgBouncerPort: models.Port(monitor.port()), SSLMode: "disable"})
	r.Close()

	snap := r.Read(context.Background())
	if snap.MonitorErr == nil || !strings.Contains(snap.MonitorErr.Error(), "closed") {
		t.Errorf("read after close: %v", snap.MonitorErr)
	}
	if _, err := r.Events(context.Background(), time.Now().Add(-time.Hour), time.Now(), 10); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("events after close: %v", err)
	}
	if err := r.Listen(context.Background(), func() {}, func(StateNotification) {}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("listen after close: %v", err)
	}
	if n := monitor.accepted.Load(); n != 0 {
		t.Fatalf("%d connection(s) opened after Close", n)
	}
}

// An events query does not queue behind a topology read in progress (which may be waiting out a dead
// node's connect timeout): it has its own lock and connection.
func TestEventsDoNotWaitForATopologyRead(t *testing.T) {
	monitor := startFakeServer(t, &pgproto3.AuthenticationOk{}, nil)
	r := NewReader(models.Settings{MonitorHost: "127.0.0.1", MonitorPort: models.Port(monitor.port()), SSLMode: "disable",
		QueryTimeoutMs: 200})
	t.Cleanup(r.Close)
	r.mu.Lock() // a topology read in progress
	defer r.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := r.Events(context.Background(), time.Unix(0, 0), time.Now(), 10)
		done <- err
	}()
	select {
	case err := <-done:
		// The fake monitor never answers the query: a timeout, reached without the topology lock.
		if err == nil || monitor.accepted.Load() != 1 {
			t.Fatalf("events: %v (connections %d)", err, monitor.accepted.Load())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the events query waited for the topology read")
	}
}

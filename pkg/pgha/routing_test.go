package pgha

import "testing"

func TestMatchNode(t *testing.T) {
	nodes := []Node{{Name: "node1", Host: "localhost", Port: 6001}, {Name: "node2", Host: "localhost", Port: 6002},
		{Name: "node3", Host: "db3.internal", Port: 5432}}
	cases := map[string]struct {
		host string
		port int
		want string
	}{
		"same host name":                        {"localhost", 6001, "node1"},
		"127.0.0.1 is localhost":                {"127.0.0.1", 6002, "node2"},
		"unix socket is on the same machine":    {"/var/run/postgresql", 6002, "node2"},
		"remote host name, case-insensitive":    {"DB3.internal", 5432, "node3"},
		"right port on another host is no node": {"10.0.0.9", 5432, ""},
		"port of no node":                       {"127.0.0.1", 6099, ""},
	}
	for name, c := range cases {
		if got := MatchNode(nodes, c.host, c.port); got != c.want {
			t.Errorf("%s: MatchNode(%s, %d) = %q, want %q", name, c.host, c.port, got, c.want)
		}
	}
}

func TestMapBouncer(t *testing.T) {
	nodes := []Node{{Name: "node1", Host: "localhost", Port: 6001}, {Name: "node2", Host: "localhost", Port: 6002}}
	dbs := adminTable{
		{"name": "pgbouncer", "host": "", "port": "6432"},
		{"name": "appdb", "host": "127.0.0.1", "port": "6002"},
	}
	servers := adminTable{
		{"database": "appdb", "addr": "127.0.0.1", "port": "6002", "close_needed": "0"},
		{"database": "appdb", "addr": "127.0.0.1", "port": "6002", "close_needed": "0"},
		{"database": "appdb", "addr": "127.0.0.1", "port": "6001", "close_needed": "1"},
		{"database": "other", "addr": "127.0.0.1", "port": "6001", "close_needed": "0"},
	}
	b := Bouncer{Database: "appdb"}
	MapBouncer(&b, dbs, servers, nodes)
	if b.Target() != "127.0.0.1:6002" || b.TargetNode != "node2" {
		t.Errorf("target %s → %q", b.Target(), b.TargetNode)
	}
	if b.Servers["node2"] != 2 || b.Servers["node1"] != 1 || b.Closing["node1"] != 1 || b.Closing["node2"] != 0 {
		t.Errorf("servers %v closing %v", b.Servers, b.Closing)
	}
	missing := Bouncer{Database: "nope"}
	MapBouncer(&missing, dbs, servers, nodes)
	if missing.TargetPort != 0 || missing.TargetNode != "" || len(missing.Servers) != 0 {
		t.Errorf("unknown database must map to nothing: %+v", missing)
	}
}

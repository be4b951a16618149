package models

import (
	"encoding/json"
	"os"
	"testing"
)

func TestHostAllowList(t *testing.T) {
	a, err := ParseHostAllowList(" node1.db.internal, 10.0.0.0/24 ,192.168.1.7 *.pg.example.com\nfd00::/64")
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{"node1.db.internal", "NODE1.db.internal.", "10.0.0.1", "10.0.0.255", "192.168.1.7",
		"::ffff:192.168.1.7", "a.pg.example.com", "b.c.pg.example.com", "fd00::1", "[fd00::2]"}
	refused := []string{"node2.db.internal", "db.internal", "10.0.1.1", "192.168.1.8", "pg.example.com",
		"evilpg.example.com", "pg.example.com.evil.net", "fd01::1", "", "localhost"}
	for _, h := range allowed {
		if !a.Allows(h) {
			t.Errorf("%q should be allowed", h)
		}
	}
	for _, h := range refused {
		if a.Allows(h) {
			t.Errorf("%q should be refused", h)
		}
	}
}

func TestHostAllowListNeverResolvesNames(t *testing.T) {
	// localhost resolves to 127.0.0.1, but a name must be listed by name: DNS could change between
	// the check and the connect.
	a, _ := ParseHostAllowList("127.0.0.0/8")
	if a.Allows("localhost") || !a.Allows("127.0.0.1") {
		t.Fatal("CIDRs match IP addresses only")
	}
}

func TestEmptyAllowListAllowsEverything(t *testing.T) {
	a, err := ParseHostAllowList(" , ")
	if a != nil || err != nil || !a.Allows("anything") {
		t.Fatalf("got %v %v", a, err)
	}
}

func TestHostAllowListErrorNamesTheField(t *testing.T) {
	_, err := load(t, `{"monitorHost":"m","nodeHosts":"ok.example,host/name"}`, nil)
	if msg := FieldErrors(err)["nodeHosts"]; msg != `node host allow-list (nodeHosts): "host/name" is not a host name, *.domain, IP address or CIDR` {
		t.Errorf("got %q", msg)
	}
}

// The entries the config editor checks too (src/datasource/settingsValidation.test.ts reads the same file).
func TestHostAllowListEntriesSharedWithTheEditor(t *testing.T) {
	raw, err := os.ReadFile("testdata/nodehosts_entries.json")
	if err != nil {
		t.Fatal(err)
	}
	var entries struct{ Valid, Invalid []string }
	if err := json.Unmarshal(raw, &entries); err != nil || len(entries.Valid) == 0 || len(entries.Invalid) == 0 {
		t.Fatalf("%v %+v", err, entries)
	}
	for _, e := range entries.Valid {
		if _, err := ParseHostAllowList(e); err != nil {
			t.Errorf("%q: %v", e, err)
		}
	}
	for _, e := range entries.Invalid {
		if _, err := ParseHostAllowList(e); err == nil {
			t.Errorf("%q accepted", e)
		}
	}
}

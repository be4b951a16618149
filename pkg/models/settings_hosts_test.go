package models

import (
	"strings"
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

func TestHostAllowListRejectsWhatIsNotAHost(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "host/name", "*.", "a..b", "http://x", "*", "ho st!"} {
		_, err := load(t, `{"monitorHost":"m","nodeHosts":"ok.example,`+bad+`"}`, nil)
		if msg := FieldErrors(err)["nodeHosts"]; !strings.Contains(msg, "node host allow-list (nodeHosts)") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

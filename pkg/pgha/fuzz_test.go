package pgha

import (
	"errors"
	"strings"
	"testing"
)

// Anything on the monitor's "state" channel must decode or fail cleanly: never panic.
func FuzzParseStateNotification(f *testing.F) {
	f.Add(`{"type":"state","formation":"default","groupId":0,"nodeId":2,"name":"node2","host":"127.0.0.1","port":6002,"reportedState":"primary","goalState":"primary","health":"good"}`)
	f.Add(`garbage`)
	f.Add(`{"port":"6002"}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, payload string) {
		n, err := ParseStateNotification(payload)
		if err == nil && payload == "null" && n != (StateNotification{}) {
			t.Fatalf("null decoded into %+v", n)
		}
	})
}

// No configured secret survives Redact or Describe, whatever text surrounds it. Secrets made only of the
// redaction mark's own "*" are out of scope: the mark itself would "contain" them.
func FuzzRedact(f *testing.F) {
	f.Add("password authentication failed for user \"grafana\" (password=s3cr3t)", "s3cr3t")
	f.Add("postgres://grafana:hunter2@127.0.0.1:6000/pg_auto_failover", "hunter2")
	f.Add("dial tcp: aaab", "ab")
	f.Add("x", "")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if secret == "" || strings.Contains(secret, "*") {
			return
		}
		if out := Redact(text, secret); strings.Contains(out, secret) {
			t.Fatalf("Redact(%q, %q) = %q still holds the secret", text, secret, out)
		}
		// The detail is the part taken from the error text; target and problem are our own words.
		if d := Describe("monitor 127.0.0.1:6000", errors.New(text), secret); strings.Contains(d.Detail, secret) {
			t.Fatalf("Describe(%q).Detail = %q still holds the secret %q", text, d.Detail, secret)
		}
	})
}

package pgha

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestDescribe(t *testing.T) {
	cases := map[string]struct {
		err     error
		problem Problem
		detail  string
	}{
		"wrong password":           {&pgconn.PgError{Code: "28P01", Message: `password authentication failed for user "grafana"`}, ProblemAuth, "password authentication failed"},
		"no pg_hba entry":          {&pgconn.PgError{Code: "28000", Message: "no pg_hba.conf entry"}, ProblemAuth, "pg_hba"},
		"no pgautofailover schema": {&pgconn.PgError{Code: "3F000", Message: `schema "pgautofailover" does not exist`}, ProblemNotMonitor, "schema"},
		"no such table":            {&pgconn.PgError{Code: "42P01", Message: `relation "veza_pgha.node" does not exist`}, ProblemNotMonitor, "relation"},
		"no such database":         {&pgconn.PgError{Code: "3D000", Message: `database "pg_auto_failover" does not exist`}, ProblemNotMonitor, "database"},
		"privilege":                {&pgconn.PgError{Code: "42501", Message: "permission denied for table node"}, ProblemPrivilege, "permission denied"},
		"refused":                  {fmt.Errorf("dial: %w", syscall.ECONNREFUSED), ProblemUnreachable, "connection refused"},
		"dns":                      {&net.DNSError{Err: "no such host", Name: "nohost"}, ProblemUnreachable, "does not resolve"},
		"timeout":                  {fmt.Errorf("connect: %w", context.DeadlineExceeded), ProblemTimeout, "no answer in time"},
		"formation":                {fmt.Errorf("%w: %q", ErrFormationNotFound, "prod"), ProblemNoFormation, `"prod"`},
	}
	for name, c := range cases {
		got := Describe("monitor 127.0.0.1:6000", c.err)
		if got.Problem != c.problem || !strings.Contains(got.Detail, c.detail) || !strings.HasPrefix(got.Error(), "monitor 127.0.0.1:6000: ") {
			t.Errorf("%s: got %q (%s)", name, got.Error(), got.Problem)
		}
	}
}

func TestRedactRemovesPasswordsAndDSNs(t *testing.T) {
	in := `failed: postgres://grafana:s3cr3t@db:5432/x and host=db password='it''s s3cr3t' user=x; also password=hunter2 and s3cr3t-raw`
	out := Redact(in, "s3cr3t-raw")
	for _, leak := range []string{"s3cr3t", "hunter2", "grafana:"} {
		if strings.Contains(out, leak) {
			t.Errorf("%q leaked in %q", leak, out)
		}
	}
	if !strings.Contains(out, "postgres://***@db") || !strings.Contains(out, "password=***") {
		t.Errorf("redaction markers missing: %q", out)
	}
}

// A real failed connection, with a password, to a port nobody listens on: the message the
// user sees must name the target and the problem, and carry neither password nor DSN.
func TestConnectFailureCarriesNoPassword(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	ep := Endpoint{Name: "monitor", Host: "127.0.0.1", Port: port, Database: "pg_auto_failover", User: "grafana",
		Password: "Pa55-w0rd!", SSLMode: "disable"}
	_, err = ep.Connect(context.Background(), 2*time.Second)
	var f *Failure
	if !errors.As(err, &f) || f.Problem != ProblemUnreachable {
		t.Fatalf("want an unreachable Failure, got %v", err)
	}
	for _, leak := range []string{"Pa55-w0rd!", "password", "postgres://", "dbname="} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("%q leaked: %s", leak, err)
		}
	}
	_, err = ep.ConnectRaw(context.Background(), 2*time.Second)
	if err == nil || strings.Contains(err.Error(), "Pa55-w0rd!") {
		t.Errorf("raw connect: %v", err)
	}
}

package pgha

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/veza/slo/pkg/internal/testpki"
	"github.com/veza/slo/pkg/models"
)

// fakePassword is made per run: the tests look for it in what reaches the fake servers and in error messages,
// and a literal password in the source would be a finding for the secret scanner (scripts/gitleaks.test.ts).
var fakePassword = "n0de-" + strconv.FormatInt(time.Now().UnixNano(), 36)

func fakeEndpoint(s *fakeServer, mode string, m *models.TLSMaterial) Endpoint {
	return Endpoint{Name: "node9", Host: "127.0.0.1", Port: s.port(), Database: "appdb", User: "grafana",
		Password: fakePassword, SSLMode: mode, TLS: m}
}

// connectBoth tries the pgx path (monitor, nodes) and the bare pgconn path (PgBouncer console).
func connectBoth(t *testing.T, auth func() pgproto3.BackendMessage, mode string, serverTLS *tls.Config, m *models.TLSMaterial,
	check func(name string, err error, s *fakeServer)) {
	t.Helper()
	for _, path := range []string{"pgx", "pgconn"} {
		s := startFakeServer(t, auth(), serverTLS)
		ep := fakeEndpoint(s, mode, m)
		var err error
		if path == "pgx" {
			var c interface{ Close(context.Context) error }
			c, err = ep.Connect(context.Background(), 5*time.Second)
			if err == nil {
				_ = c.Close(context.Background())
			}
		} else {
			var c *pgconn.PgConn
			c, err = ep.ConnectRaw(context.Background(), 5*time.Second)
			if err == nil {
				_ = c.Close(context.Background())
			}
		}
		check(path, err, s)
	}
}

func assertNothingSent(t *testing.T, name string, s *fakeServer) {
	t.Helper()
	raw, msgs, _ := s.received()
	for _, m := range msgs {
		if _, ok := m.(*pgproto3.PasswordMessage); ok {
			t.Errorf("%s: the client sent a PasswordMessage", name)
		}
	}
	if bytes.Contains(raw, []byte(fakePassword)) || bytes.Contains(raw, []byte("md5")) {
		t.Errorf("%s: the password or an MD5 digest went over the wire: %q", name, raw)
	}
}

// A server asking for the password in clear text, or as an MD5 digest, gets nothing: the
// connection fails naming the endpoint and the refused method.
func TestPasswordNeverGoesToCleartextOrMD5(t *testing.T) {
	cases := map[string]struct {
		auth func() pgproto3.BackendMessage
		says string
	}{
		"cleartext": {func() pgproto3.BackendMessage { return &pgproto3.AuthenticationCleartextPassword{} }, "cleartext password"},
		"md5":       {func() pgproto3.BackendMessage { return &pgproto3.AuthenticationMD5Password{Salt: [4]byte{1, 2, 3, 4}} }, "MD5 password"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			connectBoth(t, c.auth, "disable", nil, nil, func(path string, err error, s *fakeServer) {
				var f *Failure
				if !errors.As(err, &f) || f.Problem != ProblemInsecureAuth {
					t.Fatalf("%s: want an insecure-auth Failure, got %v", path, err)
				}
				msg := err.Error()
				t.Logf("%s: %s", path, msg)
				for _, want := range []string{"node9 127.0.0.1:", "asked for " + c.says + " authentication", "refuses", "nothing was sent"} {
					if !strings.Contains(msg, want) {
						t.Errorf("%s: %q missing from %q", path, want, msg)
					}
				}
				if strings.Contains(msg, fakePassword) {
					t.Errorf("%s: the message carries the password", path)
				}
				assertNothingSent(t, path, s)
			})
		})
	}
}

// With a password set, SCRAM is what the server gets, and its first message holds no password.
func TestPasswordGoesToSCRAM(t *testing.T) {
	auth := func() pgproto3.BackendMessage {
		return &pgproto3.AuthenticationSASL{AuthMechanisms: []string{"SCRAM-SHA-256"}}
	}
	connectBoth(t, auth, "disable", nil, nil, func(path string, err error, s *fakeServer) {
		var f *Failure
		if !errors.As(err, &f) || f.Problem != ProblemAuth {
			t.Errorf("%s: want the server's wrong-password answer, got %v", path, err)
		}
		raw, msgs, _ := s.received()
		if len(msgs) == 0 {
			t.Fatalf("%s: the client sent nothing after the SASL request", path)
		}
		if _, ok := msgs[0].(*pgproto3.SASLInitialResponse); !ok {
			t.Errorf("%s: want a SASLInitialResponse, got %T", path, msgs[0])
		}
		if bytes.Contains(raw, []byte(fakePassword)) {
			t.Errorf("%s: the password went over the wire", path)
		}
	})
}

// A trust server (or one authenticating by client certificate) asks for nothing: still connects.
func TestTrustServerStillConnectsWithAPasswordSet(t *testing.T) {
	auth := func() pgproto3.BackendMessage { return &pgproto3.AuthenticationOk{} }
	connectBoth(t, auth, "disable", nil, nil, func(path string, err error, s *fakeServer) {
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		assertNothingSent(t, path, s)
	})
}

// Without a password nothing secret can leak, so no method is refused (the old behaviour).
func TestNoPasswordNoAuthPolicy(t *testing.T) {
	ep := Endpoint{Name: "m", Host: "127.0.0.1", Port: 1, Database: "d", User: "u", SSLMode: "disable"}
	cfg, err := ep.pgconnConfig()
	if err != nil || cfg.RequireAuth != "" {
		t.Fatalf("require_auth %q, %v", cfg.RequireAuth, err)
	}
	ep.Password = "x"
	if cfg, _ = ep.pgconnConfig(); cfg.RequireAuth != requireAuthWithPassword {
		t.Fatalf("require_auth %q", cfg.RequireAuth)
	}
}

type tlsFixture struct {
	ca, otherCA *testpki.CA
	server      *tls.Config
}

func newTLSFixture(t *testing.T, serverHosts ...string) tlsFixture {
	ca, other := testpki.NewCA(t, "veza test CA"), testpki.NewCA(t, "some other CA")
	leaf := ca.Server(t, serverHosts...)
	return tlsFixture{ca: ca, otherCA: other, server: &tls.Config{Certificates: []tls.Certificate{leaf.TLS}, MinVersion: tls.VersionTLS12}}
}

func material(t *testing.T, caPEM string, client *testpki.Leaf) *models.TLSMaterial {
	t.Helper()
	s := models.Settings{TLSCACert: caPEM}
	if client != nil {
		s.TLSClientCert, s.TLSClientKey = client.CertPEM, client.KeyPEM
	}
	m, err := s.TLS()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func trust() pgproto3.BackendMessage { return &pgproto3.AuthenticationOk{} }

func wantTLSFailure(t *testing.T, path string, err error, detail string) {
	t.Helper()
	var f *Failure
	if !errors.As(err, &f) || f.Problem != ProblemTLS || !strings.Contains(f.Detail, detail) {
		t.Errorf("%s: want a TLS failure saying %q, got %v", path, detail, err)
		return
	}
	t.Logf("%s: %v", path, err)
	if !strings.HasPrefix(err.Error(), "node9 127.0.0.1:") {
		t.Errorf("%s: the message does not name the endpoint: %v", path, err)
	}
}

func TestTLSVerification(t *testing.T) {
	// The server's certificate names the address it is reached on.
	good := newTLSFixture(t, "127.0.0.1")
	// The server's certificate names another host: only verify-full minds.
	misnamed := newTLSFixture(t, "db.elsewhere.test")

	cases := []struct {
		name    string
		fx      tlsFixture
		mode    string
		ca      func(tlsFixture) string
		failure string // "" = connects
	}{
		{"verify-full, right CA", good, "verify-full", func(f tlsFixture) string { return f.ca.PEM }, ""},
		{"verify-full, wrong CA", good, "verify-full", func(f tlsFixture) string { return f.otherCA.PEM }, "not signed by the configured CA"},
		{"verify-ca, wrong CA", good, "verify-ca", func(f tlsFixture) string { return f.otherCA.PEM }, "not signed by the configured CA"},
		{"verify-full, wrong host name", misnamed, "verify-full", func(f tlsFixture) string { return f.ca.PEM }, "not valid for host 127.0.0.1"},
		{"verify-ca, wrong host name", misnamed, "verify-ca", func(f tlsFixture) string { return f.ca.PEM }, ""},
		// libpq: require with a root certificate verifies the chain like verify-ca.
		{"require + CA, wrong CA", good, "require", func(f tlsFixture) string { return f.otherCA.PEM }, "not signed by the configured CA"},
		{"require + CA, wrong host name", misnamed, "require", func(f tlsFixture) string { return f.ca.PEM }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := material(t, c.ca(c.fx), nil)
			connectBoth(t, trust, c.mode, c.fx.server, m, func(path string, err error, s *fakeServer) {
				if c.failure == "" {
					if err != nil {
						t.Errorf("%s: %v", path, err)
					}
					return
				}
				wantTLSFailure(t, path, err, c.failure)
				assertNothingSent(t, path, s)
			})
		})
	}
}

// verify-* without a CA certificate trust the system roots, which never signed a test CA.
func TestVerifyWithoutCAUsesSystemRoots(t *testing.T) {
	fx := newTLSFixture(t, "127.0.0.1")
	connectBoth(t, trust, "verify-full", fx.server, nil, func(path string, err error, _ *fakeServer) {
		wantTLSFailure(t, path, err, "not signed by a CA this system trusts")
	})
}

func TestTLSRequiredButRefusedByServer(t *testing.T) {
	connectBoth(t, trust, "require", nil, nil, func(path string, err error, s *fakeServer) {
		wantTLSFailure(t, path, err, "does not accept TLS")
		assertNothingSent(t, path, s)
	})
}

func TestClientCertificate(t *testing.T) {
	fx := newTLSFixture(t, "127.0.0.1")
	client := fx.ca.Client(t, "grafana")
	pool := x509.NewCertPool()
	pool.AddCert(fx.ca.Cert)
	fx.server.ClientAuth, fx.server.ClientCAs = tls.RequireAndVerifyClientCert, pool

	connectBoth(t, trust, "verify-full", fx.server, material(t, fx.ca.PEM, &client), func(path string, err error, _ *fakeServer) {
		if err != nil {
			t.Errorf("%s with a client certificate: %v", path, err)
		}
	})
	connectBoth(t, trust, "verify-full", fx.server, material(t, fx.ca.PEM, nil), func(path string, err error, _ *fakeServer) {
		wantTLSFailure(t, path, err, "rejected the TLS handshake")
	})
}

// prefer and allow build a TLS and a plain attempt; the material goes on every TLS one.
func TestTLSMaterialOnEveryAttempt(t *testing.T) {
	fx := newTLSFixture(t, "127.0.0.1")
	client := fx.ca.Client(t, "grafana")
	m := material(t, fx.ca.PEM, &client)
	for _, mode := range []string{"allow", "prefer", "require", "verify-ca", "verify-full"} {
		ep := Endpoint{Name: "m", Host: "127.0.0.1", Port: 5432, Database: "d", User: "u", SSLMode: mode, TLS: m}
		cfg, err := ep.pgconnConfig()
		if err != nil {
			t.Fatal(err)
		}
		configs := []*tls.Config{cfg.TLSConfig}
		for _, fb := range cfg.Fallbacks {
			configs = append(configs, fb.TLSConfig)
		}
		n := 0
		for _, tc := range configs {
			if tc == nil {
				continue
			}
			n++
			if tc.RootCAs != m.RootCAs || len(tc.Certificates) != 1 {
				t.Errorf("%s: a TLS attempt without the material", mode)
			}
		}
		if n == 0 {
			t.Errorf("%s: no TLS attempt at all", mode)
		}
	}
	if got := effectiveSSLMode("require", m); got != "verify-ca" {
		t.Errorf("require with a CA = %s", got)
	}
	if got := effectiveSSLMode("require", nil); got != "require" {
		t.Errorf("require without a CA = %s", got)
	}
}

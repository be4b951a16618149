package pgha

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/veza/slo/pkg/models"
)

// Endpoint is where and as whom to connect. The password is kept out of the connection string
// on purpose: pgx echoes parts of a DSN in its parse errors.
type Endpoint struct {
	Name     string // for messages: "monitor", "PgBouncer", the node name
	Host     string
	Port     int
	Database string
	User     string
	Password string
	SSLMode  string
	TLS      *models.TLSMaterial // CA pool and client certificate; nil when none is configured
}

// Address is host:port.
func (e Endpoint) Address() string { return hostPort(e.Host, e.Port) }

// Label names the endpoint in messages: "monitor 127.0.0.1:6000".
func (e Endpoint) Label() string { return e.Name + " " + e.Address() }

// requireAuthWithPassword is pgconn's require_auth whenever a password is configured: SCRAM or no
// password exchange at all (trust, client certificates). A server asking for cleartext or MD5
// gets nothing: a host the monitor lists could be anyone, and both would hand it the password
// (MD5's digest is as good as the password for logging in elsewhere).
const requireAuthWithPassword = "scram-sha-256,none"

// applicationName shows up in pg_stat_activity, so DBAs can see who holds the connections.
const applicationName = "veza-pgha-datasource"

func (e Endpoint) connString() string {
	kv := []string{"host", e.Host, "port", strconv.Itoa(e.Port), "dbname", e.Database, "user", e.User,
		"sslmode", effectiveSSLMode(e.SSLMode, e.TLS), "application_name", applicationName}
	var b strings.Builder
	for i := 0; i < len(kv); i += 2 {
		fmt.Fprintf(&b, "%s='%s' ", kv[i], strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(kv[i+1]))
	}
	return b.String()
}

// secure adds what the connection string cannot carry without a file or a leak: the password,
// the TLS material (in memory) and the authentication policy.
func (e Endpoint) secure(cfg *pgconn.Config) {
	cfg.Password = e.Password
	if e.Password != "" {
		cfg.RequireAuth = requireAuthWithPassword
	}
	applyTLS(cfg, e.TLS)
}

func (e Endpoint) pgconnConfig() (*pgconn.Config, error) {
	cfg, err := pgconn.ParseConfig(e.connString())
	if err != nil {
		return nil, &Failure{Target: e.Label(), Problem: ProblemOther, Detail: "invalid connection settings"}
	}
	e.secure(cfg)
	return cfg, nil
}

// Connect opens a pgx connection within timeout. Errors come back as *Failure.
func (e Endpoint) Connect(ctx context.Context, timeout time.Duration) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(e.connString())
	if err != nil {
		return nil, &Failure{Target: e.Label(), Problem: ProblemOther, Detail: "invalid connection settings"}
	}
	e.secure(&cfg.Config)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, describeConnect(e, err)
	}
	return conn, nil
}

// ConnectRaw opens a bare pgconn connection, for PgBouncer's admin console: it only speaks the
// simple protocol and rejects pgx's Ping ("-- ping"), so nothing on top of pgconn is used.
func (e Endpoint) ConnectRaw(ctx context.Context, timeout time.Duration) (*pgconn.PgConn, error) {
	cfg, err := e.pgconnConfig()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, describeConnect(e, err)
	}
	return conn, nil
}

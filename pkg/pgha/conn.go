package pgha

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
}

// Address is host:port.
func (e Endpoint) Address() string { return hostPort(e.Host, e.Port) }

// Label names the endpoint in messages: "monitor 127.0.0.1:6000".
func (e Endpoint) Label() string { return e.Name + " " + e.Address() }

// applicationName shows up in pg_stat_activity, so DBAs can see who holds the connections.
const applicationName = "veza-pgha-datasource"

func (e Endpoint) connString() string {
	kv := []string{"host", e.Host, "port", strconv.Itoa(e.Port), "dbname", e.Database, "user", e.User,
		"sslmode", e.SSLMode, "application_name", applicationName}
	var b strings.Builder
	for i := 0; i < len(kv); i += 2 {
		fmt.Fprintf(&b, "%s='%s' ", kv[i], strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(kv[i+1]))
	}
	return b.String()
}

func (e Endpoint) pgconnConfig() (*pgconn.Config, error) {
	cfg, err := pgconn.ParseConfig(e.connString())
	if err != nil {
		return nil, &Failure{Target: e.Label(), Problem: ProblemOther, Detail: "invalid connection settings"}
	}
	cfg.Password = e.Password
	return cfg, nil
}

// Connect opens a pgx connection within timeout. Errors come back as *Failure.
func (e Endpoint) Connect(ctx context.Context, timeout time.Duration) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(e.connString())
	if err != nil {
		return nil, &Failure{Target: e.Label(), Problem: ProblemOther, Detail: "invalid connection settings"}
	}
	cfg.Password = e.Password
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, Describe(e.Label(), err, e.Password)
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
		return nil, Describe(e.Label(), err, e.Password)
	}
	return conn, nil
}

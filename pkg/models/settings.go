// Package models holds the wire types shared with the front end: settings and queries.
// Every type here is mirrored in src/datasource/types.ts.
package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Defaults applied by LoadSettings when the config editor left a field empty.
const (
	DefaultMonitorPort     = 5432
	DefaultMonitorDatabase = "pg_auto_failover"
	DefaultMonitorUser     = "autoctl_node"
	DefaultMonitorSchema   = "pgautofailover"
	DefaultFormation       = "default"
	DefaultPgBouncerPort   = 6432
	DefaultPgBouncerUser   = "pgbouncer"
	DefaultSSLMode         = "prefer"
	DefaultConnectTimeout  = 3 * time.Second
	DefaultQueryTimeout    = 5 * time.Second
	DefaultPollInterval    = time.Second
	DefaultRefreshInterval = 5 * time.Second
)

// SSLModes are the libpq sslmode values the data source accepts.
var SSLModes = []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}

// identifier restricts monitorSchema to a plain lower-case SQL identifier; it is the only
// configurable part of the monitor SQL, so it is checked here and quoted again when used.
var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Settings is jsonData as the config editor saves it (see PghaOptions in types.ts),
// plus the decrypted secrets (PghaSecureJsonData), which never come back out through JSON.
type Settings struct {
	MonitorHost     string `json:"monitorHost"`
	MonitorPort     Port   `json:"monitorPort,omitempty"`
	MonitorDatabase string `json:"monitorDatabase,omitempty"`
	MonitorUser     string `json:"monitorUser,omitempty"`
	// MonitorSchema is where the monitor tables are read from: pgautofailover itself, or the schema
	// of read-only views created by docs/pgha-grafana-role.sql (the least-privilege setup).
	MonitorSchema string `json:"monitorSchema,omitempty"`
	Formation     string `json:"formation,omitempty"`

	// PgBouncer admin console; optional (empty host = no PgBouncer).
	PgBouncerHost string `json:"pgbouncerHost,omitempty"`
	PgBouncerPort Port   `json:"pgbouncerPort,omitempty"`
	PgBouncerUser string `json:"pgbouncerUser,omitempty"`
	// PgBouncerDatabase is the PgBouncer database that fronts the formation; defaults to the
	// formation's dbname as the monitor records it.
	PgBouncerDatabase string `json:"pgbouncerDatabase,omitempty"`

	// Per-node reading (recovery, LSN, lag, sync state); optional (empty user = monitor view only).
	// The role needs pg_read_all_stats, otherwise Postgres hides the replication columns (not
	// pg_monitor, which can also read primary_conninfo: see docs/pgha-grafana-role.sql).
	NodeUser     string `json:"nodeUser,omitempty"`
	NodeDatabase string `json:"nodeDatabase,omitempty"`
	// NodeHosts optionally restricts which hosts listed by the monitor are connected to (and so
	// receive the node password): comma-separated names, *.domain, IPs or CIDRs. See HostAllowList.
	NodeHosts string `json:"nodeHosts,omitempty"`

	// SSLMode is libpq's sslmode, for every connection. With a CA certificate, require behaves as
	// verify-ca, as in libpq.
	SSLMode           string `json:"sslMode,omitempty"`
	ConnectTimeoutMs  int    `json:"connectTimeoutMs,omitempty"`
	QueryTimeoutMs    int    `json:"queryTimeoutMs,omitempty"`
	PollIntervalMs    int    `json:"pollIntervalMs,omitempty"`
	RefreshIntervalMs int    `json:"refreshIntervalMs,omitempty"`

	MonitorPassword   string `json:"-"`
	PgBouncerPassword string `json:"-"`
	NodePassword      string `json:"-"`
	// PEM text from secureJsonData (SecureTLS*); parsed by TLS().
	TLSCACert     string `json:"-"`
	TLSClientCert string `json:"-"`
	TLSClientKey  string `json:"-"`
}

// Secret keys in secureJsonData.
const (
	SecureMonitorPassword   = "monitorPassword"
	SecurePgBouncerPassword = "pgbouncerPassword"
	SecureNodePassword      = "nodePassword"
)

// Port accepts 6000 and "6000": Grafana's inputs save strings unless the editor converts them.
type Port int

// UnmarshalJSON implements json.Unmarshaler.
func (p *Port) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if s == "" || s == "null" {
		*p = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number between 1 and 65535", s)
	}
	*p = Port(n)
	return nil
}

// LoadSettings reads and validates the data source settings; it is the only place that does.
func LoadSettings(src backend.DataSourceInstanceSettings) (Settings, error) {
	var s Settings
	if len(src.JSONData) > 0 {
		if err := json.Unmarshal(src.JSONData, &s); err != nil {
			return s, fmt.Errorf("invalid settings: %w", err)
		}
	}
	s.MonitorPassword = src.DecryptedSecureJSONData[SecureMonitorPassword]
	s.PgBouncerPassword = src.DecryptedSecureJSONData[SecurePgBouncerPassword]
	s.NodePassword = src.DecryptedSecureJSONData[SecureNodePassword]
	s.TLSCACert = strings.TrimSpace(src.DecryptedSecureJSONData[SecureTLSCACert])
	s.TLSClientCert = strings.TrimSpace(src.DecryptedSecureJSONData[SecureTLSClientCert])
	s.TLSClientKey = strings.TrimSpace(src.DecryptedSecureJSONData[SecureTLSClientKey])
	s.applyDefaults()
	return s, s.validate()
}

func (s *Settings) applyDefaults() {
	s.MonitorHost = strings.TrimSpace(s.MonitorHost)
	s.PgBouncerHost = strings.TrimSpace(s.PgBouncerHost)
	setDefault(&s.MonitorDatabase, DefaultMonitorDatabase)
	setDefault(&s.MonitorUser, DefaultMonitorUser)
	setDefault(&s.MonitorSchema, DefaultMonitorSchema)
	setDefault(&s.Formation, DefaultFormation)
	setDefault(&s.PgBouncerUser, DefaultPgBouncerUser)
	setDefault(&s.SSLMode, DefaultSSLMode)
	if s.MonitorPort == 0 {
		s.MonitorPort = DefaultMonitorPort
	}
	if s.PgBouncerPort == 0 {
		s.PgBouncerPort = DefaultPgBouncerPort
	}
}

func setDefault(v *string, d string) {
	if strings.TrimSpace(*v) == "" {
		*v = d
	}
}

func (s *Settings) validate() error {
	var errs []error
	if s.MonitorHost == "" {
		errs = append(errs, fieldErr("monitorHost", "monitor host (monitorHost) is required"))
	}
	if !identifier.MatchString(s.MonitorSchema) {
		errs = append(errs, fieldErr("monitorSchema", "monitor schema (monitorSchema) %q must be a lower-case SQL identifier", s.MonitorSchema))
	}
	valid := false
	for _, m := range SSLModes {
		valid = valid || s.SSLMode == m
	}
	if !valid {
		errs = append(errs, fieldErr("sslMode", "TLS mode (sslMode) %q is not one of %s", s.SSLMode, strings.Join(SSLModes, ", ")))
	}
	tlsm, err := s.TLS()
	if err != nil {
		errs = append(errs, err)
	}
	if tlsm != nil && (s.SSLMode == "disable" || s.SSLMode == "allow" || s.SSLMode == "prefer") {
		// These modes may end on a plain-text connection, where the certificates are not used.
		errs = append(errs, fieldErr("sslMode", "TLS mode (sslMode) %q may connect without TLS; with TLS certificates set, use require, verify-ca or verify-full", s.SSLMode))
	}
	if _, err := ParseHostAllowList(s.NodeHosts); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, s.validateTimings()...)
	return errors.Join(errs...)
}

// HasPgBouncer tells whether a PgBouncer admin console is configured.
func (s Settings) HasPgBouncer() bool { return s.PgBouncerHost != "" }

// HasNodeCredentials tells whether each data node should be read directly.
func (s Settings) HasNodeCredentials() bool { return s.NodeUser != "" }

// ConnectTimeout is the bound on opening any connection.
func (s Settings) ConnectTimeout() time.Duration {
	return msOr(s.ConnectTimeoutMs, DefaultConnectTimeout)
}

// QueryTimeout is the bound on one round of queries against one server.
func (s Settings) QueryTimeout() time.Duration { return msOr(s.QueryTimeoutMs, DefaultQueryTimeout) }

// PollInterval is how often the stream re-reads while LISTEN is down (the fallback).
func (s Settings) PollInterval() time.Duration { return msOr(s.PollIntervalMs, DefaultPollInterval) }

// RefreshInterval is how often the stream re-reads while LISTEN is up, so that lag and report
// ages (which change without any notification) stay current.
func (s Settings) RefreshInterval() time.Duration {
	return msOr(s.RefreshIntervalMs, DefaultRefreshInterval)
}

func msOr(ms int, d time.Duration) time.Duration {
	if ms <= 0 {
		return d
	}
	return time.Duration(ms) * time.Millisecond
}

// Secrets lists the configured passwords (and the client key), so error messages can be scrubbed of them.
func (s Settings) Secrets() []string {
	return []string{s.MonitorPassword, s.PgBouncerPassword, s.NodePassword, s.TLSClientKey}
}

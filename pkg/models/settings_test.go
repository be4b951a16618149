package models

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func load(t *testing.T, jsonData string, secure map[string]string) (Settings, error) {
	t.Helper()
	return LoadSettings(backend.DataSourceInstanceSettings{JSONData: json.RawMessage(jsonData), DecryptedSecureJSONData: secure})
}

// The config editor's fixture: src/datasource/components/ConfigEditor.test.tsx checks that the editor saves
// exactly this (ports and timeouts as numbers, the CA as PEM text in secureJsonData).
const editorFixture = "../../src/datasource/testdata/settings.config-editor.json"

func TestLoadSettingsAsTheConfigEditorSavesThem(t *testing.T) {
	raw, err := os.ReadFile(editorFixture)
	if err != nil {
		t.Fatal(err)
	}
	var fixture struct {
		JSONData       json.RawMessage   `json:"jsonData"`
		SecureJSONData map[string]string `json:"secureJsonData"`
	}
	if err := json.Unmarshal(raw, &fixture); err != nil {
		t.Fatal(err)
	}
	s, err := load(t, string(fixture.JSONData), fixture.SecureJSONData)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{MonitorHost: "127.0.0.1", MonitorPort: 6000, MonitorDatabase: "pg_auto_failover", MonitorUser: "grafana_pgha",
		MonitorSchema: "veza_pgha", Formation: "default", PgBouncerHost: "127.0.0.1", PgBouncerPort: 6432, PgBouncerUser: "pgbouncer",
		NodeUser: "grafana_pgha", NodeHosts: "127.0.0.1, 10.0.4.0/24", SSLMode: "verify-ca", ConnectTimeoutMs: 1500, QueryTimeoutMs: 2500,
		MonitorPassword: "m-pw", PgBouncerPassword: "b-pw", NodePassword: "n-pw",
		TLSCACert: strings.TrimSpace(fixture.SecureJSONData[SecureTLSCACert])}
	if s != want {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
	if m, err := s.TLS(); err != nil || !m.HasCA() || len(m.Certificates) != 0 {
		t.Errorf("TLS material: %+v %v", m, err)
	}
	if a, _ := ParseHostAllowList(s.NodeHosts); !a.Allows("10.0.4.9") || a.Allows("10.0.5.1") {
		t.Error("allow-list not as saved")
	}
	if s.ConnectTimeout() != 1500*time.Millisecond || s.QueryTimeout() != 2500*time.Millisecond {
		t.Errorf("timeouts: %v %v", s.ConnectTimeout(), s.QueryTimeout())
	}
	if !s.HasPgBouncer() || !s.HasNodeCredentials() {
		t.Error("PgBouncer and node credentials are configured")
	}
}

func TestLoadSettingsDefaults(t *testing.T) {
	s, err := load(t, `{"monitorHost":" db-monitor "}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.MonitorHost != "db-monitor" || s.MonitorPort != 5432 || s.MonitorDatabase != "pg_auto_failover" ||
		s.MonitorUser != "autoctl_node" || s.MonitorSchema != "pgautofailover" || s.Formation != "default" ||
		s.SSLMode != "prefer" || s.PgBouncerPort != 6432 || s.PgBouncerUser != "pgbouncer" {
		t.Errorf("defaults not applied: %+v", s)
	}
	if s.HasPgBouncer() || s.HasNodeCredentials() {
		t.Error("PgBouncer and node reading are optional and off by default")
	}
	if s.ConnectTimeout() != DefaultConnectTimeout || s.QueryTimeout() != DefaultQueryTimeout ||
		s.PollInterval() != time.Second || s.RefreshInterval() != 5*time.Second {
		t.Error("timing defaults not applied")
	}
}

func TestLoadSettingsAcceptsPortsSavedAsStrings(t *testing.T) {
	s, err := load(t, `{"monitorHost":"m","monitorPort":"6000","pgbouncerPort":""}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.MonitorPort != 6000 || s.PgBouncerPort != DefaultPgBouncerPort {
		t.Errorf("ports: %d %d", s.MonitorPort, s.PgBouncerPort)
	}
}

func TestLoadSettingsRejects(t *testing.T) {
	cases := map[string]struct{ json, wantErr string }{
		"a missing monitor host":        {`{}`, "monitor host (monitorHost) is required"},
		"a port that is not a number":   {`{"monitorHost":"m","monitorPort":"abc"}`, "not a number"},
		"a port out of range":           {`{"monitorHost":"m","monitorPort":70000}`, "not a number"},
		"an unknown TLS mode":           {`{"monitorHost":"m","sslMode":"maybe"}`, "TLS mode"},
		"a schema that is not an ident": {`{"monitorHost":"m","monitorSchema":"x; drop table y"}`, "lower-case SQL identifier"},
		"a negative timeout":            {`{"monitorHost":"m","queryTimeoutMs":-1}`, "query timeout (queryTimeoutMs) must be between 100 ms and 5 min, got -1 ms"},
		"broken JSON":                   {`{"monitorHost":`, "invalid settings"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, c.json, nil)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("want error containing %q, got %v", c.wantErr, err)
			}
		})
	}
}

func TestSecretsNeverMarshalBackToJSON(t *testing.T) {
	s, err := load(t, `{"monitorHost":"m"}`, map[string]string{"monitorPassword": "hunter2", "nodePassword": "n0de"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	if strings.Contains(string(b), "hunter2") || strings.Contains(string(b), "n0de") {
		t.Fatalf("secret leaked into JSON: %s", b)
	}
	if got := s.Secrets(); got[0] != "hunter2" || got[2] != "n0de" {
		t.Errorf("Secrets() = %v", got)
	}
}

func TestParseQuery(t *testing.T) {
	q, err := ParseQuery(json.RawMessage(`{"refId":"A","queryType":"events","live":true,"limit":99999}`))
	if err != nil || !q.Live || q.Limit != MaxEventsLimit {
		t.Fatalf("got %+v %v", q, err)
	}
	q, err = ParseQuery(nil)
	if err != nil || q.Live || q.Limit != DefaultEventsLimit {
		t.Fatalf("got %+v %v", q, err)
	}
	if _, err := ParseQuery(json.RawMessage(`{"live":"yes"}`)); err == nil {
		t.Fatal("want an error for a non-boolean live")
	}
}

//go:build integration

package plugin

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/veza/slo/pkg/pgha"
)

// withMonitorHBA puts rule above pg_auto_failover's trust lines in the monitor's pg_hba.conf (first match wins)
// for the length of the test.
func withMonitorHBA(t *testing.T, rule string) {
	t.Helper()
	hba := filepath.Join(itEnv("VEZA_STACK_DIR", "/var/lib/veza-stack"), "pg", "monitor", "pg_hba.conf")
	orig, err := os.ReadFile(hba)
	if err != nil {
		t.Fatalf("monitor pg_hba.conf: %v", err)
	}
	if err := os.WriteFile(hba, append([]byte(rule+"\n"), orig...), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.WriteFile(hba, orig, 0o600); err != nil {
			t.Errorf("restoring %s: %v", hba, err)
		}
		psqlMonitor(t, "SELECT pg_reload_conf()")
	})
	psqlMonitor(t, "SELECT pg_reload_conf()")
}

// monitorHealth is the health check of a data source reading the monitor as grafana_pgha with password.
func monitorHealth(t *testing.T, uid, password string) string {
	t.Helper()
	raw, _ := json.Marshal(itSettings(map[string]any{"monitorUser": "grafana_pgha", "monitorSchema": "veza_pgha"}))
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: uid, JSONData: raw,
		DecryptedSecureJSONData: map[string]string{"monitorPassword": password}})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.(instancemgmt.InstanceDisposer).Dispose()
	res, err := inst.(*Datasource).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Message + string(res.JSONDetails)
}

// A real Postgres asking for the password in clear text gets nothing: the health check says so.
// (pkg/pgha's fake-server tests prove no byte of the password leaves; this proves the real server's
// request is recognised.)
func TestITCleartextPasswordRefused(t *testing.T) {
	ensureGrafanaRole(t)
	psqlMonitor(t, "ALTER ROLE grafana_pgha PASSWORD 'it-Pa55!'")
	withMonitorHBA(t, "host all grafana_pgha 127.0.0.1/32 password")
	msg := monitorHealth(t, "pgha-it-cleartext", "it-Pa55!")
	want := "monitor 127.0.0.1:" + itMonitorPort + ": insecure authentication refused (the server asked for cleartext password authentication"
	if !strings.Contains(msg, want) {
		t.Errorf("want %q in %s", want, msg)
	}
	if strings.Contains(msg, "it-Pa55!") {
		t.Error("the password leaked into the health message")
	}
}

// nodeHosts that leave out the formation's nodes: none is connected to, each says why, the monitor view stays.
func TestITNodeHostAllowList(t *testing.T) {
	d := itInstance(t, map[string]any{"nodeHosts": "10.99.0.0/16, db.example.internal"})
	snap := d.reader.Read(context.Background())
	if snap.MonitorErr != nil || len(snap.Nodes) == 0 {
		t.Fatalf("monitor: %v", snap.MonitorErr)
	}
	for _, n := range snap.Nodes {
		if n.Live == nil || !pgha.IsNotAllowed(n.Live.Err) {
			t.Errorf("%s (%s): want a not-allowed reading, got %+v", n.Name, n.Host, n.Live)
		}
	}
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil || res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "host not allowed") {
		t.Errorf("health %v: %s", err, res.Message)
	}

	allowed := itInstance(t, map[string]any{"nodeHosts": "127.0.0.1"}).reader.Read(context.Background())
	for _, n := range allowed.Nodes {
		if n.Live == nil || n.Live.Err != nil {
			t.Errorf("%s: listed, yet not read: %+v", n.Name, n.Live)
		}
	}
}

// The stack runs without TLS (--no-ssl): a mode that requires TLS says so instead of falling back.
func TestITTLSRequiredButNotOffered(t *testing.T) {
	d := itInstance(t, map[string]any{"sslMode": "require"})
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	want := "monitor 127.0.0.1:" + itMonitorPort + ": TLS failed (the server does not accept TLS connections"
	if err != nil || res.Status != backend.HealthStatusError || !strings.Contains(res.Message, want) {
		t.Errorf("health %v: %s", err, res.Message)
	}
}

// psqlAs runs sql as role on 127.0.0.1:port (trust on loopback) and returns the output and error.
func psqlAs(role, port, db, sql string) (string, error) {
	out, err := exec.Command("psql", "-X", "-At", "-h", "127.0.0.1", "-p", port, "-U", role, "-d", db, "-v", "ON_ERROR_STOP=1",
		"-c", sql).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// docs/pgha-grafana-role.sql grants what the queries need and no more: no pg_monitor (whose
// pg_read_all_settings reads primary_conninfo), read-only sessions on the monitor, LISTEN still allowed.
func TestITGrafanaRoleGrantsNoMoreThanNeeded(t *testing.T) {
	psqlMonitor(t, "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'grafana_pgha') THEN GRANT pg_monitor TO grafana_pgha; END IF; END $$")
	ensureGrafanaRole(t) // an upgrade from the version that granted pg_monitor: it is revoked
	if out, err := psqlAs("postgres", itMonitorPort, "pg_auto_failover", "SELECT pg_has_role('grafana_pgha', 'pg_monitor', 'MEMBER')"); err != nil || out != "f" {
		t.Errorf("grafana_pgha still in pg_monitor: %s %v", out, err)
	}
	snap := itInstance(t, nil).reader.Read(context.Background())
	var standby *pgha.Node
	for i, n := range snap.Nodes {
		if snap.PrimaryNode() != nil && n.Name != snap.PrimaryNode().Name {
			standby = &snap.Nodes[i]
		}
	}
	if standby == nil {
		t.Fatalf("no standby in %+v", snap.Nodes)
	}
	port := strconv.Itoa(standby.Port)
	if out, err := psqlAs("grafana_pgha", port, "postgres", "SHOW primary_conninfo"); err == nil || !strings.Contains(out, "pg_read_all_settings") {
		t.Errorf("grafana_pgha reads primary_conninfo on %s: %q %v", standby.Name, out, err)
	}
	if out, err := psqlAs("grafana_pgha", itMonitorPort, "pg_auto_failover", "CREATE TEMP TABLE veza_probe (a int)"); err == nil || !strings.Contains(out, "read-only transaction") {
		t.Errorf("a write on the monitor was not refused as read-only: %q %v", out, err)
	}
	if out, err := psqlAs("grafana_pgha", itMonitorPort, "pg_auto_failover", "LISTEN state"); err != nil {
		t.Errorf("LISTEN refused to the read-only role: %q %v", out, err)
	}
	if out, err := psqlAs("grafana_pgha", itMonitorPort, "pg_auto_failover",
		"SELECT count(*) FROM pg_settings WHERE name IN ('pgautofailover.primary_demote_timeout', 'pgautofailover.node_considered_unhealthy_timeout')"); err != nil || out != "2" {
		t.Errorf("the monitor's timeouts are hidden from grafana_pgha: %q %v", out, err)
	}
}

//go:build integration

package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/veza/slo/pkg/pgha"
)

// Integration tests and benchmarks talk to a real formation. They build only with the `integration` tag
// (scripts/suites/61-go-integration.sh and scripts/bench-pgha.sh pass it), so `go test ./...` stays hermetic and
// does not even compile them. Ports default to the local stack (CONTRIBUTING.md) and can be moved for a
// throwaway formation.
func itEnv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

var (
	itMonitorPort = itEnv("VEZA_PGHA_MONITOR_PORT", "6000")
	itBouncerPort = itEnv("VEZA_PGHA_PGBOUNCER_PORT", "6432")
	// Commands that act on the formation (the data source never does): the stack's CLI by default.
	itHardKill   = itEnv("VEZA_PGHA_HARD_KILL", "npm run --silent stack -- failover --hard")
	itSwitchover = itEnv("VEZA_PGHA_SWITCHOVER", "npm run --silent stack -- failover")
)

// itSettings is the stack as a Grafana admin would configure it (trust auth on loopback).
func itSettings(over map[string]any) map[string]any {
	s := map[string]any{"monitorHost": "127.0.0.1", "monitorPort": itMonitorPort, "monitorUser": "autoctl_node",
		"pgbouncerHost": "127.0.0.1", "pgbouncerPort": itBouncerPort, "nodeUser": "postgres", "sslMode": "disable",
		"connectTimeoutMs": 1000, "queryTimeoutMs": 2000, "pollIntervalMs": 500}
	for k, v := range over {
		s[k] = v
	}
	return s
}

func itInstance(tb testing.TB, over map[string]any) *Datasource {
	tb.Helper()
	raw, _ := json.Marshal(itSettings(over))
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "pgha-it", JSONData: raw,
		DecryptedSecureJSONData: map[string]string{"monitorPassword": "it-Pa55!", "nodePassword": "it-Pa55!"}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { inst.(instancemgmt.InstanceDisposer).Dispose() })
	return inst.(*Datasource)
}

// waitVerdict reads until the formation reaches want, or fails after timeout.
func waitVerdict(tb testing.TB, d *Datasource, want pgha.Verdict, timeout time.Duration) pgha.Snapshot {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	var st pgha.Status
	for time.Now().Before(deadline) {
		s := d.reader.Read(context.Background())
		if st = pgha.Classify(s); st.Verdict == want {
			return s
		}
		time.Sleep(500 * time.Millisecond)
	}
	tb.Fatalf("formation not %q after %s: %q %s", want, timeout, st.Verdict, st.Reason)
	return pgha.Snapshot{}
}

// runFormationCommand starts a command that changes the formation (kill, switchover) from the
// repo root, in the background; the returned func waits for it.
func runFormationCommand(tb testing.TB, cmdline string) func() error {
	tb.Helper()
	cmd := exec.Command("bash", "-c", cmdline)
	cmd.Dir = "../.."
	out, _ := os.CreateTemp("", "pgha-it-cmd-*.log")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return func() error {
		err := cmd.Wait()
		if err != nil {
			b, _ := os.ReadFile(out.Name())
			return fmt.Errorf("%s: %w\n%s", cmdline, err, b)
		}
		return nil
	}
}

// streamRecorder timestamps every packet RunStream sends.
type streamRecorder struct{ packets chan recorded }

type recorded struct {
	at   time.Time
	data []byte
}

func (r streamRecorder) Send(p *backend.StreamPacket) error {
	r.packets <- recorded{time.Now(), p.Data}
	return nil
}

// column reads one column of a streamed frame ({schema,data} JSON).
func column(tb testing.TB, packet []byte, name string) []any {
	tb.Helper()
	var f struct {
		Schema struct {
			Fields []struct{ Name string } `json:"fields"`
		} `json:"schema"`
		Data struct {
			Values [][]any `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(packet, &f); err != nil {
		tb.Fatal(err)
	}
	for i, fl := range f.Schema.Fields {
		if fl.Name == name {
			return f.Data.Values[i]
		}
	}
	tb.Fatalf("no field %s in %s", name, packet)
	return nil
}

// ensureGrafanaRole applies docs/pgha-grafana-role.sql to the monitor and the primary (idempotent).
func ensureGrafanaRole(tb testing.TB) {
	tb.Helper()
	snap := itInstance(tb, nil).reader.Read(context.Background())
	if snap.MonitorErr != nil || snap.PrimaryNode() == nil {
		tb.Fatalf("formation not readable: %v", snap.MonitorErr)
	}
	targets := map[string]string{itMonitorPort: "pg_auto_failover", strconv.Itoa(snap.PrimaryNode().Port): "postgres"}
	for port, db := range targets {
		out, err := exec.Command("psql", "-q", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1",
			"-f", "../../docs/pgha-grafana-role.sql").CombinedOutput()
		if err != nil {
			tb.Fatalf("role SQL on :%s: %v %s", port, err, out)
		}
	}
}

// startPgBouncer runs a throwaway PgBouncer whose appdb points at targetPort, as the postgres
// user (PgBouncer refuses root), and returns its port.
func startPgBouncer(tb testing.TB, targetPort int) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	dir, err := os.MkdirTemp("", "pgha-it-bouncer-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = os.RemoveAll(dir) })
	ini := fmt.Sprintf(`[databases]
appdb = host=127.0.0.1 port=%d dbname=appdb
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %[3]s/users.txt
admin_users = pgbouncer
pidfile = %[3]s/pgbouncer.pid
logfile = %[3]s/pgbouncer.log
`, targetPort, port, dir)
	for name, body := range map[string]string{"pgbouncer.ini": ini, "users.txt": `"pgbouncer" ""` + "\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	args := []string{filepath.Join(dir, "pgbouncer.ini")}
	cmd := exec.Command("pgbouncer", args...)
	if os.Geteuid() == 0 {
		_ = os.Chmod(dir, 0o777)
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", "pgbouncer"}, args...)...)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		// runuser does not pass a SIGKILL on: stop PgBouncer itself through its pid file, then reap runuser.
		if b, err := os.ReadFile(filepath.Join(dir, "pgbouncer.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				_ = syscall.Kill(pid, syscall.SIGTERM)
				for i := 0; i < 40 && syscall.Kill(pid, 0) == nil; i++ {
					time.Sleep(50 * time.Millisecond)
				}
			}
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for i := 0; i < 50; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			_ = c.Close()
			return port
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("pgbouncer did not start on %d", port)
	return 0
}

// stopStackService stops one service of the local stack (its whole process group, as `npm run stack -- down`
// does), reading the pid file the stack CLI writes under $VEZA_STACK_DIR/run.
func stopStackService(tb testing.TB, name string) {
	tb.Helper()
	file := filepath.Join(itEnv("VEZA_STACK_DIR", "/var/lib/veza-stack"), "run", name+".pid")
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatalf("stack service %s has no pid file (%v): is the stack up?", name, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	for i := 0; i < 100 && syscall.Kill(-pid, 0) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if syscall.Kill(-pid, 0) == nil {
		tb.Fatalf("stack service %s (process group %d) did not stop", name, pid)
	}
}

// psqlMonitor runs one statement on the stack's monitor as the postgres superuser (trusted on loopback).
func psqlMonitor(tb testing.TB, sql string) {
	tb.Helper()
	out, err := exec.Command("psql", "-q", "-h", "127.0.0.1", "-p", itMonitorPort, "-U", "postgres", "-d", "pg_auto_failover",
		"-v", "ON_ERROR_STOP=1", "-c", sql).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s: %v %s", sql, err, out)
	}
}

//go:build integration

package plugin

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// throwawayFormation is a pg_auto_failover monitor and its nodes in a temporary directory, on free loopback ports
// (never the stack's), run as the postgres user with Debian's PostgreSQL 15, and gone when the test ends: every
// pg_autoctl is stopped, whatever is left of its process group killed, the directory removed.
type throwawayFormation struct {
	tb          testing.TB
	dir         string
	env         []string
	monitorPort int
	mu          sync.Mutex
	procs       map[string]*exec.Cmd // by node name ("monitor" too)
}

const pgBin = "/usr/lib/postgresql/15/bin"

// newThrowawayFormation skips the test when pg_auto_failover is not installed, and starts the monitor.
func newThrowawayFormation(tb testing.TB) *throwawayFormation {
	tb.Helper()
	if _, err := exec.LookPath("pg_autoctl"); err != nil {
		tb.Skip("pg_autoctl is not installed (Debian packages pg-auto-failover-cli and postgresql-15-auto-failover): no throwaway formation")
	}
	dir, err := os.MkdirTemp("", "pgha-it-formation-")
	if err != nil {
		tb.Fatal(err)
	}
	f := &throwawayFormation{tb: tb, dir: dir, procs: map[string]*exec.Cmd{}}
	tb.Cleanup(f.cleanup)
	if os.Geteuid() == 0 {
		// Postgres refuses to run as root: the directory belongs to postgres, which runs everything below.
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatalf("no postgres user to run the formation as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	// pg_autoctl keeps its state under the XDG dirs, keyed by PGDATA: private ones, so nothing touches the stack's.
	f.env = []string{"PATH=" + pgBin + ":/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + dir, "PG_CONFIG=" + pgBin + "/pg_config",
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg", "config"), "XDG_DATA_HOME=" + filepath.Join(dir, "xdg", "share"),
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "xdg", "run")}
	f.monitorPort = freePort(tb)
	f.start("monitor", "create", "monitor", "--pgdata", f.pgdata("monitor"), "--pgport", strconv.Itoa(f.monitorPort),
		"--hostname", "127.0.0.1", "--listen", "127.0.0.1", "--auth", "trust", "--no-ssl", "--run")
	f.waitFor("the monitor", 60*time.Second, func() bool {
		_, err := f.query(f.monitorPort, "pg_auto_failover", "SELECT 1")
		return err == nil
	})
	// Faster health checks, as the stack tunes its monitor: a stopped node is seen in seconds, not half a minute.
	for _, set := range []string{"health_check_period = 1000", "health_check_timeout = 1000", "health_check_max_retries = 1",
		"health_check_retry_delay = 500", "node_considered_unhealthy_timeout = 4000", "startup_grace_period = 1000"} {
		f.exec(f.monitorPort, "pg_auto_failover", "ALTER SYSTEM SET pgautofailover."+set)
	}
	f.exec(f.monitorPort, "pg_auto_failover", "SELECT pg_reload_conf()")
	return f
}

func (f *throwawayFormation) pgdata(name string) string { return filepath.Join(f.dir, name) }

func (f *throwawayFormation) monitorURI() string {
	return fmt.Sprintf("postgres://autoctl_node@127.0.0.1:%d/pg_auto_failover?sslmode=disable", f.monitorPort)
}

// command is pg_autoctl with the formation's environment, as postgres when the test runs as root, in a process
// group of its own so that cleanup can reach the Postgres it starts.
func (f *throwawayFormation) command(args ...string) *exec.Cmd {
	argv := append([]string{"env", "-i"}, f.env...)
	argv = append(argv, "pg_autoctl")
	argv = append(argv, args...)
	if os.Geteuid() == 0 {
		argv = append([]string{"runuser", "-u", "postgres", "--"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = f.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// start runs a long-lived pg_autoctl (create … --run) in the background, its output in <dir>/<name>.log.
func (f *throwawayFormation) start(name string, args ...string) {
	f.tb.Helper()
	log, err := os.Create(filepath.Join(f.dir, name+".log"))
	if err != nil {
		f.tb.Fatal(err)
	}
	cmd := f.command(args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		f.tb.Fatal(err)
	}
	f.mu.Lock()
	f.procs[name] = cmd
	f.mu.Unlock()
}

// startNode creates a data node of formation and runs it.
func (f *throwawayFormation) startNode(name, formation, dbname string, extra ...string) int {
	f.tb.Helper()
	port := freePort(f.tb)
	args := []string{"create", "postgres", "--pgdata", f.pgdata(name), "--pgport", strconv.Itoa(port), "--hostname", "127.0.0.1",
		"--listen", "127.0.0.1", "--name", name, "--formation", formation, "--dbname", dbname, "--auth", "trust", "--no-ssl",
		"--monitor", f.monitorURI(), "--run"}
	f.start(name, append(args, extra...)...)
	return port
}

// run runs a short pg_autoctl command to completion.
func (f *throwawayFormation) run(args ...string) {
	f.tb.Helper()
	if out, err := f.command(args...).CombinedOutput(); err != nil {
		f.tb.Fatalf("pg_autoctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// stop stops one node's pg_autoctl (and its Postgres) and waits for it.
func (f *throwawayFormation) stop(name string) {
	f.mu.Lock()
	cmd := f.procs[name]
	delete(f.procs, name)
	f.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = f.command("stop", "--pgdata", f.pgdata(name), "--fast").Run()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
	}
	// Whatever did not stop (a Postgres started by pg_autoctl stays in its process group) is killed.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if b, err := os.ReadFile(filepath.Join(f.pgdata(name), "postmaster.pid")); err == nil {
		if pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); err == nil && pid > 0 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// cleanup stops the nodes, then the monitor, and removes the directory; it runs even when the test failed.
func (f *throwawayFormation) cleanup() {
	f.mu.Lock()
	var nodes []string
	for name := range f.procs {
		if name != "monitor" {
			nodes = append(nodes, name)
		}
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	for _, name := range nodes {
		wg.Add(1)
		go func() { defer wg.Done(); f.stop(name) }()
	}
	wg.Wait()
	f.stop("monitor")
	if f.tb.Failed() {
		for _, name := range append(nodes, "monitor") {
			if b, err := os.ReadFile(filepath.Join(f.dir, name+".log")); err == nil {
				f.tb.Logf("%s.log (tail):\n%s", name, tail(string(b), 1500))
			}
		}
	}
	_ = os.RemoveAll(f.dir)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// query runs one statement as the postgres superuser (initdb's loopback trust, as on the stack).
func (f *throwawayFormation) query(port int, db, sql string) ([][]any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=%s sslmode=disable connect_timeout=2", port, db))
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (f *throwawayFormation) exec(port int, db, sql string) {
	f.tb.Helper()
	if _, err := f.query(port, db, sql); err != nil {
		f.tb.Fatalf("%s: %v", sql, err)
	}
}

// states is reported/goal per node name of a formation, from the monitor.
func (f *throwawayFormation) states(formation string) map[string]string {
	rows, err := f.query(f.monitorPort, "pg_auto_failover",
		"SELECT nodename, reportedstate::text || '/' || goalstate::text FROM pgautofailover.node WHERE formationid = '"+formation+"'")
	out := map[string]string{}
	if err != nil {
		return out
	}
	for _, r := range rows {
		out[r[0].(string)] = r[1].(string)
	}
	return out
}

func (f *throwawayFormation) waitFor(what string, timeout time.Duration, ok func() bool) {
	f.tb.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	f.tb.Fatalf("%s not ready after %s", what, timeout)
}

// waitStates waits until every named node of formation reports the wanted state as its goal too.
func (f *throwawayFormation) waitStates(formation string, timeout time.Duration, want map[string]string) {
	f.tb.Helper()
	var got map[string]string
	f.waitFor(fmt.Sprintf("formation %s at %v", formation, want), timeout, func() bool {
		got = f.states(formation)
		for name, state := range want {
			if got[name] != state+"/"+state {
				return false
			}
		}
		return true
	})
}

// freePort asks the kernel for a free loopback port (from the ephemeral range, far from the stack's ports).
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

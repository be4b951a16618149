//go:build integration

package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// alertingMeasures runs the measures query the way Grafana alerting does (the FromAlert header, no panel options) and
// returns each series' value; the frame must be the wide numeric series Grafana's expressions read.
func alertingMeasures(tb testing.TB, d *Datasource) map[string]*float64 {
	tb.Helper()
	req := request(query("measures", `{"refId":"A","queryType":"measures"}`))
	req.Headers = map[string]string{backend.FromAlertHeaderName: "true"}
	resp, err := d.QueryData(context.Background(), req)
	if err != nil || resp.Responses["A"].Error != nil || len(resp.Responses["A"].Frames) != 1 {
		tb.Fatal(err, resp.Responses["A"].Error)
	}
	f := resp.Responses["A"].Frames[0]
	if f.TimeSeriesSchema().Type != data.TimeSeriesTypeWide {
		tb.Fatalf("measures frame is not a wide time series: %s", f.TimeSeriesSchema().Type)
	}
	out := map[string]*float64{}
	for _, field := range f.Fields[1:] {
		v, ok := field.ConcreteAt(0)
		if !ok {
			out[field.Name] = nil
			continue
		}
		var x float64
		switch n := v.(type) {
		case int64:
			x = float64(n)
		case float64:
			x = n
		}
		out[field.Name] = &x
	}
	return out
}

// A healthy two-node formation, as an alert rule on "formation not healthy" reads it.
func TestITMeasuresAsGrafanaAlertingAsks(t *testing.T) {
	d := itInstance(t, nil)
	waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
	m := alertingMeasures(t, d)
	want := map[string]float64{models.MeasureHealthy: 1, models.MeasureVerdictCode: 0,
		models.MeasureEligibleStandbys: 1, models.MeasureRoutingStale: 0}
	for name, v := range want {
		if m[name] == nil || *m[name] != v {
			t.Errorf("%s = %v, want %v", name, m[name], v)
		}
	}
	if firing(t, d, formationRule(t)) {
		t.Error("the provisioned formation rule fires on a healthy formation")
	}
	if m[models.MeasureMaxLagBytes] == nil || m[models.MeasureSinceStateChange] == nil {
		t.Errorf("lag or time since the last state change missing: %v %v", m[models.MeasureMaxLagBytes],
			m[models.MeasureSinceStateChange])
	}
}

func TestITTopologyMatchesTheFormation(t *testing.T) {
	d := itInstance(t, nil)
	snap := waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
	resp, err := d.QueryData(context.Background(), request(query("topology", `{"live":true}`)))
	if err != nil || resp.Responses["A"].Error != nil {
		t.Fatal(err, resp.Responses["A"].Error)
	}
	nodes := resp.Responses["A"].Frames[0]
	roles := map[string]string{}
	ids, _ := nodes.FieldByName("id")
	role, _ := nodes.FieldByName("detail__role")
	for i := 0; i < nodes.Rows(); i++ {
		roles[ids.At(i).(string)] = role.At(i).(string)
	}
	p := snap.PrimaryNode()
	if len(snap.Nodes) != 2 || roles[nodeID(p.Name)] != "primary" || roles["monitor"] != "monitor" || roles["pgbouncer"] != "pgbouncer" {
		t.Fatalf("roles %v", roles)
	}
	for _, n := range snap.Nodes {
		if n.Name != p.Name && roles[nodeID(n.Name)] != "standby" {
			t.Errorf("%s: role %s", n.Name, roles[nodeID(n.Name)])
		}
		if n.Live == nil || n.Live.Err != nil || n.Live.Timeline == nil {
			t.Errorf("%s not read directly: %+v", n.Name, n.Live)
		}
	}
	if snap.Bouncer.TargetNode != p.Name {
		t.Errorf("PgBouncer target %s, primary %s", snap.Bouncer.TargetNode, p.Name)
	}
	if nodes.Meta.Channel != "ds/pgha-uid/topology" {
		t.Errorf("channel %q", nodes.Meta.Channel)
	}
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusOk {
		t.Errorf("health: %s", res.Message)
	}
}

func TestITHealthNamesTheProblem(t *testing.T) {
	cases := map[string]struct {
		over    map[string]any
		problem string // must appear in the message
	}{
		"a user the monitor does not know":  {map[string]any{"monitorUser": "no_such_user"}, "monitor 127.0.0.1:" + itMonitorPort + ": wrong password or user"},
		"a data node instead of a monitor":  {map[string]any{"monitorPort": 0, "monitorDatabase": "postgres", "monitorUser": "postgres"}, "not a pg_auto_failover monitor"},
		"no USAGE on pgautofailover":        {map[string]any{"monitorUser": "grafana_pgha", "monitorSchema": "pgautofailover"}, "missing privilege"},
		"a formation that does not exist":   {map[string]any{"formation": "nope"}, "formation not found"},
		"monitor down":                      {map[string]any{"monitorPort": 1}, "unreachable"},
		"a PgBouncer user it does not know": {map[string]any{"pgbouncerUser": "no_such_user"}, "PgBouncer 127.0.0.1:" + itBouncerPort + ": wrong password or user"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if c.over["monitorPort"] == 0 { // a data node: first node of the formation
				snap := itInstance(t, nil).reader.Read(context.Background())
				c.over["monitorPort"] = snap.Nodes[0].Port
			}
			if c.over["monitorUser"] == "grafana_pgha" {
				ensureGrafanaRole(t)
			}
			d := itInstance(t, c.over)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil || res.Status != backend.HealthStatusError || !strings.Contains(res.Message, c.problem) {
				t.Fatalf("health %v: %s", err, res.Message)
			}
			if strings.Contains(res.Message+string(res.JSONDetails), "it-Pa55!") {
				t.Fatal("password leaked")
			}
		})
	}
}

// The least-privilege role from docs/pgha-grafana-role.sql reads everything through its views.
func TestITLeastPrivilegeRoleReadsTheFormation(t *testing.T) {
	ensureGrafanaRole(t)
	d := itInstance(t, map[string]any{"monitorUser": "grafana_pgha", "monitorSchema": "veza_pgha", "nodeUser": "grafana_pgha"})
	snap := d.reader.Read(context.Background())
	if snap.MonitorErr != nil || len(snap.Nodes) != 2 {
		t.Fatalf("%v %d nodes", snap.MonitorErr, len(snap.Nodes))
	}
	for _, n := range snap.Nodes {
		if n.Live == nil || n.Live.Err != nil || !n.Live.CanSeeStats {
			t.Errorf("%s: %+v", n.Name, n.Live)
		}
	}
	to := time.Now()
	if _, err := d.reader.Events(context.Background(), to.Add(-24*time.Hour), to, 10); err != nil {
		t.Fatal(err)
	}
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %s", res.Message)
	}
}

func TestITRoutingStaleWhenPgBouncerPointsAtTheStandby(t *testing.T) {
	d := itInstance(t, nil)
	snap := waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
	var standby pgha.Node
	for _, n := range snap.Nodes {
		if n.Name != snap.PrimaryNode().Name {
			standby = n
		}
	}
	// A PgBouncer whose hook never ran: its target is the standby.
	port := startPgBouncer(t, standby.Port)
	d2 := itInstance(t, map[string]any{"pgbouncerPort": port, "pgbouncerDatabase": "appdb"})
	st := pgha.Classify(d2.reader.Read(context.Background()))
	if st.Verdict != pgha.VerdictRoutingStale || !strings.Contains(st.Reason, "routes appdb to "+standby.Name) {
		t.Fatalf("%s: %s", st.Verdict, st.Reason)
	}
}

// Hard-kill the primary: the stream must report the failover as the monitor records it, then the
// new primary, and health must name the dead node as unreachable.
func TestITHardKillFailoverOnTheStream(t *testing.T) {
	d := itInstance(t, nil)
	before := waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute).PrimaryNode().Name
	rec := streamRecorder{packets: make(chan recorded, 1024)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	streamDone := make(chan error, 1)
	go func() {
		streamDone <- d.RunStream(ctx, &backend.RunStreamRequest{Path: PathStatus}, backend.NewStreamSender(rec))
	}()
	waitKill := runFormationCommand(t, itHardKill)
	sawFailover, sawHealthDown := false, false
	newPrimary := ""
	deadline := time.After(3 * time.Minute)
	for newPrimary == "" || newPrimary == before || !sawFailover {
		select {
		case p := <-rec.packets:
			verdict := column(t, p.data, "verdict")[0].(string)
			primary := column(t, p.data, "primary")[0].(string)
			if verdict == string(pgha.VerdictFailoverInProgress) {
				sawFailover = true
			}
			if sawFailover && primary != before && verdict != string(pgha.VerdictFailoverInProgress) {
				newPrimary = primary
			}
			if !sawHealthDown && verdict == string(pgha.VerdictFailoverInProgress) {
				res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
				sawHealthDown = strings.Contains(res.Message, before+" ") && strings.Contains(res.Message, "unreachable")
				if !sawHealthDown {
					t.Errorf("health during failover does not name %s unreachable: %s", before, res.Message)
				}
			}
		case <-deadline:
			t.Fatalf("stream never showed the failover (saw failover=%v, new primary %q)", sawFailover, newPrimary)
		}
	}
	t.Logf("stream: failover in progress, then primary %s (was %s)", newPrimary, before)
	if err := waitKill(); err != nil { // the stack restarts the killed node and waits for it to rejoin
		t.Fatal(err)
	}
	waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
	// The failover is one episode (an annotation region) and the alertable time to writable.
	resp, err := d.QueryData(context.Background(), request(query("episodes", `{}`)))
	if err != nil || resp.Responses["A"].Error != nil {
		t.Fatal(err, resp.Responses["A"].Error)
	}
	eps := resp.Responses["A"].Frames[0]
	kinds, afters := eps.Fields[5], eps.Fields[7]
	found := false
	for i := 0; i < eps.Rows(); i++ {
		found = found || (kinds.At(i) == string(pgha.EpisodeFailover) && afters.At(i) == newPrimary)
	}
	if !found {
		t.Errorf("no failover episode to %s among %d episodes of the last hour", newPrimary, eps.Rows())
	}
	// The same failover judged as an objective: counted, met within 60 s on the stack, missed against 1 ms.
	for _, c := range []struct {
		query     string
		wantMeets bool
	}{{`{"objective":0.5,"writableWithinSeconds":60}`, true}, {`{"objective":0.5,"writableWithinSeconds":0.001}`, false}} {
		resp, err := d.QueryData(context.Background(), request(query("failoverObjective", c.query)))
		if err != nil || resp.Responses["A"].Error != nil {
			t.Fatal(err, resp.Responses["A"].Error)
		}
		sum := resp.Responses["A"].Frames[0]
		at := func(name string) any {
			f, _ := sum.FieldByName(name)
			if f == nil {
				t.Fatalf("failover_objective frame has no %s field", name)
			}
			return f.At(0)
		}
		failovers, met, missed := at("failovers").(int64), at("met").(int64), at("missed").(int64)
		if failovers < 1 || met+missed != failovers || at("meets").(bool) != c.wantMeets {
			t.Errorf("objective %s: %d failovers, %d met, %d missed, meets %v", c.query, failovers, met, missed, at("meets"))
		}
	}
	m := alertingMeasures(t, d)
	if s := m[models.MeasureLastFailoverSeconds]; s == nil || *s <= 0 || *s > 60 {
		t.Errorf("last failover's seconds to writable: %v", s)
	}
	cancel()
	if err := <-streamDone; err != nil {
		t.Fatal(err)
	}
}

// Stop the stack's PgBouncer hook, then switch over: PgBouncer keeps routing to the old primary and the
// verdict must say so. Restarting the hook (`npm run stack -- up` starts what is missing) must heal it.
func TestITRoutingStaleWhenTheHookIsStopped(t *testing.T) {
	d := itInstance(t, nil)
	before := waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute).PrimaryNode().Name
	stopStackService(t, "hook")
	restarted := false
	restart := func() {
		if !restarted {
			restarted = true
			if err := runFormationCommand(t, "npm run --silent stack -- up")(); err != nil {
				t.Errorf("restarting the hook: %v", err)
			}
		}
	}
	t.Cleanup(restart) // never leave the stack without its hook, even when the test fails

	waitSwitchover := runFormationCommand(t, itSwitchover)
	stale := waitVerdict(t, d, pgha.VerdictRoutingStale, 2*time.Minute)
	st := pgha.Classify(stale)
	if !strings.Contains(st.Reason, "routes appdb to "+before) {
		t.Errorf("reason does not name the old primary %s: %s", before, st.Reason)
	}
	restart()
	// The switchover command waits for PgBouncer to follow and the API to take orders again.
	if err := waitSwitchover(); err != nil {
		t.Fatal(err)
	}
	waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
}

// A real wrong password: for the length of the test the monitor asks grafana_pgha for a scram password
// (the stack trusts loopback otherwise), so the health check must say "wrong password" and never echo it.
func TestITWrongPasswordIsNamed(t *testing.T) {
	ensureGrafanaRole(t)
	psqlMonitor(t, "ALTER ROLE grafana_pgha PASSWORD 'it-Pa55!'")
	withMonitorHBA(t, "host all grafana_pgha 127.0.0.1/32 scram-sha-256")
	health := func(password string) string { return monitorHealth(t, "pgha-it-pw", password) }
	wrong := health("Not-The-Pa55")
	if !strings.Contains(wrong, "monitor 127.0.0.1:"+itMonitorPort+": wrong password or user") {
		t.Errorf("wrong password not named: %s", wrong)
	}
	if strings.Contains(wrong, "Not-The-Pa55") {
		t.Error("the password leaked into the health message")
	}
	if right := health("it-Pa55!"); strings.Contains(right, "wrong password") {
		t.Errorf("the right password was refused: %s", right)
	}
}

// A switchover reaches a live events stream while it happens: the last events are re-read whenever the
// monitor records a new one, never more than the stream's limit.
func TestITEventsStreamFollowsASwitchover(t *testing.T) {
	d := itInstance(t, nil)
	waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
	const limit = 30
	sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: EventsPath(limit)})
	if err != nil || sub.Status != backend.SubscribeStreamStatusOK || sub.InitialData == nil {
		t.Fatalf("subscribe: %+v %v", sub, err)
	}
	lastBefore := 0.0
	for _, id := range column(t, sub.InitialData.Data(), "event_id") {
		lastBefore = max(lastBefore, id.(float64))
	}
	rec := streamRecorder{packets: make(chan recorded, 1024)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	streamDone := make(chan error, 1)
	go func() {
		streamDone <- d.RunStream(ctx, &backend.RunStreamRequest{Path: EventsPath(limit)}, backend.NewStreamSender(rec))
	}()
	waitSwitch := runFormationCommand(t, itSwitchover)
	deadline := time.After(2 * time.Minute)
	for seen := false; !seen; {
		select {
		case p := <-rec.packets:
			ids, descs := column(t, p.data, "event_id"), column(t, p.data, "description")
			if len(ids) > limit {
				t.Fatalf("%d events on a stream limited to %d", len(ids), limit)
			}
			for i, id := range ids {
				if id.(float64) > lastBefore && strings.Contains(descs[i].(string), "user-initiated") {
					seen = true
					t.Logf("events stream: event %v %q", id, descs[i])
				}
			}
		case <-deadline:
			t.Fatal("the events stream never carried the switchover")
		}
	}
	if err := waitSwitch(); err != nil {
		t.Fatal(err)
	}
	waitVerdict(t, d, pgha.VerdictHealthy, 3*time.Minute)
	cancel()
	if err := <-streamDone; err != nil {
		t.Fatal(err)
	}
}

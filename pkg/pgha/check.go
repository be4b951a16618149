package pgha

import (
	"context"
	"fmt"
	"sync"
)

// ComponentCheck is the health of one thing the data source talks to.
type ComponentCheck struct {
	Name    string `json:"name"` // "monitor", "PgBouncer", node name
	Address string `json:"address"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped,omitempty"` // not configured
	Problem string `json:"problem,omitempty"` // a Problem: wrong password, unreachable, …
	Message string `json:"message"`
}

// CheckReport is the outcome of a health check, one entry per component.
type CheckReport struct {
	Monitor   ComponentCheck   `json:"monitor"`
	PgBouncer ComponentCheck   `json:"pgbouncer"`
	Nodes     []ComponentCheck `json:"nodes"`
}

// OK tells whether everything configured answered.
func (c CheckReport) OK() bool {
	ok := c.Monitor.OK && (c.PgBouncer.OK || c.PgBouncer.Skipped)
	for _, n := range c.Nodes {
		ok = ok && (n.OK || n.Skipped)
	}
	return ok
}

func failed(name, addr string, err error, secrets []string) ComponentCheck {
	f := Describe(name+" "+addr, err, secrets...)
	return ComponentCheck{Name: name, Address: addr, Problem: string(f.Problem), Message: f.Error()}
}

// Check connects afresh to the monitor, PgBouncer and every node, and says which answered and
// why any did not. Fresh connections on purpose: a cached one would hide a changed password.
func (r *Reader) Check(ctx context.Context) CheckReport {
	var rep CheckReport
	mon := r.MonitorEndpoint()
	secrets := r.s.Secrets()
	rep.Monitor = ComponentCheck{Name: "monitor", Address: mon.Address()}
	rep.PgBouncer = ComponentCheck{Name: "PgBouncer", Address: r.BouncerEndpoint().Address(), Skipped: !r.s.HasPgBouncer(),
		Message: "PgBouncer not configured"}

	var nodes []Node
	var fi formationInfo
	conn, err := mon.Connect(ctx, r.s.ConnectTimeout())
	if err == nil {
		qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
		fi, err = readFormation(qctx, conn, r.s.MonitorSchema, r.s.Formation)
		if err == nil {
			nodes, err = readNodes(qctx, conn, r.s.MonitorSchema, r.s.Formation)
		}
		cancel()
		_ = conn.Close(context.Background())
	}
	if err != nil {
		rep.Monitor = failed("monitor", mon.Address(), err, secrets)
	} else {
		rep.Monitor.OK = true
		rep.Monitor.Message = fmt.Sprintf("monitor %s: formation %q, %d nodes", mon.Address(), r.s.Formation, len(nodes))
	}

	var wg sync.WaitGroup
	if r.s.HasPgBouncer() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep.PgBouncer = r.checkBouncer(ctx, fi.dbName, nodes)
		}()
	}
	rep.Nodes = make([]ComponentCheck, len(nodes))
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep.Nodes[i] = r.checkNode(ctx, n, fi.dbName)
		}()
	}
	wg.Wait()
	return rep
}

func (r *Reader) checkBouncer(ctx context.Context, dbName string, nodes []Node) ComponentCheck {
	ep := r.BouncerEndpoint()
	db := r.s.PgBouncerDatabase
	if db == "" {
		db = dbName
	}
	conn, err := ep.ConnectRaw(ctx, r.s.ConnectTimeout())
	if err != nil {
		return failed(ep.Name, ep.Address(), err, r.s.Secrets())
	}
	defer func() { _ = conn.Close(context.Background()) }()
	qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
	defer cancel()
	b, err := readBouncer(qctx, conn, db, nodes)
	if err != nil {
		return failed(ep.Name, ep.Address(), err, r.s.Secrets())
	}
	c := ComponentCheck{Name: ep.Name, Address: ep.Address(), OK: true}
	switch {
	case db == "":
		c.Message = fmt.Sprintf("PgBouncer %s: admin console answers (formation database unknown while the monitor is down)", ep.Address())
	case b.TargetPort == 0:
		c.OK, c.Problem = false, "misconfigured"
		c.Message = fmt.Sprintf("PgBouncer %s: admin console answers but has no database %q", ep.Address(), db)
	default:
		target := b.TargetNode
		if target == "" {
			target = "no formation node"
		}
		c.Message = fmt.Sprintf("PgBouncer %s: %s → %s (%s)", ep.Address(), db, b.Target(), target)
	}
	return c
}

func (r *Reader) checkNode(ctx context.Context, n Node, dbName string) ComponentCheck {
	ep := r.NodeEndpoint(n, dbName)
	if !r.s.HasNodeCredentials() {
		return ComponentCheck{Name: n.Name, Address: ep.Address(), Skipped: true,
			Message: n.Name + ": no node credentials, the monitor's view is used"}
	}
	if !r.allow.Allows(n.Host) {
		return failed(n.Name, ep.Address(), notAllowed(ep), nil)
	}
	conn, err := ep.Connect(ctx, r.s.ConnectTimeout())
	if err != nil {
		return failed(n.Name, ep.Address(), err, r.s.Secrets())
	}
	defer func() { _ = conn.Close(context.Background()) }()
	qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
	defer cancel()
	reading, _, err := readNode(qctx, conn)
	if err != nil {
		return failed(n.Name, ep.Address(), err, r.s.Secrets())
	}
	if !reading.CanSeeStats {
		return ComponentCheck{Name: n.Name, Address: ep.Address(), Problem: string(ProblemPrivilege),
			Message: fmt.Sprintf("%s %s: missing privilege (role %q lacks pg_read_all_stats: lag and sync state are hidden)", n.Name, ep.Address(), r.s.NodeUser)}
	}
	mode := "primary"
	if reading.InRecovery {
		mode = "standby"
	}
	return ComponentCheck{Name: n.Name, Address: ep.Address(), OK: true, Message: fmt.Sprintf("%s %s: answers (%s)", n.Name, ep.Address(), mode)}
}

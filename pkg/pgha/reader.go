package pgha

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/veza/slo/pkg/models"
)

// Reader reads snapshots of one formation. It keeps one connection to the monitor, one per
// node and one to PgBouncer, reopened after any error; reads are serialized, so each
// connection is used by one goroutine at a time. Events queries have a monitor connection and a
// lock of their own. Safe for concurrent use.
type Reader struct {
	s     models.Settings
	tls   *models.TLSMaterial   // for every connection; nil when no TLS secret is set
	allow *models.HostAllowList // nodes the backend may connect to; nil allows all
	now   func() time.Time

	mu      sync.Mutex
	monitor *pgx.Conn
	nodes   map[string]*pgx.Conn // by node address
	bouncer *pgconn.PgConn
	last    Snapshot // last snapshot with a monitor reading, for the stale view

	queries atomic.Int64 // statements sent to the monitor, for the load benchmark
	closed  atomic.Bool  // after Close no read opens a connection again; atomic so Listen need not wait for a read

	evMu   sync.Mutex // Events' own lock and monitor connection
	evConn *pgx.Conn
}

// NewReader does not connect; the first Read does. s comes from models.LoadSettings, which has
// validated the TLS secrets and the allow-list; should the list still fail to parse, no node is allowed.
func NewReader(s models.Settings) *Reader {
	r := &Reader{s: s, now: time.Now, nodes: map[string]*pgx.Conn{}}
	r.tls, _ = s.TLS()
	allow, err := models.ParseHostAllowList(s.NodeHosts)
	if err != nil {
		allow = &models.HostAllowList{}
	}
	r.allow = allow
	return r
}

// MonitorEndpoint is the monitor connection target.
func (r *Reader) MonitorEndpoint() Endpoint {
	return Endpoint{Name: "monitor", Host: r.s.MonitorHost, Port: int(r.s.MonitorPort), Database: r.s.MonitorDatabase,
		User: r.s.MonitorUser, Password: r.s.MonitorPassword, SSLMode: r.s.SSLMode, TLS: r.tls}
}

// NodeEndpoint is a data node reached with the node credentials.
func (r *Reader) NodeEndpoint(n Node, dbName string) Endpoint {
	db := r.s.NodeDatabase
	if db == "" {
		db = dbName
	}
	return Endpoint{Name: n.Name, Host: n.Host, Port: n.Port, Database: db, User: r.s.NodeUser,
		Password: r.s.NodePassword, SSLMode: r.s.SSLMode, TLS: r.tls}
}

// BouncerEndpoint is the PgBouncer admin console.
func (r *Reader) BouncerEndpoint() Endpoint {
	return Endpoint{Name: "PgBouncer", Host: r.s.PgBouncerHost, Port: int(r.s.PgBouncerPort), Database: "pgbouncer",
		User: r.s.PgBouncerUser, Password: r.s.PgBouncerPassword, SSLMode: r.s.SSLMode, TLS: r.tls}
}

// MonitorQueries counts statements sent to the monitor since the reader was made.
func (r *Reader) MonitorQueries() int64 { return r.queries.Load() }

// Read takes one snapshot. It never fails: what could not be read is described in the snapshot.
func (r *Reader) Read(ctx context.Context) Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	mon := r.MonitorEndpoint()
	snap := Snapshot{Formation: r.s.Formation, MonitorAddress: mon.Address(), ReadAt: r.now()}
	if r.closed.Load() {
		snap.MonitorErr = errClosed(mon)
		return snap
	}
	fi, nodes, err := r.readMonitor(ctx)
	if err != nil {
		snap.MonitorErr = Describe(mon.Label(), err, r.s.Secrets()...)
		// Keep the last known roles, marked stale, so on-call still sees who was primary.
		snap.Nodes, snap.DBName, snap.Timeouts, snap.LastEvent = r.last.Nodes, r.last.DBName, r.last.Timeouts, r.last.LastEvent
		snap.NumberSyncStandbys, snap.Formations = r.last.NumberSyncStandbys, r.last.Formations
		snap.Stale = len(snap.Nodes) > 0
		snap.StaleSince = r.last.ReadAt
		return snap
	}
	snap.DBName, snap.Timeouts, snap.LastEvent, snap.Nodes = fi.dbName, fi.timeouts, fi.lastEvent, nodes
	snap.NumberSyncStandbys, snap.Formations = fi.numberSyncStandbys, fi.formations
	if r.s.HasNodeCredentials() {
		r.readNodes(ctx, &snap)
	}
	if r.s.HasPgBouncer() {
		snap.Bouncer = r.readBouncer(ctx, snap)
	}
	r.last = snap
	return snap
}

func (r *Reader) monitorConn(ctx context.Context) (*pgx.Conn, error) {
	if r.monitor != nil && !r.monitor.IsClosed() {
		return r.monitor, nil
	}
	conn, err := r.MonitorEndpoint().Connect(ctx, r.s.ConnectTimeout())
	r.monitor = conn
	return conn, err
}

func (r *Reader) dropMonitor() {
	if r.monitor != nil {
		_ = r.monitor.Close(context.Background())
		r.monitor = nil
	}
}

func (r *Reader) readMonitor(ctx context.Context) (formationInfo, []Node, error) {
	conn, err := r.monitorConn(ctx)
	if err != nil {
		return formationInfo{}, nil, err
	}
	qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
	defer cancel()
	r.queries.Add(1)
	fi, err := readFormation(qctx, conn, r.s.MonitorSchema, r.s.Formation)
	if err != nil {
		if !isFormationMissing(err) {
			r.dropMonitor()
		}
		return fi, nil, err
	}
	r.queries.Add(1)
	nodes, err := readNodes(qctx, conn, r.s.MonitorSchema, r.s.Formation)
	if err != nil {
		r.dropMonitor()
	}
	return fi, nodes, err
}

func isFormationMissing(err error) bool { return err != nil && errors.Is(err, ErrFormationNotFound) }

// Events reads the formation's events in [from, to], oldest first. It has its own monitor
// connection and lock: an events query (up to models.MaxEventsLimit rows) never makes a topology
// read wait, nor the other way round.
func (r *Reader) Events(ctx context.Context, from, to time.Time, limit int) ([]Event, error) {
	r.evMu.Lock()
	defer r.evMu.Unlock()
	mon := r.MonitorEndpoint()
	if r.closed.Load() {
		return nil, errClosed(mon)
	}
	// A kept connection can have died with a monitor restart without pgx knowing until it is used: the first
	// query on it then fails with the connection lost. That one is retried once on a fresh connection, so the first
	// events read after a monitor restart answers instead of failing a page.
	for attempt := 0; ; attempt++ {
		reused := r.evConn != nil && !r.evConn.IsClosed()
		if !reused {
			conn, err := mon.Connect(ctx, r.s.ConnectTimeout())
			if err != nil {
				return nil, Describe(mon.Label(), err, r.s.Secrets()...)
			}
			r.evConn = conn
		}
		events, err := r.readEvents(ctx, from, to, limit)
		if err == nil {
			return events, nil
		}
		r.dropEvents()
		f := Describe(mon.Label(), err, r.s.Secrets()...)
		if !reused || attempt > 0 || ctx.Err() != nil || f.Problem != ProblemUnreachable {
			return nil, f
		}
	}
}

func (r *Reader) readEvents(ctx context.Context, from, to time.Time, limit int) ([]Event, error) {
	qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
	defer cancel()
	r.queries.Add(1)
	return ReadEvents(qctx, r.evConn, r.s.MonitorSchema, r.s.Formation, from, to, limit)
}

func (r *Reader) dropEvents() {
	if r.evConn != nil {
		_ = r.evConn.Close(context.Background())
		r.evConn = nil
	}
}

// readNodes reads every node in parallel, so one dead node costs one connect timeout, not N.
func (r *Reader) readNodes(ctx context.Context, snap *Snapshot) {
	type result struct {
		reading NodeReading
		reps    map[int64]replica
	}
	results := make([]result, len(snap.Nodes))
	conns := make([]*pgx.Conn, len(snap.Nodes))
	var wg sync.WaitGroup
	for i, n := range snap.Nodes {
		ep := r.NodeEndpoint(n, snap.DBName)
		if !r.allow.Allows(n.Host) {
			results[i].reading.Err = notAllowed(ep)
			continue
		}
		conns[i] = r.nodes[ep.Address()]
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn := conns[i]
			if conn == nil || conn.IsClosed() {
				c, err := ep.Connect(ctx, r.s.ConnectTimeout())
				if err != nil {
					results[i].reading.Err = err
					conns[i] = nil
					return
				}
				conn, conns[i] = c, c
			}
			qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
			defer cancel()
			reading, reps, err := readNode(qctx, conn)
			if err != nil {
				reading = NodeReading{Err: Describe(ep.Label(), err, r.s.Secrets()...)}
				_ = conn.Close(context.Background())
				conns[i] = nil
			}
			results[i] = result{reading, reps}
		}()
	}
	wg.Wait()
	for i, n := range snap.Nodes {
		addr := n.Address()
		if conns[i] == nil {
			delete(r.nodes, addr)
		} else {
			r.nodes[addr] = conns[i]
		}
		reading := results[i].reading
		snap.Nodes[i].Live = &reading
	}
	r.closeNodesNotIn(snap.Nodes)
	// The primary's pg_stat_replication is the authority on standby lag and sync state.
	for _, res := range results {
		for id, rep := range res.reps {
			for i := range snap.Nodes {
				if live := snap.Nodes[i].Live; snap.Nodes[i].ID == id && live != nil && live.Err == nil {
					live.SyncState, live.LagBytes, live.LagSeconds = rep.syncState, rep.lagBytes, rep.lagSeconds
				}
			}
		}
	}
}

func (r *Reader) readBouncer(ctx context.Context, snap Snapshot) *Bouncer {
	ep := r.BouncerEndpoint()
	db := r.s.PgBouncerDatabase
	if db == "" {
		db = snap.DBName
	}
	fail := func(err error) *Bouncer {
		if r.bouncer != nil {
			_ = r.bouncer.Close(context.Background())
			r.bouncer = nil
		}
		return &Bouncer{Address: ep.Address(), Database: db, Err: Describe(ep.Label(), err, r.s.Secrets()...)}
	}
	if r.bouncer == nil || r.bouncer.IsClosed() {
		conn, err := ep.ConnectRaw(ctx, r.s.ConnectTimeout())
		if err != nil {
			return fail(err)
		}
		r.bouncer = conn
	}
	qctx, cancel := context.WithTimeout(ctx, r.s.QueryTimeout())
	defer cancel()
	b, err := readBouncer(qctx, r.bouncer, db, snap.Nodes)
	if err != nil {
		return fail(err)
	}
	b.Address = ep.Address()
	return &b
}

// closeNodesNotIn closes the connections to nodes the monitor no longer lists (removed, or moved
// to another address): nothing else would ever close them.
func (r *Reader) closeNodesNotIn(nodes []Node) {
	listed := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		listed[n.Address()] = true
	}
	for addr, c := range r.nodes {
		if !listed[addr] {
			_ = c.Close(context.Background())
			delete(r.nodes, addr)
		}
	}
}

// errClosed answers a read after Close (a disposed data source instance).
func errClosed(mon Endpoint) *Failure {
	return &Failure{Target: mon.Label(), Problem: ProblemOther, Detail: "data source instance closed (its settings changed or it was deleted)"}
}

// Close releases every connection; later reads open none.
func (r *Reader) Close() {
	r.closed.Store(true)
	r.evMu.Lock()
	r.dropEvents()
	r.evMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dropMonitor()
	for addr, c := range r.nodes {
		_ = c.Close(context.Background())
		delete(r.nodes, addr)
	}
	if r.bouncer != nil {
		_ = r.bouncer.Close(context.Background())
		r.bouncer = nil
	}
}

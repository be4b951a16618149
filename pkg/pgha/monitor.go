package pgha

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Monitor SQL. The schema is the only variable part: "pgautofailover", or the schema of the
// read-only views from docs/pgha-grafana-role.sql; it is validated by models.LoadSettings and
// quoted here. Everything else is bound. Enum and pg_lsn columns are cast to text so pgx needs
// no custom types.
const nodesSQL = `
SELECT n.nodeid, n.groupid, n.nodename, n.nodehost, n.nodeport,
       n.reportedstate::text, n.goalstate::text, n.reportedpgisrunning, n.reportedrepstate::text,
       n.reportedtli, n.reportedlsn::text,
       pg_wal_lsn_diff(p.reportedlsn, n.reportedlsn)::float8,
       n.health,
       extract(epoch FROM now() - n.reporttime)::float8,
       extract(epoch FROM now() - n.statechangetime)::float8,
       n.candidatepriority, n.replicationquorum
  FROM %[1]s.node n
  LEFT JOIN LATERAL (SELECT p.reportedlsn FROM %[1]s.node p
                      WHERE p.formationid = n.formationid AND p.groupid = n.groupid
                        AND p.goalstate::text IN ('single','wait_primary','primary','join_primary','apply_settings')
                      ORDER BY p.nodeid LIMIT 1) p ON true
 WHERE n.formationid = $1
 ORDER BY n.groupid, n.nodeid`

// formationSQL reads the formation from a one-row base, so that a missing formation still returns
// the names of the formations the monitor has: the error can list them.
const formationSQL = `
SELECT f.dbname::text, f.number_sync_standbys,
       (SELECT setting::int FROM pg_settings WHERE name = 'pgautofailover.primary_demote_timeout'),
       (SELECT setting::int FROM pg_settings WHERE name = 'pgautofailover.node_considered_unhealthy_timeout'),
       coalesce((SELECT e.eventid FROM %[1]s.event e WHERE e.formationid = $1 ORDER BY e.eventid DESC LIMIT 1), 0),
       coalesce((SELECT array_agg(a.formationid::text ORDER BY a.formationid) FROM %[1]s.formation a), '{}')
  FROM (SELECT 1) one
  LEFT JOIN %[1]s.formation f ON f.formationid = $1`

const eventsSQL = `
SELECT eventid, eventtime, nodeid, groupid, nodename, nodehost, nodeport,
       reportedstate::text, goalstate::text, coalesce(description, '')
  FROM %[1]s.event
 WHERE formationid = $1 AND eventtime >= $2 AND eventtime <= $3
 ORDER BY eventid DESC
 LIMIT $4`

// ErrFormationNotFound means the monitor answered but has no such formation.
var ErrFormationNotFound = errors.New("formation not found on the monitor")

// FormationNotFoundError is ErrFormationNotFound with the formations the monitor does have, so the
// message says what to pick instead.
type FormationNotFoundError struct {
	Name  string
	Known []string
}

func (e *FormationNotFoundError) Error() string {
	return fmt.Sprintf("formation %q not found on the monitor; %s", e.Name, e.known())
}

func (e *FormationNotFoundError) known() string {
	if len(e.Known) == 0 {
		return "it has no formation"
	}
	return "formations: " + strings.Join(e.Known, ", ")
}

// Is makes errors.Is(err, ErrFormationNotFound) hold.
func (e *FormationNotFoundError) Is(target error) bool { return target == ErrFormationNotFound }

func monitorSQL(tmpl, schema string) string {
	return fmt.Sprintf(tmpl, pgx.Identifier{schema}.Sanitize())
}

// formationInfo is what readFormation returns besides the nodes.
type formationInfo struct {
	dbName             string
	numberSyncStandbys int
	timeouts           Timeouts
	lastEvent          int64
	formations         []string // every formation on the monitor
}

func readFormation(ctx context.Context, conn *pgx.Conn, schema, formation string) (formationInfo, error) {
	var fi formationInfo
	var dbName *string
	var demote, unhealthy, nss *int
	err := conn.QueryRow(ctx, monitorSQL(formationSQL, schema), formation).Scan(&dbName, &nss, &demote, &unhealthy,
		&fi.lastEvent, &fi.formations)
	if err == nil && dbName == nil {
		return fi, &FormationNotFoundError{Name: formation, Known: fi.formations}
	}
	fi.dbName, fi.numberSyncStandbys = deref(dbName, ""), deref(nss, 0)
	fi.timeouts = DefaultTimeouts
	if demote != nil {
		fi.timeouts.PrimaryDemote = time.Duration(*demote) * time.Millisecond
	}
	if unhealthy != nil {
		fi.timeouts.NodeUnhealthy = time.Duration(*unhealthy) * time.Millisecond
	}
	return fi, err
}

func readNodes(ctx context.Context, conn *pgx.Conn, schema, formation string) ([]Node, error) {
	rows, err := conn.Query(ctx, monitorSQL(nodesSQL, schema), formation)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Node, error) {
		var n Node
		var reported, goal, repState, lsn *string
		var pgRunning, quorum *bool
		var tli, prio *int
		var health *int
		err := r.Scan(&n.ID, &n.GroupID, &n.Name, &n.Host, &n.Port, &reported, &goal, &pgRunning, &repState,
			&tli, &lsn, &n.LagBytes, &health, &n.ReportAge, &n.StateChangeAge, &prio, &quorum)
		n.Reported, n.Goal = State(deref(reported, "unknown")), State(deref(goal, "unknown"))
		n.PgIsRunning, n.ReplicationQuorum = deref(pgRunning, true), deref(quorum, true)
		n.RepState, n.LSN = deref(repState, "unknown"), deref(lsn, "")
		n.TLI, n.CandidatePriority, n.Health = deref(tli, 0), deref(prio, 0), Health(deref(health, -1))
		return n, err
	})
}

// ReadEvents returns the formation's events between from and to, oldest first, at most limit.
func ReadEvents(ctx context.Context, conn *pgx.Conn, schema, formation string, from, to time.Time, limit int) ([]Event, error) {
	rows, err := conn.Query(ctx, monitorSQL(eventsSQL, schema), formation, from, to, limit)
	if err != nil {
		return nil, err
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		var reported, goal *string
		err := r.Scan(&e.ID, &e.Time, &e.NodeID, &e.GroupID, &e.NodeName, &e.NodeHost, &e.NodePort, &reported, &goal, &e.Description)
		e.Reported, e.Goal = State(deref(reported, "unknown")), State(deref(goal, "unknown"))
		return e, err
	})
	for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
		events[i], events[j] = events[j], events[i]
	}
	return events, err
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

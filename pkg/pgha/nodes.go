package pgha

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// selfSQL works on a primary and a standby alike (the CASE guards keep pg_current_wal_* from
// raising during recovery). The timeline comes from the current WAL file name on a primary
// because pg_control_checkpoint() only moves after the post-promotion checkpoint.
const selfSQL = `
SELECT pg_is_in_recovery(),
       current_setting('default_transaction_read_only') = 'on',
       CASE WHEN pg_is_in_recovery()
            THEN coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text
            ELSE pg_current_wal_flush_lsn()::text END,
       CASE WHEN pg_is_in_recovery()
            THEN (SELECT received_tli FROM pg_stat_wal_receiver)
            ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
       pg_has_role('pg_read_all_stats', 'USAGE')`

// replicationSQL runs on a node out of recovery; application_name is pgautofailover_standby_<nodeid>.
// replay_lag turns NULL once a standby has caught up on an idle server, hence the coalesce to 0
// when no byte is missing.
const replicationSQL = `
SELECT application_name, coalesce(sync_state, ''),
       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8,
       coalesce(extract(epoch FROM replay_lag)::float8,
                CASE WHEN replay_lsn = pg_current_wal_lsn() THEN 0 END)
  FROM pg_stat_replication`

const standbyAppPrefix = "pgautofailover_standby_"

// replica is one pg_stat_replication row on the primary.
type replica struct {
	syncState  string
	lagBytes   *float64
	lagSeconds *float64
}

// readNode reads one node directly. Failures are returned inside the reading, never raised:
// a dead node is the normal case during a failover.
func readNode(ctx context.Context, conn *pgx.Conn) (NodeReading, map[int64]replica, error) {
	var r NodeReading
	var lsn *string
	if err := conn.QueryRow(ctx, selfSQL).Scan(&r.InRecovery, &r.ReadOnly, &lsn, &r.Timeline, &r.CanSeeStats); err != nil {
		return r, nil, err
	}
	r.LSN = deref(lsn, "")
	if r.InRecovery {
		return r, nil, nil
	}
	rows, err := conn.Query(ctx, replicationSQL)
	if err != nil {
		return r, nil, err
	}
	reps := map[int64]replica{}
	var app string
	var rep replica
	_, err = pgx.ForEachRow(rows, []any{&app, &rep.syncState, &rep.lagBytes, &rep.lagSeconds}, func() error {
		if id, err := strconv.ParseInt(strings.TrimPrefix(app, standbyAppPrefix), 10, 64); err == nil && strings.HasPrefix(app, standbyAppPrefix) {
			reps[id] = rep
		}
		return nil
	})
	return r, reps, err
}

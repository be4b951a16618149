package pgha

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
)

// adminTable is one SHOW result of the PgBouncer admin console, as text rows keyed by column.
type adminTable []map[string]string

// showAdmin runs a SHOW command over the simple protocol (the only one the console speaks)
// and returns the rows as text, which also sidesteps PgBouncer's numeric column types.
func showAdmin(ctx context.Context, conn *pgconn.PgConn, command string) (adminTable, error) {
	results, err := conn.Exec(ctx, command).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(results) != 1 {
		return nil, fmt.Errorf("%s: expected one result, got %d", command, len(results))
	}
	res := results[0]
	if res.Err != nil {
		return nil, res.Err
	}
	out := make(adminTable, 0, len(res.Rows))
	for _, row := range res.Rows {
		m := make(map[string]string, len(row))
		for i, fd := range res.FieldDescriptions {
			m[fd.Name] = string(row[i])
		}
		out = append(out, m)
	}
	return out, nil
}

// readBouncer reads PgBouncer's routing for database and maps it onto the formation's nodes.
func readBouncer(ctx context.Context, conn *pgconn.PgConn, database string, nodes []Node) (Bouncer, error) {
	b := Bouncer{Database: database}
	dbs, err := showAdmin(ctx, conn, "SHOW DATABASES")
	if err != nil {
		return b, err
	}
	servers, err := showAdmin(ctx, conn, "SHOW SERVERS")
	if err != nil {
		return b, err
	}
	MapBouncer(&b, dbs, servers, nodes)
	return b, nil
}

// MapBouncer fills the routing target and the live server connections of b.Database from the
// SHOW DATABASES and SHOW SERVERS rows. Pure, so it is tested without a PgBouncer.
func MapBouncer(b *Bouncer, dbs, servers adminTable, nodes []Node) {
	for _, row := range dbs {
		if row["name"] == b.Database {
			b.TargetHost = row["host"]
			b.TargetPort, _ = strconv.Atoi(row["port"])
			b.TargetNode = MatchNode(nodes, b.TargetHost, b.TargetPort)
		}
	}
	b.Servers, b.Closing = map[string]int{}, map[string]int{}
	for _, row := range servers {
		if row["database"] != b.Database {
			continue
		}
		port, _ := strconv.Atoi(row["port"])
		name := MatchNode(nodes, row["addr"], port)
		b.Servers[name]++
		if row["close_needed"] == "1" {
			b.Closing[name]++
		}
	}
}

package plugin

import (
	"fmt"
	"sort"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// EdgesFrame draws replication (primary → standby, with lag), supervision (monitor → node,
// with health) and routing (PgBouncer → node it sends traffic to, with live connections).
func EdgesFrame(s pgha.Snapshot) *data.Frame {
	id := data.NewField("id", nil, []string{})
	source := data.NewField("source", nil, []string{})
	target := data.NewField("target", nil, []string{})
	mainstat := data.NewField("mainstat", nil, []string{})
	secondarystat := data.NewField("secondarystat", nil, []string{})
	color := data.NewField("color", nil, []string{})
	kind := data.NewField("detail__kind", nil, []string{})
	lagBytes := data.NewField("detail__lag_bytes", nil, []*float64{})
	lagSeconds := data.NewField("detail__lag_seconds", nil, []*float64{})
	syncState := data.NewField("detail__sync_state", nil, []string{})
	servers := data.NewField("detail__servers", nil, []*int64{})
	configured := data.NewField("detail__configured", nil, []bool{})
	add := func(k, from, to, main, second, col string, lb, ls *float64, sync string, srv *int64, conf bool) {
		id.Append(k + "/" + from + "/" + to)
		source.Append(from)
		target.Append(to)
		mainstat.Append(main)
		secondarystat.Append(second)
		color.Append(col)
		kind.Append(k)
		lagBytes.Append(lb)
		lagSeconds.Append(ls)
		syncState.Append(sync)
		servers.Append(srv)
		configured.Append(conf)
	}

	for _, n := range s.Nodes {
		// Replication runs inside a group: from the group's primary to its standbys.
		primary := s.Group(n.GroupID).PrimaryNode()
		if primary == nil || n.Name == primary.Name {
			continue
		}
		lb, ls, sync := n.LagBytes, (*float64)(nil), ""
		if live := n.Live; live != nil && live.Err == nil {
			if live.LagBytes != nil {
				lb = live.LagBytes
			}
			ls, sync = live.LagSeconds, live.SyncState
		}
		col := colorStandby
		if n.Health == pgha.HealthBad || s.Stale {
			col = colorStale
		}
		add("replication", nodeID(primary.Name), nodeID(n.Name), "lag "+lagText(lb, ls), sync, col, lb, ls, sync, nil, true)
	}
	for _, n := range s.Nodes {
		col := colorOK
		switch {
		case s.MonitorErr != nil:
			col = colorStale
		case n.Health == pgha.HealthBad:
			col = colorDown
		}
		add("supervision", monitorID, nodeID(n.Name), "health "+n.Health.String(), string(n.Goal), col, nil, nil, "", nil, true)
	}
	if b := s.Bouncer; b != nil && b.Err == nil {
		routingEdges(b, s.PrimaryNode(), add)
	}
	return data.NewFrame("edges", id, source, target, mainstat, secondarystat, color, kind, lagBytes, lagSeconds,
		syncState, servers, configured).SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeNodeGraph})
}

type edgeAdder func(k, from, to, main, second, col string, lb, ls *float64, sync string, srv *int64, conf bool)

// routingEdges draws the configured target, plus any node PgBouncer still holds connections to
// (after a RELOAD, old connections linger until released: close_needed).
func routingEdges(b *pgha.Bouncer, primary *pgha.Node, add edgeAdder) {
	targets := map[string]bool{}
	if b.TargetNode != "" {
		targets[b.TargetNode] = true
	}
	for name := range b.Servers {
		if name != "" {
			targets[name] = true
		}
	}
	names := make([]string, 0, len(targets))
	for name := range targets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		conf := name == b.TargetNode
		col := colorOK
		if primary == nil || name != primary.Name {
			col = colorDown
		}
		main := fmt.Sprintf("%d servers", b.Servers[name])
		second := "routes " + b.Database
		if !conf {
			second = "leftover connections"
		}
		if c := b.Closing[name]; c > 0 {
			second += fmt.Sprintf(" (%d closing)", c)
		}
		add("routing", bouncerID, nodeID(name), main, second, col, nil, nil, "", i64(b.Servers[name]), conf)
	}
}

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
	id := data.NewField(FieldID, nil, []string{})
	source := data.NewField(FieldSource, nil, []string{})
	target := data.NewField(FieldTarget, nil, []string{})
	mainstat := data.NewField(FieldMainstat, nil, []string{})
	secondarystat := data.NewField("secondarystat", nil, []string{})
	color := data.NewField("color", nil, []string{})
	kind := data.NewField(FieldKind, nil, []string{})
	lagBytes := data.NewField(FieldLagBytes, nil, []*float64{})
	lagSeconds := data.NewField(FieldLagSeconds, nil, []*float64{})
	syncState := data.NewField(FieldSyncState, nil, []string{})
	servers := data.NewField("detail__servers", nil, []*int64{})
	configured := data.NewField(FieldConfigured, nil, []bool{})
	tone := data.NewField(FieldTone, nil, []string{})
	add := func(k, from, to, main, second string, t pgha.Tone, lb, ls *float64, sync string, srv *int64, conf bool) {
		id.Append(k + "/" + from + "/" + to)
		source.Append(from)
		target.Append(to)
		mainstat.Append(main)
		secondarystat.Append(second)
		role := ""
		if k == "replication" {
			role = pgha.RoleStandby
		}
		color.Append(toneColor(t, role))
		tone.Append(string(t))
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
		add("replication", nodeID(primary.Name), nodeID(n.Name), "lag "+lagText(lb, ls), sync, pgha.NodeTone(n, s.Stale),
			lb, ls, sync, nil, true)
	}
	for _, n := range s.Nodes {
		t := pgha.ToneOK
		switch {
		case s.MonitorErr != nil, n.Health == pgha.HealthBad:
			t = pgha.ToneCritical
		case n.Health == pgha.HealthUnknown:
			t = pgha.ToneUnknown
		}
		add("supervision", monitorID, nodeID(n.Name), "health "+n.Health.String(), string(n.Goal), t, nil, nil, "", nil, true)
	}
	if b := s.Bouncer; b != nil && b.Err == nil {
		routingEdges(b, pgha.RoutingOf(s), add)
	}
	return declared(data.NewFrame("edges", id, source, target, mainstat, secondarystat, color, kind, lagBytes, lagSeconds,
		syncState, servers, configured, tone).SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeNodeGraph}))
}

type edgeAdder func(k, from, to, main, second string, t pgha.Tone, lb, ls *float64, sync string, srv *int64, conf bool)

// routingEdges draws the configured target, plus any node PgBouncer still holds connections to
// (after a RELOAD, old connections linger until released: close_needed).
func routingEdges(b *pgha.Bouncer, routing *pgha.Routing, add edgeAdder) {
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
		// The configured route carries PgBouncer's judgement; leftover connections to another node are wrong by
		// definition (they outlive a RELOAD until released).
		t := routing.Tone
		if !conf {
			t = pgha.ToneCritical
		}
		main := fmt.Sprintf("%d servers", b.Servers[name])
		second := "routes " + b.Database
		if !conf {
			second = "leftover connections"
		}
		if c := b.Closing[name]; c > 0 {
			second += fmt.Sprintf(" (%d closing)", c)
		}
		add("routing", bouncerID, nodeID(name), main, second, t, nil, nil, "", i64(b.Servers[name]), conf)
	}
}

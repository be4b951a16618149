package plugin

import (
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// Node ids in the topology frames. Data nodes are "node/<name>".
const (
	monitorID = "monitor"
	bouncerID = "pgbouncer"
)

func nodeID(name string) string { return "node/" + name }

// Colors are Grafana named colors: the Node Graph panel resolves them through the theme.
const (
	colorOK      = "green"
	colorStandby = "blue"
	colorMoving  = "orange"
	colorDown    = "red"
	colorStale   = "grey"
)

// nodesFields is the Node Graph "nodes" frame, one row per monitor, data node and PgBouncer.
// Field names are part of the contract with the topology panel (see docs/pgha.md).
type nodesFields struct {
	id, title, subtitle, mainstat, secondarystat, color          *data.Field
	arcOK, arcWarn, arcBad                                       *data.Field
	kind, role, reported, assigned, connection, health           *data.Field
	timeline, lsn, lagBytes, lagSeconds, reportAge, syncState    *data.Field
	priority, inRecovery, stale, errText, bouncerTarget, servers *data.Field
	tone, answering, routesTo, routingStale                      *data.Field
	group                                                        *data.Field
}

func newNodesFields() *nodesFields {
	arc := func(name, label, color string) *data.Field {
		return data.NewField(name, nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: label,
			Color: map[string]any{"mode": "fixed", "fixedColor": color}})
	}
	return &nodesFields{
		id: data.NewField(FieldID, nil, []string{}), title: data.NewField(FieldTitle, nil, []string{}),
		subtitle: data.NewField(FieldSubtitle, nil, []string{}), mainstat: data.NewField(FieldMainstat, nil, []string{}),
		secondarystat: data.NewField("secondarystat", nil, []string{}), color: data.NewField("color", nil, []string{}),
		arcOK: arc("arc__ok", "ok", colorOK), arcWarn: arc("arc__warn", "changing or stale", colorMoving),
		arcBad: arc("arc__bad", "down", colorDown),
		kind:   data.NewField(FieldKind, nil, []string{}), role: data.NewField(FieldRole, nil, []string{}),
		reported: data.NewField(FieldReported, nil, []string{}), assigned: data.NewField(FieldAssigned, nil, []string{}),
		connection: data.NewField(FieldConnection, nil, []string{}), health: data.NewField(FieldHealth, nil, []string{}),
		timeline: data.NewField(FieldTimeline, nil, []*int64{}), lsn: data.NewField(FieldLSN, nil, []string{}),
		lagBytes: data.NewField(FieldLagBytes, nil, []*float64{}), lagSeconds: data.NewField(FieldLagSeconds, nil, []*float64{}),
		reportAge: data.NewField(FieldReportAge, nil, []*float64{}), syncState: data.NewField(FieldSyncState, nil, []string{}),
		priority: data.NewField(FieldPriority, nil, []*int64{}), inRecovery: data.NewField("detail__in_recovery", nil, []*bool{}),
		stale: data.NewField(FieldStale, nil, []bool{}), errText: data.NewField(FieldError, nil, []string{}),
		bouncerTarget: data.NewField(FieldBouncerTgt, nil, []string{}), servers: data.NewField(FieldBouncerSrv, nil, []*int64{}),
		tone: data.NewField(FieldTone, nil, []string{}), answering: data.NewField(FieldAnswering, nil, []bool{}),
		routesTo: data.NewField(FieldRoutesTo, nil, []string{}), routingStale: data.NewField(FieldRoutingStale, nil, []bool{}),
		group: data.NewField(FieldNodeGroup, nil, []*int64{}),
	}
}

// row is one node of the graph before it is appended to the fields.
type row struct {
	id, title, subtitle, mainstat, secondarystat, color string
	kind, role, reported, assigned, connection, health  string
	timeline                                            *int64
	lsn                                                 string
	lagBytes, lagSeconds, reportAge                     *float64
	syncState                                           string
	priority                                            *int64
	inRecovery                                          *bool
	stale                                               bool
	errText, bouncerTarget                              string
	servers                                             *int64
	tone                                                pgha.Tone
	answering, routingStale                             bool
	routesTo                                            string
	group                                               *int64 // data nodes only
}

func (f *nodesFields) append(r row) {
	ok, warn, bad := 0.0, 0.0, 0.0
	switch r.color {
	case colorOK, colorStandby:
		ok = 1
	case colorDown:
		bad = 1
	default:
		warn = 1
	}
	f.id.Append(r.id)
	f.title.Append(r.title)
	f.subtitle.Append(r.subtitle)
	f.mainstat.Append(r.mainstat)
	f.secondarystat.Append(r.secondarystat)
	f.color.Append(r.color)
	f.arcOK.Append(ok)
	f.arcWarn.Append(warn)
	f.arcBad.Append(bad)
	f.kind.Append(r.kind)
	f.role.Append(r.role)
	f.reported.Append(r.reported)
	f.assigned.Append(r.assigned)
	f.connection.Append(r.connection)
	f.health.Append(r.health)
	f.timeline.Append(r.timeline)
	f.lsn.Append(r.lsn)
	f.lagBytes.Append(r.lagBytes)
	f.lagSeconds.Append(r.lagSeconds)
	f.reportAge.Append(r.reportAge)
	f.syncState.Append(r.syncState)
	f.priority.Append(r.priority)
	f.inRecovery.Append(r.inRecovery)
	f.stale.Append(r.stale)
	f.errText.Append(r.errText)
	f.bouncerTarget.Append(r.bouncerTarget)
	f.servers.Append(r.servers)
	f.tone.Append(string(r.tone))
	f.answering.Append(r.answering)
	f.routesTo.Append(r.routesTo)
	f.routingStale.Append(r.routingStale)
	f.group.Append(r.group)
}

func (f *nodesFields) frame() *data.Frame {
	return declared(data.NewFrame("nodes", f.id, f.title, f.subtitle, f.mainstat, f.secondarystat, f.color, f.arcOK, f.arcWarn, f.arcBad,
		f.kind, f.role, f.reported, f.assigned, f.connection, f.health, f.timeline, f.lsn, f.lagBytes, f.lagSeconds,
		f.reportAge, f.syncState, f.priority, f.inRecovery, f.stale, f.errText, f.bouncerTarget, f.servers,
		f.tone, f.answering, f.routesTo, f.routingStale, f.group).
		SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeNodeGraph}))
}

// NodesFrame draws the monitor, every data node and PgBouncer.
func NodesFrame(s pgha.Snapshot, st pgha.Status) *data.Frame {
	f := newNodesFields()
	mon := row{id: monitorID, title: "monitor", subtitle: s.MonitorAddress, kind: "monitor", role: "monitor",
		mainstat: "monitor", secondarystat: string(st.Verdict), color: colorOK, tone: pgha.ToneOK, answering: true}
	if s.MonitorErr != nil {
		mon.mainstat, mon.color, mon.errText = "unreachable", colorDown, s.MonitorErr.Error()
		mon.tone, mon.answering = pgha.ToneCritical, false
	}
	f.append(mon)
	for _, n := range s.Nodes {
		// Each group has its own primary (group 0's is the formation's).
		p := s.Group(n.GroupID).PrimaryNode()
		f.append(dataNodeRow(s, n, p != nil && p.Name == n.Name))
	}
	if b := s.Bouncer; b != nil {
		f.append(bouncerRow(b, pgha.RoutingOf(s)))
	}
	return f.frame()
}

func dataNodeRow(s pgha.Snapshot, n pgha.Node, isPrimary bool) row {
	r := row{id: nodeID(n.Name), title: n.Name, subtitle: n.Address(), kind: "node", role: pgha.RoleOf(n, isPrimary),
		reported: string(n.Reported), assigned: string(n.Goal), connection: n.Reported.Connection(), health: n.Health.String(),
		lsn: n.LSN, lagBytes: n.LagBytes, reportAge: n.ReportAge, syncState: n.RepState, stale: s.Stale,
		priority: i64(n.CandidatePriority), timeline: i64(n.TLI), group: i64(n.GroupID)}
	r.mainstat = string(n.Reported)
	if !n.Converged() {
		r.mainstat = fmt.Sprintf("%s → %s", n.Reported, n.Goal)
	}
	if live := n.Live; live != nil {
		if live.Err != nil {
			r.errText = live.Err.Error()
		} else {
			r.inRecovery = &live.InRecovery
			if live.LSN != "" {
				r.lsn = live.LSN
			}
			if live.Timeline != nil {
				r.timeline = i64(*live.Timeline)
			}
			if live.LagBytes != nil {
				r.lagBytes = live.LagBytes
			}
			r.lagSeconds = live.LagSeconds
			if live.SyncState != "" {
				r.syncState = live.SyncState
			}
			if !live.CanSeeStats {
				r.errText = "node role lacks pg_read_all_stats: lag and sync state hidden"
			}
		}
	}
	if isPrimary {
		r.secondarystat = fmt.Sprintf("TLI %d · %s", deref(r.timeline), r.lsn)
	} else {
		r.secondarystat = "lag " + lagText(r.lagBytes, r.lagSeconds)
	}
	if b := s.Bouncer; b != nil && b.Err == nil {
		r.servers = i64(b.Servers[n.Name])
	}
	r.tone, r.answering = pgha.NodeTone(n, s.Stale), n.Answering()
	r.color = toneColor(r.tone, r.role)
	return r
}

// toneColor is the Node Graph colour of a tone (Grafana named colours); a settled standby is blue so the
// primary stands out.
func toneColor(t pgha.Tone, role string) string {
	switch t {
	case pgha.ToneOK:
		if role == pgha.RoleStandby {
			return colorStandby
		}
		return colorOK
	case pgha.ToneCritical:
		return colorDown
	case pgha.ToneUnknown:
		return colorStale
	}
	return colorMoving
}

func bouncerRow(b *pgha.Bouncer, routing *pgha.Routing) row {
	r := row{id: bouncerID, title: "PgBouncer", subtitle: b.Address, kind: "pgbouncer", role: "pgbouncer",
		bouncerTarget: b.Target(), answering: b.Err == nil, routesTo: routing.RoutesTo, routingStale: routing.Stale,
		tone: routing.Tone}
	if routing.RoutesTo != "" {
		r.routesTo = nodeID(routing.RoutesTo)
	}
	switch {
	case b.Err != nil:
		r.mainstat, r.errText, r.tone = "unreachable", b.Err.Error(), pgha.ToneCritical
	case b.TargetPort == 0:
		r.mainstat = "no database " + b.Database
	default:
		target := b.TargetNode
		if target == "" {
			target = b.Target()
		}
		r.mainstat = fmt.Sprintf("%s → %s", b.Database, target)
	}
	if routing.Why != "" && r.errText == "" {
		r.errText = routing.Why
	}
	r.color = toneColor(r.tone, r.role)
	total := 0
	for _, c := range b.Servers {
		total += c
	}
	if b.Err == nil {
		r.servers = i64(total)
		r.secondarystat = fmt.Sprintf("%d server connections", total)
	}
	return r
}

func i64(v int) *int64 {
	x := int64(v)
	return &x
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func lagText(bytes, seconds *float64) string {
	out := "?"
	if bytes != nil {
		out = humanBytes(*bytes)
	}
	if seconds != nil {
		out += fmt.Sprintf(" · %.1f s", *seconds)
	}
	return out
}

func humanBytes(b float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

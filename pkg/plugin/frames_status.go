package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// StatusFrame is one row: the verdict, its reason and the runbook to open.
func StatusFrame(s pgha.Snapshot, st pgha.Status) *data.Frame {
	primaryAddr := ""
	if p := s.PrimaryNode(); p != nil {
		primaryAddr = p.Address()
	}
	target := ""
	if s.Bouncer != nil && s.Bouncer.Err == nil {
		target = s.Bouncer.Target()
	}
	var staleSince []*time.Time
	if s.Stale {
		t := s.StaleSince
		staleSince = append(staleSince, &t)
	} else {
		staleSince = append(staleSince, nil)
	}
	return data.NewFrame("status",
		data.NewField("time", nil, []time.Time{s.ReadAt}),
		data.NewField("verdict", nil, []string{string(st.Verdict)}),
		data.NewField("reason", nil, []string{st.Reason}),
		data.NewField("runbook", nil, []string{st.Runbook}),
		data.NewField("formation", nil, []string{s.Formation}),
		data.NewField("primary", nil, []string{st.Primary}),
		data.NewField("primary_address", nil, []string{primaryAddr}),
		data.NewField("pgbouncer_target", nil, []string{target}),
		data.NewField("monitor", nil, []string{s.MonitorAddress}),
		data.NewField("stale", nil, []bool{s.Stale}),
		data.NewField("stale_since", nil, staleSince),
		data.NewField("last_event_id", nil, []int64{s.LastEvent}),
	)
}

// EventsFrame lists state changes. time/timeEnd/title/text/tags make it usable as Grafana
// annotations without any field mapping.
func EventsFrame(events []pgha.Event) *data.Frame {
	f := data.NewFrame("events",
		data.NewField("time", nil, []time.Time{}), data.NewField("timeEnd", nil, []time.Time{}),
		data.NewField("title", nil, []string{}), data.NewField("text", nil, []string{}), data.NewField("tags", nil, []string{}),
		data.NewField("node", nil, []string{}), data.NewField("from", nil, []string{}), data.NewField("to", nil, []string{}),
		data.NewField("description", nil, []string{}), data.NewField("event_id", nil, []int64{}),
		data.NewField("node_id", nil, []int64{}), data.NewField("group_id", nil, []int64{}))
	for _, e := range events {
		title := e.NodeName + ": " + string(e.Reported)
		if e.Reported != e.Goal {
			title += " → " + string(e.Goal)
		}
		f.AppendRow(e.Time, e.Time, title, e.Description, "pg_auto_failover,"+e.NodeName+","+string(e.Goal),
			e.NodeName, string(e.Reported), string(e.Goal), e.Description, e.ID, e.NodeID, int64(e.GroupID))
	}
	return f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
}

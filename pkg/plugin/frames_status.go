package plugin

import (
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// fieldLastFailoverAt is when the last failover began (a time, so not a measure).
const fieldLastFailoverAt = "last_failover_time"

func boolNumber(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// verdictMappings shows each verdict code as its name in stock panels and alert previews.
func verdictMappings() data.ValueMappings {
	m := data.ValueMapper{}
	for i, v := range pgha.VerdictCodes {
		m[strconv.Itoa(i)] = data.ValueMappingResult{Text: string(v), Index: i}
	}
	return data.ValueMappings{m}
}

// StatusFrame is one row: the verdict, its reason and the runbook to open, then the numbers an alert rule can use.
// lastFailover is the most recent unrequested failover among the monitor's recent events (nil: none, or the events
// could not be read).
func StatusFrame(s pgha.Snapshot, st pgha.Status, lastFailover *pgha.Episode) *data.Frame {
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
	f := data.NewFrame("status",
		data.NewField(FieldTime, nil, []time.Time{s.ReadAt}),
		data.NewField(FieldVerdict, nil, []string{string(st.Verdict)}),
		data.NewField(FieldReason, nil, []string{st.Reason}),
		data.NewField(FieldRunbook, nil, []string{st.Runbook}),
		data.NewField(FieldFormation, nil, []string{s.Formation}),
		data.NewField(FieldPrimary, nil, []string{st.Primary}),
		data.NewField(FieldPrimaryAddr, nil, []string{primaryAddr}),
		data.NewField(FieldStatusBouncer, nil, []string{target}),
		data.NewField("monitor", nil, []string{s.MonitorAddress}),
		data.NewField(FieldStatusStale, nil, []bool{s.Stale}),
		data.NewField(FieldStaleSince, nil, staleSince),
		data.NewField(FieldVerdictTone, nil, []string{string(pgha.VerdictTone(st.Verdict))}),
		data.NewField("last_event_id", nil, []int64{s.LastEvent}),
	)
	m := pgha.Measure(s, st)
	var failoverAt *time.Time
	var failoverSeconds *float64
	if lastFailover != nil {
		at := lastFailover.Start
		failoverAt = &at
		if lastFailover.WritableAfter != nil {
			v := lastFailover.WritableAfter.Seconds()
			failoverSeconds = &v
		}
	}
	f.Fields = append(f.Fields,
		data.NewField(models.MeasureHealthy, nil, []int64{boolNumber(m.Healthy)}),
		data.NewField(models.MeasureVerdictCode, nil, []int64{int64(m.VerdictCode)}).SetConfig(&data.FieldConfig{
			Mappings: verdictMappings()}),
		data.NewField(models.MeasureMaxLagBytes, nil, []*float64{m.MaxLagBytes}).SetConfig(&data.FieldConfig{Unit: "bytes"}),
		data.NewField(models.MeasureSinceStateChange, nil, []*float64{m.SinceStateChange}).SetConfig(&data.FieldConfig{Unit: "s"}),
		data.NewField(models.MeasureEligibleStandbys, nil, []int64{int64(m.EligibleStandbys)}),
		data.NewField(models.MeasureRoutingStale, nil, []int64{boolNumber(m.RoutingStale)}),
		data.NewField(fieldLastFailoverAt, nil, []*time.Time{failoverAt}),
		data.NewField(models.MeasureLastFailoverSeconds, nil, []*float64{failoverSeconds}).SetConfig(&data.FieldConfig{Unit: "s"}),
	)
	f.Fields = append(f.Fields, statusGroupFields(s)...)
	return declared(f)
}

// MeasuresFrame is the status frame's numbers alone, as Grafana alerting wants them: a wide time series (one time
// field, numeric fields only, labelled by formation), so each number becomes one series an alert rule reduces and
// thresholds. only names one measure (models.Measures) or is "" for all.
func MeasuresFrame(s pgha.Snapshot, st pgha.Status, lastFailover *pgha.Episode, only string) *data.Frame {
	status := StatusFrame(s, st, lastFailover)
	labels := data.Labels{"formation": s.Formation}
	f := data.NewFrame("measures", status.Fields[0])
	for _, name := range models.Measures {
		if only != "" && name != only {
			continue
		}
		field, _ := status.FieldByName(name)
		field.Labels = labels
		f.Fields = append(f.Fields, field)
	}
	return f
}

// EventsFrame lists state changes. time/timeEnd/title/text/tags make it usable as Grafana
// annotations without any field mapping.
func EventsFrame(events []pgha.Event) *data.Frame {
	f := data.NewFrame("events",
		data.NewField(FieldTime, nil, []time.Time{}), data.NewField(FieldTimeEnd, nil, []time.Time{}),
		data.NewField(FieldTitle, nil, []string{}), data.NewField(FieldText, nil, []string{}), data.NewField(FieldTags, nil, []string{}),
		data.NewField(FieldNode, nil, []string{}), data.NewField(FieldFrom, nil, []string{}), data.NewField(FieldTo, nil, []string{}),
		data.NewField(FieldDescription, nil, []string{}), data.NewField(FieldEventID, nil, []int64{}),
		data.NewField("node_id", nil, []int64{}), data.NewField("group_id", nil, []int64{}))
	for _, e := range events {
		title := e.NodeName + ": " + string(e.Reported)
		if e.Reported != e.Goal {
			title += " → " + string(e.Goal)
		}
		f.AppendRow(e.Time, e.Time, title, e.Description, "pg_auto_failover,"+e.NodeName+","+string(e.Goal),
			e.NodeName, string(e.Reported), string(e.Goal), e.Description, e.ID, e.NodeID, int64(e.GroupID))
	}
	return declared(f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable}))
}

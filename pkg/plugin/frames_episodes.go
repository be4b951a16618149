package plugin

import (
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// EpisodesFrame has one row per failover episode. time, timeEnd, title, text and tags make each row a Grafana
// annotation region without any field mapping; the other fields carry the episode's facts for the app and tables.
func EpisodesFrame(episodes []pgha.Episode) *data.Frame {
	f := data.NewFrame("episodes",
		data.NewField(FieldTime, nil, []time.Time{}), data.NewField(FieldTimeEnd, nil, []time.Time{}),
		data.NewField(FieldTitle, nil, []string{}), data.NewField(FieldText, nil, []string{}),
		data.NewField(FieldTags, nil, []string{}), data.NewField(FieldEpKind, nil, []string{}),
		data.NewField(FieldPrimaryBef, nil, []string{}), data.NewField(FieldPrimaryAft, nil, []string{}),
		data.NewField(FieldWritable, nil, []*float64{}).SetConfig(&data.FieldConfig{Unit: "s"}),
		data.NewField(FieldSettled, nil, []bool{}), data.NewField(FieldEvents, nil, []int64{}),
		data.NewField(FieldFirstEvent, nil, []int64{}), data.NewField(FieldLastEvent, nil, []int64{}))
	for _, ep := range episodes {
		var writable *float64
		if ep.WritableAfter != nil {
			v := ep.WritableAfter.Seconds()
			writable = &v
		}
		// Tags let a dashboard filter annotations: every episode, its kind, and the nodes it moved between.
		tags := []string{"pg_auto_failover", "episode", strings.ReplaceAll(string(ep.Kind), " ", "_")}
		for _, n := range []string{ep.PrimaryBefore, ep.PrimaryAfter} {
			if n != "" && !slices.Contains(tags, n) {
				tags = append(tags, n)
			}
		}
		f.AppendRow(ep.Start, ep.End, ep.Title, ep.Detail, strings.Join(tags, ","), string(ep.Kind), ep.PrimaryBefore,
			ep.PrimaryAfter, writable, ep.Settled, int64(len(ep.Events)), ep.Events[0].ID, ep.Events[len(ep.Events)-1].ID)
	}
	return declared(f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable}))
}

// FailoverObjectiveFrames judge the range's failovers against the objective: "failover_objective" (one row: the
// objective, counts, the ratio, whether it is met, the worst failover) and "failovers" (one row per failover with
// its time to writable and verdict, pending ones included).
func FailoverObjectiveFrames(episodes []pgha.Episode, o pgha.FailoverObjective, now time.Time) data.Frames {
	r := pgha.EvaluateFailovers(episodes, o, now)
	summary := data.NewFrame("failover_objective",
		data.NewField("objective", nil, []float64{o.Target}).SetConfig(&data.FieldConfig{Unit: "percentunit"}),
		data.NewField("writable_within_seconds", nil, []float64{o.WritableWithin.Seconds()}).SetConfig(&data.FieldConfig{Unit: "s"}),
		data.NewField("failovers", nil, []int64{int64(r.Failovers)}),
		data.NewField("met", nil, []int64{int64(r.Met)}),
		data.NewField("missed", nil, []int64{int64(r.Missed)}),
		data.NewField("pending", nil, []int64{int64(r.Pending)}),
		data.NewField("ratio", nil, []*float64{r.Ratio}).SetConfig(&data.FieldConfig{Unit: "percentunit"}),
		data.NewField("meets", nil, []bool{r.Meets}),
		data.NewField("worst_title", nil, []string{""}),
		data.NewField("worst_time", nil, []*time.Time{nil}),
		data.NewField("worst_writable_seconds", nil, []*float64{nil}).SetConfig(&data.FieldConfig{Unit: "s"}),
	)
	if r.Worst != nil {
		summary.Fields[8].Set(0, r.Worst.Title)
		start := r.Worst.Start
		summary.Fields[9].Set(0, &start)
		if r.Worst.WritableAfter != nil {
			v := r.Worst.WritableAfter.Seconds()
			summary.Fields[10].Set(0, &v)
		}
	}
	rows := data.NewFrame("failovers",
		data.NewField("time", nil, []time.Time{}), data.NewField("title", nil, []string{}),
		data.NewField("writable_after_seconds", nil, []*float64{}).SetConfig(&data.FieldConfig{Unit: "s"}),
		data.NewField("verdict", nil, []string{}))
	for _, ep := range episodes {
		v, ok := pgha.JudgeFailover(ep, o, now)
		if !ok {
			continue
		}
		var w *float64
		if ep.WritableAfter != nil {
			s := ep.WritableAfter.Seconds()
			w = &s
		}
		rows.AppendRow(ep.Start, ep.Title, w, string(v))
	}
	return data.Frames{summary, rows.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})}
}

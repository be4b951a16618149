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
		data.NewField("time", nil, []time.Time{}), data.NewField("timeEnd", nil, []time.Time{}),
		data.NewField("title", nil, []string{}), data.NewField("text", nil, []string{}),
		data.NewField("tags", nil, []string{}), data.NewField("kind", nil, []string{}),
		data.NewField("primary_before", nil, []string{}), data.NewField("primary_after", nil, []string{}),
		data.NewField("writable_after_seconds", nil, []*float64{}).SetConfig(&data.FieldConfig{Unit: "s"}),
		data.NewField("settled", nil, []bool{}), data.NewField("events", nil, []int64{}),
		data.NewField("first_event_id", nil, []int64{}), data.NewField("last_event_id", nil, []int64{}))
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
	return f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
}

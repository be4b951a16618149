package plugin

import (
	"time"

	"flag"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/veza/slo/pkg/internal/testevents"
	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// Golden frames are rewritten only with: go test ./pkg/plugin -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden.jsonc")

func golden(t *testing.T, name string, frames ...*data.Frame) {
	t.Helper()
	experimental.CheckGoldenJSONResponse(t, "testdata", name+".golden", &backend.DataResponse{Frames: frames}, *update)
}

func TestGoldenTopologyHealthy(t *testing.T) {
	s := healthySnapshot()
	golden(t, "topology_healthy", NodesFrame(s, pgha.Classify(s)), EdgesFrame(s))
}

func TestGoldenTopologyFailover(t *testing.T) {
	s := failoverSnapshot()
	golden(t, "topology_failover", NodesFrame(s, pgha.Classify(s)), EdgesFrame(s))
}

// verdictSnapshots are one fixture per verdict beyond the three above: their golden frames are what the app's
// tests render (src/panels/topology/golden.ts), so every verdict the panel can show comes from Go.
func verdictSnapshots() map[string]pgha.Snapshot {
	return map[string]pgha.Snapshot{"primary_lost": primaryLostSnapshot(), "degraded": degradedSnapshot(),
		"wedged": wedgedSnapshot(), "routing_stale": routingStaleSnapshot()}
}

func TestGoldenTopologyPerVerdict(t *testing.T) {
	for name, s := range verdictSnapshots() {
		golden(t, "topology_"+name, NodesFrame(s, pgha.Classify(s)), EdgesFrame(s))
	}
}

func TestGoldenTopologyMonitorDown(t *testing.T) {
	s := monitorDownSnapshot()
	golden(t, "topology_monitor_down", NodesFrame(s, pgha.Classify(s)), EdgesFrame(s))
}

// recordedEpisodes folds the events recorded from the stack's monitor (pkg/pgha/testdata/formation-events.json).
func recordedEpisodes(t *testing.T) []pgha.Episode {
	t.Helper()
	events, err := testevents.Recorded()
	if err != nil {
		t.Fatal(err)
	}
	return pgha.FoldEpisodes(events)
}

func TestGoldenStatus(t *testing.T) {
	eps := recordedEpisodes(t)
	for name, s := range map[string]pgha.Snapshot{"status_healthy": healthySnapshot(), "status_failover": failoverSnapshot(),
		"status_monitor_down": monitorDownSnapshot()} {
		golden(t, name, StatusFrame(s, pgha.Classify(s), pgha.LastFailover(eps)))
	}
	for name, s := range verdictSnapshots() {
		golden(t, "status_"+name, StatusFrame(s, pgha.Classify(s), pgha.LastFailover(eps)))
	}
}

func TestGoldenEvents(t *testing.T) {
	golden(t, "events", EventsFrame(sampleEvents()))
}

func TestGoldenEpisodes(t *testing.T) {
	golden(t, "episodes", EpisodesFrame(recordedEpisodes(t)))
	// The events those episodes fold, as the events query answers them: the app joins them by event id.
	events, err := testevents.Recorded()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "episodes_events", EventsFrame(events))
}

// Grafana alerting turns a wide time series (one time field, numeric fields only) into one series per field; a
// string or bool field would make it a long frame and turn texts into labels. This is the schema check Grafana's
// expression engine makes (data.Frame.TimeSeriesSchema).
func TestMeasuresFrameIsAWideNumericSeries(t *testing.T) {
	for _, s := range []pgha.Snapshot{healthySnapshot(), failoverSnapshot(), monitorDownSnapshot()} {
		f := MeasuresFrame(s, pgha.Classify(s), nil, "")
		if schema := f.TimeSeriesSchema(); schema.Type != data.TimeSeriesTypeWide {
			t.Fatalf("measures frame is %s, want wide", schema.Type)
		}
		if len(f.Fields) != 1+len(models.Measures) {
			t.Fatalf("%d fields, want time + %d measures", len(f.Fields), len(models.Measures))
		}
		for _, field := range f.Fields[1:] {
			if !field.Type().Numeric() || field.Labels["formation"] != s.Formation {
				t.Errorf("%s: %s labels %v", field.Name, field.Type(), field.Labels)
			}
		}
	}
	one := MeasuresFrame(healthySnapshot(), pgha.Classify(healthySnapshot()), nil, models.MeasureHealthy)
	if len(one.Fields) != 2 || one.Fields[1].Name != models.MeasureHealthy {
		t.Fatalf("one measure: %v", one.Fields)
	}
}

// The Node Graph panel needs these exact field names; a rename breaks stock panels silently.
func TestNodeGraphFieldContract(t *testing.T) {
	s := healthySnapshot()
	nodes, edges := NodesFrame(s, pgha.Classify(s)), EdgesFrame(s)
	for _, name := range []string{"id", "title", "subtitle", "mainstat", "secondarystat", "color", "arc__ok", "arc__warn", "arc__bad",
		"detail__role", "detail__lag_bytes", "detail__lag_seconds", "detail__timeline", "detail__lsn", "detail__report_age_seconds",
		"detail__sync_state", "detail__candidate_priority", "detail__reported_state", "detail__assigned_state", "detail__health"} {
		if _, i := nodes.FieldByName(name); i < 0 {
			t.Errorf("nodes frame lacks %s", name)
		}
	}
	for _, name := range []string{"id", "source", "target", "mainstat", "detail__kind", "detail__lag_bytes"} {
		if _, i := edges.FieldByName(name); i < 0 {
			t.Errorf("edges frame lacks %s", name)
		}
	}
	// Arcs must add up to 1 on every row.
	for i := 0; i < nodes.Rows(); i++ {
		sum := 0.0
		for _, arc := range []string{"arc__ok", "arc__warn", "arc__bad"} {
			f, _ := nodes.FieldByName(arc)
			sum += f.At(i).(float64)
		}
		if sum != 1 {
			t.Errorf("row %d arcs sum to %v", i, sum)
		}
	}
	// Every edge ends on a node of the nodes frame.
	ids := map[string]bool{}
	idf, _ := nodes.FieldByName("id")
	for i := 0; i < idf.Len(); i++ {
		ids[idf.At(i).(string)] = true
	}
	src, _ := edges.FieldByName("source")
	dst, _ := edges.FieldByName("target")
	for i := 0; i < src.Len(); i++ {
		if !ids[src.At(i).(string)] || !ids[dst.At(i).(string)] {
			t.Errorf("edge %d %s → %s dangles", i, src.At(i), dst.At(i))
		}
	}
}

// The recorded failovers against 95 % within 30 s and against a limit none of them meets: the golden file is the
// contract the app's Postgres HA page reads.
func TestGoldenFailoverObjective(t *testing.T) {
	eps := recordedEpisodes(t)
	now := eps[len(eps)-1].End.Add(time.Hour)
	golden(t, "failover_objective", FailoverObjectiveFrames(eps, pgha.FailoverObjective{Target: 0.95, WritableWithin: 30 * time.Second}, now)...)
	strict := FailoverObjectiveFrames(eps, pgha.FailoverObjective{Target: 0.95, WritableWithin: time.Millisecond}, now)
	if met, _ := strict[0].FieldByName("met"); met.At(0).(int64) != 0 {
		t.Fatalf("1 ms limit: %v failovers met", met.At(0))
	}
	if meets, _ := strict[0].FieldByName("meets"); meets.At(0).(bool) {
		t.Fatal("1 ms limit: objective reported met")
	}
}

func TestGoldenLargerFormations(t *testing.T) {
	eps := recordedEpisodes(t)
	three, two := threeNodeSnapshot(), twoGroupsSnapshot()
	golden(t, "topology_three_nodes", NodesFrame(three, pgha.Classify(three)), EdgesFrame(three))
	golden(t, "status_three_nodes", StatusFrame(three, pgha.Classify(three), pgha.LastFailover(eps)), GroupsFrame(three))
	golden(t, "topology_two_groups", NodesFrame(two, pgha.Classify(two)), EdgesFrame(two))
	golden(t, "status_two_groups", StatusFrame(two, pgha.Classify(two), pgha.LastFailover(eps)), GroupsFrame(two))
}

package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// withSnapshot makes the instance's own formation answer s (as if just read), without a monitor.
func withSnapshot(t *testing.T, s pgha.Snapshot) *Datasource {
	t.Helper()
	d := newInstance(t, downMonitor(t))
	s.ReadAt = time.Now()
	d.shared.maxAge = time.Hour
	d.shared.latest = &s
	return d
}

func answer(t *testing.T, d *Datasource, queryType, model string) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(context.Background(), request(query(queryType, model)))
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses["A"]
}

func cell(t *testing.T, f *data.Frame, field string, row int) any {
	t.Helper()
	fl, _ := f.FieldByName(field)
	if fl == nil {
		t.Fatalf("frame %s has no field %s", f.Name, field)
	}
	if v, ok := fl.ConcreteAt(row); ok {
		return v
	}
	return nil
}

func TestGroupOptionNarrowsEveryAnswer(t *testing.T) {
	d := withSnapshot(t, twoGroupsSnapshot())

	all := answer(t, d, "status", `{}`)
	if all.Error != nil || cell(t, all.Frames[0], "verdict", 0) != "degraded" || cell(t, all.Frames[0], FieldGroup, 0) != int64(1) ||
		cell(t, all.Frames[0], "groups", 0) != int64(2) {
		t.Fatalf("formation status: %v %v", all.Error, all.Frames)
	}
	g0 := answer(t, d, "status", `{"group":0}`)
	if g0.Error != nil || cell(t, g0.Frames[0], "verdict", 0) != "healthy" || cell(t, g0.Frames[0], FieldGroup, 0) != int64(0) {
		t.Fatalf("group 0 status: %v %v", g0.Error, g0.Frames)
	}
	g1 := answer(t, d, "status", `{"group":1}`)
	if reason := cell(t, g1.Frames[0], "reason", 0).(string); cell(t, g1.Frames[0], "verdict", 0) != "degraded" ||
		!strings.HasPrefix(reason, "worker1b is down") || cell(t, g1.Frames[0], "pgbouncer_target", 0) != "" {
		t.Fatalf("group 1 status (PgBouncer belongs to group 0): %v", g1.Frames[0])
	}

	topo := answer(t, d, "topology", `{"group":1,"live":true}`)
	nodes := topo.Frames[0]
	if topo.Error != nil || nodes.Rows() != 3 || cell(t, nodes, "id", 1) != "node/worker1a" || cell(t, nodes, FieldNodeGroup, 2) != int64(1) {
		t.Fatalf("group 1 topology: monitor and the two workers, no PgBouncer: %v", nodes)
	}
	if nodes.Meta.Channel != "" || len(nodes.Meta.Notices) != 1 || !strings.Contains(nodes.Meta.Notices[0].Text, "live updates follow") {
		t.Fatalf("a group is not streamed, and the panel is told: %+v", nodes.Meta)
	}
	if own := answer(t, d, "topology", `{"live":true}`); own.Frames[0].Meta.Channel != "ds/pgha-uid/topology" {
		t.Fatalf("the data source's formation still streams: %+v", own.Frames[0].Meta)
	}

	groups := answer(t, d, "groups", `{}`)
	if groups.Error != nil || groups.Frames[0].Rows() != 2 || cell(t, groups.Frames[0], "verdict", 1) != "degraded" ||
		cell(t, groups.Frames[0], "primary", 1) != "worker1a" {
		t.Fatalf("groups: %v %v", groups.Error, groups.Frames)
	}
}

func TestUnknownGroupSaysWhichExist(t *testing.T) {
	d := withSnapshot(t, twoGroupsSnapshot())
	for _, qt := range []string{"topology", "status", "groups", "measures", "events"} {
		r := answer(t, d, qt, `{"group":5}`)
		if r.Error == nil || r.Error.Error() != `group 5 not found in formation "default"; groups: 0, 1` || r.Status != backend.StatusBadRequest {
			t.Errorf("%s: %v (%d)", qt, r.Error, r.Status)
		}
	}
}

func TestOtherFormationOnADownMonitorKeepsNoReader(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	r := answer(t, d, "status", `{"formation":"analytics"}`)
	if r.Error == nil || !strings.HasPrefix(r.Error.Error(), `formation "analytics": monitor 127.0.0.1:`) || r.Status != backend.StatusBadGateway {
		t.Fatalf("%v (%d)", r.Error, r.Status)
	}
	if len(d.others) != 0 {
		t.Fatalf("a formation the monitor never confirmed keeps a reader: %v", d.others)
	}
	if r := answer(t, d, "status", `{"formation":"bad name"}`); r.Error == nil || !strings.HasPrefix(r.Error.Error(), `formation "bad name"`) {
		t.Fatalf("%v", r.Error)
	}
}

func TestNoReaderOpensAfterDispose(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	d.Dispose()
	if r := answer(t, d, "status", `{"formation":"analytics"}`); r.Error == nil || !strings.Contains(r.Error.Error(), "instance closed") || len(d.others) != 0 {
		t.Fatalf("%v, readers %d", r.Error, len(d.others))
	}
}

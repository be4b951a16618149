package plugin

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

const secret = "S3cr3t-pw!"

// closedPort is a loopback port nobody listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port
}

func newInstance(t *testing.T, jsonData string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "pgha-uid", JSONData: json.RawMessage(jsonData),
		DecryptedSecureJSONData: map[string]string{"monitorPassword": secret, "pgbouncerPassword": secret, "nodePassword": secret}})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	t.Cleanup(func() { inst.(instancemgmt.InstanceDisposer).Dispose() })
	return d
}

func query(queryType, model string) backend.DataQuery {
	return backend.DataQuery{RefID: "A", QueryType: queryType, JSON: json.RawMessage(model),
		TimeRange: backend.TimeRange{From: time.Now().Add(-time.Hour), To: time.Now()}}
}

func request(queries ...backend.DataQuery) *backend.QueryDataRequest {
	return &backend.QueryDataRequest{Queries: queries, PluginContext: backend.PluginContext{
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "pgha-uid"}}}
}

func downMonitor(t *testing.T) string {
	p := strconv.Itoa(closedPort(t))
	return `{"monitorHost":"127.0.0.1","monitorPort":` + p + `,"pgbouncerHost":"127.0.0.1","pgbouncerPort":` + p +
		`,"nodeUser":"grafana","sslMode":"disable","connectTimeoutMs":500}`
}

func TestMonitorDownGivesVerdictNotPanicOrPassword(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	resp, err := d.QueryData(context.Background(), request(query("status", `{}`)))
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("status query: %v", r.Error)
	}
	verdict, _ := r.Frames[0].FieldByName("verdict")
	reason, _ := r.Frames[0].FieldByName("reason")
	if verdict.At(0) != "monitor unreachable" || !strings.Contains(reason.At(0).(string), "connection refused") {
		t.Fatalf("verdict %v: %v", verdict.At(0), reason.At(0))
	}
	b, _ := json.Marshal(resp)
	if strings.Contains(string(b), secret) {
		t.Fatal("password leaked into the query response")
	}
}

func TestHealthReportsEachComponentWithoutPassword(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "monitor 127.0.0.1:") ||
		!strings.Contains(res.Message, "unreachable") || !strings.Contains(res.Message, "PgBouncer 127.0.0.1:") {
		t.Fatalf("health: %s %s", res.Status, res.Message)
	}
	var details map[string]any
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil || details["monitor"] == nil || details["pgbouncer"] == nil {
		t.Fatalf("details: %s", res.JSONDetails)
	}
	if strings.Contains(res.Message+string(res.JSONDetails), secret) {
		t.Fatal("password leaked into the health check")
	}
}

func TestInvalidSettingsAreReportedNotFatal(t *testing.T) {
	d := newInstance(t, `{"sslMode":"sometimes"}`)
	resp, _ := d.QueryData(context.Background(), request(query("topology", `{}`)))
	if e := resp.Responses["A"].Error; e == nil || !strings.Contains(e.Error(), "monitor host (monitorHost) is required") {
		t.Fatalf("query error: %v", e)
	}
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "TLS mode") {
		t.Fatalf("health: %s", res.Message)
	}
	var details struct{ Fields map[string]string }
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil || details.Fields["sslMode"] == "" || details.Fields["monitorHost"] == "" {
		t.Fatalf("health details name no fields: %s", res.JSONDetails)
	}
	sub, _ := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: PathTopology})
	if sub.Status != backend.SubscribeStreamStatusNotFound {
		t.Fatal("a misconfigured instance must not accept subscriptions")
	}
}

func TestQueryTypesAreRouted(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	resp, _ := d.QueryData(context.Background(), request(query("topology", `{"live":true}`)))
	r := resp.Responses["A"]
	if len(r.Frames) != 2 || r.Frames[0].Name != "nodes" || r.Frames[1].Name != "edges" {
		t.Fatalf("topology frames: %v", r.Frames)
	}
	if r.Frames[0].Meta.Channel != "ds/pgha-uid/topology" || r.Frames[1].Meta.Channel != "ds/pgha-uid/topology/edges" {
		t.Fatalf("channels %q %q", r.Frames[0].Meta.Channel, r.Frames[1].Meta.Channel)
	}
	if len(r.Frames[0].Meta.Notices) == 0 {
		t.Error("a monitor error must show as a frame notice")
	}
	resp, _ = d.QueryData(context.Background(), request(query("events", `{}`)))
	if e := resp.Responses["A"].Error; e == nil || strings.Contains(e.Error(), secret) || !strings.Contains(e.Error(), "unreachable") {
		t.Fatalf("events with the monitor down: %v", e)
	}
	resp, _ = d.QueryData(context.Background(), request(query("nonsense", `{}`)))
	if resp.Responses["A"].Error == nil {
		t.Fatal("unknown query type must be an error")
	}
	resp, _ = d.QueryData(context.Background(), request(query("", `{}`)))
	if len(resp.Responses["A"].Frames) != 2 {
		t.Fatal("an untyped query is a topology query")
	}
}

func TestStreamPaths(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	for _, p := range []string{PathTopology, PathEdges, PathStatus} {
		sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: p})
		if err != nil || sub.Status != backend.SubscribeStreamStatusOK || len(sub.InitialData.Data()) == 0 {
			t.Fatalf("%s: %v %v", p, sub, err)
		}
	}
	sub, _ := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "other"})
	if sub.Status != backend.SubscribeStreamStatusNotFound {
		t.Fatal("unknown path accepted")
	}
	pub, _ := d.PublishStream(context.Background(), &backend.PublishStreamRequest{Path: PathTopology})
	if pub.Status != backend.PublishStreamStatusPermissionDenied {
		t.Fatal("publishing must be refused")
	}
}

// packetRecorder captures what RunStream sends.
type packetRecorder struct{ packets chan *backend.StreamPacket }

func (p packetRecorder) Send(pk *backend.StreamPacket) error { p.packets <- pk; return nil }

func TestRunStreamSendsFramesUntilCancelled(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	rec := packetRecorder{packets: make(chan *backend.StreamPacket, 16)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- d.RunStream(ctx, &backend.RunStreamRequest{Path: PathStatus}, backend.NewStreamSender(rec))
	}()
	select {
	case pk := <-rec.packets:
		if !strings.Contains(string(pk.Data), "monitor unreachable") {
			t.Fatalf("packet: %s", pk.Data)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no packet")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

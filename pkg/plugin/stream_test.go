package plugin

import (
	"context"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestEventsPathRoundTrip(t *testing.T) {
	for _, limit := range []int{1, 10, 200, 5000} {
		got, ok := ParseEventsPath(EventsPath(limit))
		if !ok || got != limit {
			t.Errorf("EventsPath(%d) parses back as %d, %v", limit, got, ok)
		}
	}
	// A channel name is user input: only the exact form a query writes is a stream.
	for _, p := range []string{"events/", "events/0", "events/-1", "events/05", "events/5001", "events/abc", "events/10/x", "events", "status"} {
		if _, ok := ParseEventsPath(p); ok {
			t.Errorf("%q accepted as an events path", p)
		}
	}
}

func TestEventsStreamWithTheMonitorDown(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	// Subscribing works without initial data: the list arrives once the monitor answers.
	sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: EventsPath(20)})
	if err != nil || sub.Status != backend.SubscribeStreamStatusOK || sub.InitialData != nil {
		t.Fatalf("subscribe: %+v %v", sub, err)
	}
	bad, _ := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "events/0"})
	if bad.Status != backend.SubscribeStreamStatusNotFound {
		t.Fatal("events/0 accepted")
	}
	// No event list can be read, so nothing is sent (a status stream would send "monitor unreachable").
	rec := packetRecorder{packets: make(chan *backend.StreamPacket, 4)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := d.RunStream(ctx, &backend.RunStreamRequest{Path: EventsPath(20)}, backend.NewStreamSender(rec)); err != nil {
		t.Fatal(err)
	}
	if len(rec.packets) != 0 {
		t.Fatalf("sent %d packets without a monitor", len(rec.packets))
	}
}

package plugin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Saving the data source makes the SDK dispose the instance. Its running streams must end with an
// error, which Grafana answers by restarting them on the new instance; a clean end would stop them and
// leave live panels frozen on the old settings.
func TestDisposeEndsRunningStreamsForARestart(t *testing.T) {
	d := newInstance(t, downMonitor(t))
	rec := packetRecorder{packets: make(chan *backend.StreamPacket, 64)}
	done := make(chan error, 1)
	go func() {
		done <- d.RunStream(context.Background(), &backend.RunStreamRequest{Path: PathTopology}, backend.NewStreamSender(rec))
	}()
	<-rec.packets // running: the first frame (monitor unreachable) went out
	d.Dispose()
	select {
	case err := <-done:
		if !errors.Is(err, errInstanceDisposed) {
			t.Fatalf("RunStream ended with %v, want errInstanceDisposed", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("RunStream still running after Dispose")
	}
	// A late subscriber on the disposed instance starts no watch (no reader left running).
	_, cancel := d.shared.Subscribe()
	defer cancel()
	if d.shared.stop != nil {
		t.Fatal("a subscription after Dispose started a watch")
	}
}

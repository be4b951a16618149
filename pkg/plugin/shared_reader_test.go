package plugin

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veza/slo/pkg/pgha"
)

// fakeSource counts reads and lets a test fire notifications or break the LISTEN connection.
type fakeSource struct {
	reads     atomic.Int64
	readDelay time.Duration
	notify    chan struct{}
	listenErr error // when set, Listen fails at once (monitor down)
	listens   atomic.Int64
}

func newFakeSource() *fakeSource { return &fakeSource{notify: make(chan struct{}, 16)} }

func (f *fakeSource) Read(context.Context) pgha.Snapshot {
	n := f.reads.Add(1)
	time.Sleep(f.readDelay)
	s := healthySnapshot()
	s.ReadAt, s.LastEvent = time.Now(), n
	return s
}

func (f *fakeSource) Listen(ctx context.Context, onListening func(), onState func(pgha.StateNotification)) error {
	f.listens.Add(1)
	if f.listenErr != nil {
		return f.listenErr
	}
	onListening()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-f.notify:
			onState(pgha.StateNotification{Name: "node1"})
		}
	}
}

func TestConcurrentQueriesShareOneRead(t *testing.T) {
	src := newFakeSource()
	src.readDelay = 50 * time.Millisecond
	h := newSharedReader(src, time.Second, time.Hour)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); h.Snapshot(context.Background()) }()
	}
	wg.Wait()
	if got := src.reads.Load(); got != 1 {
		t.Fatalf("50 concurrent viewers caused %d reads, want 1", got)
	}
	h.Snapshot(context.Background()) // still fresh: no new read
	if got := src.reads.Load(); got != 1 {
		t.Fatalf("a fresh snapshot was re-read (%d reads)", got)
	}
}

func receive(t *testing.T, c <-chan pgha.Snapshot) pgha.Snapshot {
	t.Helper()
	select {
	case s := <-c:
		return s
	case <-time.After(3 * time.Second):
		t.Fatal("no snapshot delivered")
	}
	return pgha.Snapshot{}
}

func TestNotificationReachesEverySubscriberWithOneRead(t *testing.T) {
	src := newFakeSource()
	h := newSharedReader(src, time.Hour, time.Hour) // no polling: only notifications drive reads
	defer h.Close()
	var subs []<-chan pgha.Snapshot
	for i := 0; i < 10; i++ {
		c, cancel := h.Subscribe()
		defer cancel()
		subs = append(subs, c)
	}
	for _, c := range subs {
		receive(t, c) // the read made when LISTEN is in place
	}
	before := src.reads.Load()
	src.notify <- struct{}{}
	for _, c := range subs {
		if s := receive(t, c); s.LastEvent <= before {
			t.Fatalf("stale snapshot %d after notification (reads before %d)", s.LastEvent, before)
		}
	}
	if got := src.reads.Load() - before; got != 1 {
		t.Fatalf("one notification, 10 subscribers: %d reads, want 1", got)
	}
	if src.listens.Load() != 1 {
		t.Fatalf("%d LISTEN connections for one instance, want 1", src.listens.Load())
	}
}

func TestPollingWhenListenFails(t *testing.T) {
	src := newFakeSource()
	src.listenErr = errBoom
	h := newSharedReader(src, 20*time.Millisecond, time.Hour)
	defer h.Close()
	c, cancel := h.Subscribe()
	defer cancel()
	for i := 0; i < 3; i++ {
		receive(t, c)
	}
	if src.reads.Load() < 3 {
		t.Fatalf("polling fallback made %d reads", src.reads.Load())
	}
}

func TestLastSubscriberStopsTheWatch(t *testing.T) {
	src := newFakeSource()
	h := newSharedReader(src, time.Hour, time.Hour)
	c, cancel := h.Subscribe()
	receive(t, c)
	cancel()
	cancel() // idempotent
	if h.Subscribers() != 0 {
		t.Fatal("subscriber not removed")
	}
	time.Sleep(50 * time.Millisecond)
	reads := src.reads.Load()
	src.notify <- struct{}{}
	time.Sleep(100 * time.Millisecond)
	if src.reads.Load() != reads {
		t.Fatal("watch still running after the last subscriber left")
	}
	h.Close()
}

// A crash between two reads is caught by the primary watch, not by the (long) refresh timer: once the primary stops
// accepting TCP connections the reader re-reads within a poll interval or two.
func TestPrimaryWatchRereadsWhenThePrimaryStopsAnswering(t *testing.T) {
	src := newFakeSource()
	h := newSharedReader(src, 50*time.Millisecond, time.Hour)
	var dead atomic.Bool
	var probes atomic.Int64
	h.dial = func(_ context.Context, addr string) error {
		probes.Add(1)
		if addr != "localhost:6001" {
			t.Errorf("probed %s, want the primary localhost:6001", addr)
		}
		if dead.Load() {
			return errors.New("connection refused")
		}
		return nil
	}
	_, cancel := h.Subscribe()
	defer cancel()
	deadline := time.Now().Add(2 * time.Second)
	for probes.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	settled := src.reads.Load()
	if settled > 2 {
		t.Fatalf("%d reads while the primary answered: the watch must not re-read then", settled)
	}
	dead.Store(true)
	for src.reads.Load() <= settled && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if src.reads.Load() <= settled {
		t.Fatal("no re-read after the primary stopped answering")
	}
}

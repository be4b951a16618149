package plugin

import (
	"context"
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

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

// countingEvents holds n events (ids 1..n, oldest first) and counts the queries and their limits.
type countingEvents struct {
	n      int
	reads  atomic.Int64
	limits sync.Map
	err    error
}

func (c *countingEvents) Events(_ context.Context, _, _ time.Time, limit int) ([]pgha.Event, error) {
	c.reads.Add(1)
	c.limits.Store(limit, true)
	if c.err != nil {
		return nil, c.err
	}
	var out []pgha.Event
	for id := max(1, c.n-limit+1); id <= c.n; id++ {
		out = append(out, pgha.Event{ID: int64(id)})
	}
	return out, nil
}

func ids(events []pgha.Event) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

// Fifty streams with fifty different limits: once the largest limit is known, each new event is read once.
func TestLiveEventsOneReadPerNewEventWhateverTheLimits(t *testing.T) {
	src := &countingEvents{n: 100}
	l := newLiveEvents(src)
	ctx := context.Background()
	for limit := 1; limit <= 50; limit++ {
		if _, err := l.latest(ctx, 100, limit); err != nil {
			t.Fatal(err)
		}
	}
	src.n = 101
	before := src.reads.Load()
	var wg sync.WaitGroup
	for limit := 1; limit <= 50; limit++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := l.latest(ctx, 101, limit)
			if err != nil || len(got) != limit || got[len(got)-1].ID != 101 || got[0].ID != int64(101-limit+1) {
				t.Errorf("limit %d: %v %v", limit, ids(got), err)
			}
		}()
	}
	wg.Wait()
	if n := src.reads.Load() - before; n != 1 {
		t.Fatalf("a new event cost %d monitor queries for 50 streams, want 1", n)
	}
	if _, ok := src.limits.Load(50); !ok {
		t.Error("the shared read should ask for the largest limit")
	}
}

func TestLiveEventsFewerEventsThanTheLimit(t *testing.T) {
	l := newLiveEvents(&countingEvents{n: 3})
	got, err := l.latest(context.Background(), 3, 200)
	if err != nil || len(got) != 3 || got[0].ID != 1 {
		t.Fatalf("%v %v", ids(got), err)
	}
}

func TestLiveEventsErrorIsNotCached(t *testing.T) {
	src := &countingEvents{n: 5, err: errors.New("monitor down")}
	l := newLiveEvents(src)
	if _, err := l.latest(context.Background(), 5, 10); err == nil {
		t.Fatal("want the read error")
	}
	src.err = nil
	if got, err := l.latest(context.Background(), 5, 10); err != nil || len(got) != 5 {
		t.Fatalf("after the monitor came back: %v %v", ids(got), err)
	}
}

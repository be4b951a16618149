package plugin

import (
	"context"
	"sync"
	"time"

	"github.com/veza/slo/pkg/pgha"
)

// eventsSource is what liveEvents needs from pgha.Reader (an interface for the tests).
type eventsSource interface {
	Events(ctx context.Context, from, to time.Time, limit int) ([]pgha.Event, error)
}

// liveEvents shares one events read among every live events stream of an instance. Each limit is
// its own channel (events/<limit>), so without this a viewer could multiply the monitor queries
// made for every new event by opening many limits. Now each new event costs one query, at the
// largest limit any stream has asked for (at most models.MaxEventsLimit), and each stream takes
// its tail.
type liveEvents struct {
	src eventsSource

	mu        sync.Mutex // held across the read: concurrent streams wait, then take the cached list
	valid     bool
	lastEvent int64 // the snapshot's LastEvent the cached list is current for
	limit     int   // the limit the cached list was read with
	events    []pgha.Event
	want      int // the largest limit asked for so far
}

func newLiveEvents(src eventsSource) *liveEvents { return &liveEvents{src: src} }

// latest returns the last limit events (oldest first) as of the snapshot that named lastEvent.
func (l *liveEvents) latest(ctx context.Context, lastEvent int64, limit int) ([]pgha.Event, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.want = max(l.want, limit)
	if !l.valid || l.lastEvent != lastEvent || l.limit < limit {
		// Every event, whatever its age: a live list, not a time range.
		events, err := l.src.Events(ctx, time.Unix(0, 0), time.Now().Add(time.Minute), l.want)
		if err != nil {
			return nil, err
		}
		l.valid, l.lastEvent, l.limit, l.events = true, lastEvent, l.want, events
	}
	if len(l.events) > limit {
		return l.events[len(l.events)-limit:], nil
	}
	return l.events, nil
}

// cached returns the last limit events of the list read last (nil if none was read), without reading.
func (l *liveEvents) cached(limit int) []pgha.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.events) > limit {
		return l.events[len(l.events)-limit:]
	}
	return l.events
}

package plugin

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/veza/slo/pkg/pgha"
)

// formationSource is what the shared reader needs from pgha.Reader (an interface so the
// fan-out can be tested without a monitor).
type formationSource interface {
	Read(ctx context.Context) pgha.Snapshot
	Listen(ctx context.Context, onListening func(), onState func(pgha.StateNotification)) error
}

// sharedReader is the one reader of a data source instance. Queries and streams all go through
// it, so monitor load does not grow with viewers:
//   - concurrent reads share one in-flight read, and a snapshot younger than maxAge is reused;
//   - while anyone watches, one goroutine holds LISTEN state and re-reads on each notification
//     (and on every reconnect, since notifications are lost while disconnected), refreshes every
//     refresh interval for lag and ages, and polls every poll interval while LISTEN is down.
type sharedReader struct {
	src              formationSource
	maxAge           time.Duration
	poll, refresh    time.Duration
	reconnectBackoff time.Duration
	// dial probes the primary between reads (primaryWatch); a net.Dialer outside tests.
	dial func(ctx context.Context, addr string) error

	mu       sync.Mutex
	latest   *pgha.Snapshot
	inflight chan struct{}
	subs     map[int]chan pgha.Snapshot
	nextSub  int
	stop     context.CancelFunc
	watching sync.WaitGroup
	closed   chan struct{} // closed by Close: streams end so Grafana restarts them on the new instance
	once     sync.Once
}

func newSharedReader(src formationSource, poll, refresh time.Duration) *sharedReader {
	return &sharedReader{src: src, maxAge: time.Second, poll: poll, refresh: refresh, dial: dialTCP,
		reconnectBackoff: poll, subs: map[int]chan pgha.Snapshot{}, closed: make(chan struct{})}
}

// primaryWatchEvery caps the primary probe's period: a crash shows within about this long plus one read.
const primaryWatchEvery = 500 * time.Millisecond

func dialTCP(ctx context.Context, addr string) error {
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err == nil {
		_ = c.Close()
	}
	return err
}

// primaryWatch closes the gap between a crash and the monitor's notification: LISTEN only fires once the monitor
// has noticed (node_considered_unhealthy_timeout later) and the refresh timer may be seconds away, so every poll
// interval (at most primaryWatchEvery) it opens a bare TCP connection to the primary the last snapshot saw answering, and re-reads at once when
// that fails. It costs one TCP handshake per interval and no monitor query. It runs only when node credentials are
// set (the reader talks to the nodes anyway), so a Grafana that cannot reach the nodes never re-reads in a loop.
func (h *sharedReader) primaryWatch(ctx context.Context, kick func()) {
	t := time.NewTicker(min(h.poll, primaryWatchEvery))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h.mu.Lock()
		var addr string
		if s := h.latest; s != nil && s.MonitorErr == nil {
			if p := s.PrimaryNode(); p != nil && p.Live != nil && p.Answering() {
				addr = p.Address()
			}
		}
		h.mu.Unlock()
		if addr == "" {
			continue
		}
		probe, cancel := context.WithTimeout(ctx, min(h.poll, primaryWatchEvery))
		err := h.dial(probe, addr)
		cancel()
		if err != nil && ctx.Err() == nil {
			kick()
		}
	}
}

// Snapshot returns a snapshot at most maxAge old, reading if needed.
func (h *sharedReader) Snapshot(ctx context.Context) pgha.Snapshot {
	h.mu.Lock()
	if h.latest != nil && time.Since(h.latest.ReadAt) < h.maxAge {
		s := *h.latest
		h.mu.Unlock()
		return s
	}
	h.mu.Unlock()
	return h.read(ctx, false)
}

// read joins the read in flight, or starts one. fresh=true waits out a read already in flight
// and starts a new one, so the result reflects everything committed before the call.
func (h *sharedReader) read(ctx context.Context, fresh bool) pgha.Snapshot {
	for {
		h.mu.Lock()
		if wait := h.inflight; wait != nil {
			h.mu.Unlock()
			<-wait // reads are bounded by the connect and query timeouts
			if fresh {
				fresh = false
				continue
			}
			h.mu.Lock()
			s := *h.latest
			h.mu.Unlock()
			return s
		}
		done := make(chan struct{})
		h.inflight = done
		h.mu.Unlock()

		// Detached from the caller: other callers wait on this read too.
		s := h.src.Read(context.WithoutCancel(ctx))
		h.mu.Lock()
		h.latest, h.inflight = &s, nil
		subs := make([]chan pgha.Snapshot, 0, len(h.subs))
		for _, c := range h.subs {
			subs = append(subs, c)
		}
		h.mu.Unlock()
		close(done)
		for _, c := range subs {
			offer(c, s)
		}
		return s
	}
}

// offer replaces whatever the subscriber has not consumed yet: only the newest snapshot matters.
func offer(c chan pgha.Snapshot, s pgha.Snapshot) {
	for {
		select {
		case c <- s:
			return
		default:
			select {
			case <-c:
			default:
			}
		}
	}
}

// Subscribe delivers every new snapshot until cancel is called. The first subscriber starts the
// watch; the last one to leave stops it.
func (h *sharedReader) Subscribe() (<-chan pgha.Snapshot, func()) {
	c := make(chan pgha.Snapshot, 1)
	h.mu.Lock()
	id := h.nextSub
	h.nextSub++
	h.subs[id] = c
	if h.latest != nil {
		c <- *h.latest
	}
	if h.stop == nil && !h.isClosed() {
		ctx, stop := context.WithCancel(context.Background())
		h.stop = stop
		h.watching.Add(1)
		go func() {
			defer h.watching.Done()
			h.watch(ctx)
		}()
	}
	h.mu.Unlock()
	var once sync.Once
	return c, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, id)
			var stop context.CancelFunc
			if len(h.subs) == 0 && h.stop != nil {
				stop, h.stop = h.stop, nil
			}
			h.mu.Unlock()
			if stop != nil {
				stop()
			}
		})
	}
}

// Subscribers counts the current subscribers.
func (h *sharedReader) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *sharedReader) watch(ctx context.Context) {
	trigger := make(chan struct{}, 1)
	kick := func() {
		select {
		case trigger <- struct{}{}:
		default: // a re-read is already due; it will see this change too
		}
	}
	var listening sync.Mutex
	isListening := false
	setListening := func(v bool) {
		listening.Lock()
		isListening = v
		listening.Unlock()
	}
	go func() {
		for ctx.Err() == nil {
			_ = h.src.Listen(ctx, func() { setListening(true); kick() }, func(pgha.StateNotification) { kick() })
			setListening(false)
			kick() // read now: the snapshot will say the monitor is unreachable, or catch up
			select {
			case <-ctx.Done():
			case <-time.After(h.reconnectBackoff):
			}
		}
	}()
	go h.primaryWatch(ctx, kick)
	// The first read comes from onListening (or from the failed Listen): kicking here too would
	// read twice on every start.
	for {
		listening.Lock()
		wait := h.poll
		if isListening {
			wait = h.refresh
		}
		listening.Unlock()
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-trigger:
			timer.Stop()
		case <-timer.C:
		}
		h.read(ctx, true)
	}
}

// Done is closed once the reader is closed (the instance disposed).
func (h *sharedReader) Done() <-chan struct{} { return h.closed }

func (h *sharedReader) isClosed() bool {
	select {
	case <-h.closed:
		return true
	default:
		return false
	}
}

// Close stops the watch for good (a later Subscribe starts none); the caller closes the source.
func (h *sharedReader) Close() {
	h.once.Do(func() { close(h.closed) })
	h.mu.Lock()
	stop := h.stop
	h.stop = nil
	h.subs = map[int]chan pgha.Snapshot{}
	h.mu.Unlock()
	if stop != nil {
		stop()
	}
	h.watching.Wait()
}

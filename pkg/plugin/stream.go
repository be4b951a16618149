package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// streamFrame builds the one frame a snapshot path carries; nil for an unknown path.
func (d *Datasource) streamFrame(ctx context.Context, path string, s pgha.Snapshot) *data.Frame {
	switch path {
	case PathTopology:
		return NodesFrame(s, pgha.Classify(s))
	case PathEdges:
		return EdgesFrame(s)
	case PathStatus:
		return StatusFrame(s, pgha.Classify(s), d.lastFailover(ctx, s))
	}
	return nil
}

func knownPath(path string) bool {
	_, events := ParseEventsPath(path)
	return events || path == PathTopology || path == PathEdges || path == PathStatus
}

// statusEvents is how many of the monitor's latest events the status frame folds to find the last failover (a hard
// failover logs about 20).
const statusEvents = 200

// lastFailover is the most recent failover among the monitor's latest events, read once per new event for every
// status query and stream (liveEvents); nil when there is none or the events cannot be read.
func (d *Datasource) lastFailover(ctx context.Context, s pgha.Snapshot) *pgha.Episode {
	return lastFailoverOf(ctx, d.liveEvents, s, nil)
}

// lastFailoverOf is lastFailover for any formation's events (le), among one group's events when group is set.
func lastFailoverOf(ctx context.Context, le *liveEvents, s pgha.Snapshot, group *int) *pgha.Episode {
	var events []pgha.Event
	if s.MonitorErr != nil {
		// The monitor just failed to answer: the last list read, without waiting for another timeout.
		events = le.cached(statusEvents)
	} else {
		var err error
		if events, err = le.latest(ctx, s.LastEvent, statusEvents); err != nil {
			return nil
		}
	}
	return pgha.LastFailover(pgha.FoldEpisodes(groupEvents(events, group)))
}

// eventsFrame is the last limit events as of the snapshot that named lastEvent, read once for
// every events stream of the instance (liveEvents).
func (d *Datasource) eventsFrame(ctx context.Context, limit int, lastEvent int64) (*data.Frame, error) {
	events, err := d.liveEvents.latest(ctx, lastEvent, limit)
	if err != nil {
		return nil, err
	}
	return EventsFrame(events), nil
}

// SubscribeStream accepts the topology, edges, status and events paths and hands the current frame
// as initial data, so a new panel draws at once.
func (d *Datasource) SubscribeStream(ctx context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	if d.configErr != nil || !knownPath(req.Path) {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	var f *data.Frame
	if limit, ok := ParseEventsPath(req.Path); ok {
		var err error
		if f, err = d.eventsFrame(ctx, limit, d.shared.Snapshot(ctx).LastEvent); err != nil {
			// No initial data is not fatal: RunStream sends the list once the monitor answers.
			return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
		}
	} else {
		f = d.streamFrame(ctx, req.Path, d.shared.Snapshot(ctx))
	}
	initial, err := backend.NewInitialFrame(f, data.IncludeAll)
	if err != nil {
		return nil, err
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK, InitialData: initial}, nil
}

// PublishStream is refused: the data source is read-only.
func (d *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

var errInstanceDisposed = errors.New("data source settings changed: the stream restarts on the new settings")

// RunStream sends a frame for every snapshot of the shared reader. Grafana runs it once per
// channel whatever the number of viewers; the shared reader makes it once per instance. An events
// path re-reads the event list only when the snapshot names a newer event than the last one sent.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	if d.configErr != nil || !knownPath(req.Path) {
		return nil
	}
	limit, events := ParseEventsPath(req.Path)
	var sentEvent int64 = -1
	snaps, cancel := d.shared.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-d.shared.Done():
			// Disposed: the settings were saved (or the data source deleted). An error, not nil: Grafana
			// restarts a failed stream at once on the current instance, but stops one that ended cleanly,
			// which would leave live panels frozen on the old settings.
			return errInstanceDisposed
		case s := <-snaps:
			f := d.streamFrame(ctx, req.Path, s)
			if events {
				if s.MonitorErr != nil || s.LastEvent == sentEvent {
					continue
				}
				var err error
				if f, err = d.eventsFrame(ctx, limit, s.LastEvent); err != nil {
					continue // the monitor went away between the snapshot and this read; the next snapshot retries
				}
				sentEvent = s.LastEvent
			}
			if err := sender.SendFrame(f, data.IncludeAll); err != nil {
				return err
			}
		}
	}
}

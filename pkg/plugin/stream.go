package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/pgha"
)

// streamFrame builds the one frame a stream path carries; nil for an unknown path.
func streamFrame(path string, s pgha.Snapshot) *data.Frame {
	switch path {
	case PathTopology:
		return NodesFrame(s, pgha.Classify(s))
	case PathEdges:
		return EdgesFrame(s)
	case PathStatus:
		return StatusFrame(s, pgha.Classify(s))
	}
	return nil
}

// SubscribeStream accepts the topology, edges and status paths and hands the current frame
// as initial data, so a new panel draws at once.
func (d *Datasource) SubscribeStream(ctx context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	if d.configErr != nil || streamFrame(req.Path, pgha.Snapshot{}) == nil {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	initial, err := backend.NewInitialFrame(streamFrame(req.Path, d.shared.Snapshot(ctx)), data.IncludeAll)
	if err != nil {
		return nil, err
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK, InitialData: initial}, nil
}

// PublishStream is refused: the data source is read-only.
func (d *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends a frame for every snapshot of the shared reader. Grafana runs it once per
// channel whatever the number of viewers; the shared reader makes it once per instance.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	if d.configErr != nil || streamFrame(req.Path, pgha.Snapshot{}) == nil {
		return nil
	}
	snaps, cancel := d.shared.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case s := <-snaps:
			if err := sender.SendFrame(streamFrame(req.Path, s), data.IncludeAll); err != nil {
				return err
			}
		}
	}
}

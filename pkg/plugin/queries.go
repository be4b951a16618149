package plugin

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/live"

	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// Stream paths. Grafana subscribes to ds/<uid>/<path> when a frame carries meta.channel; each
// path streams one frame, because Grafana's streaming frame keeps one schema per channel.
const (
	PathTopology = "topology"       // the nodes frame
	PathEdges    = "topology/edges" // the edges frame
	PathStatus   = "status"         // the status frame
	// PathEvents + "<limit>": the last <limit> events, re-sent whenever the monitor records a new one.
	PathEvents = "events/"
)

// EventsPath is the stream path of the last limit events.
func EventsPath(limit int) string { return PathEvents + strconv.Itoa(limit) }

// ParseEventsPath reads the limit back from an events path; ok is false for any other path or a limit
// outside what a query may ask (a channel name is user input).
func ParseEventsPath(path string) (limit int, ok bool) {
	rest, found := strings.CutPrefix(path, PathEvents)
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > models.MaxEventsLimit || strconv.Itoa(n) != rest {
		return 0, false
	}
	return n, true
}

// eachQuery runs fn for every query of the request, turning errors into per-query responses.
func eachQuery(req *backend.QueryDataRequest, fn func(q backend.DataQuery, m models.Query) backend.DataResponse) *backend.QueryDataResponse {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		m, err := models.ParseQuery(q.JSON)
		if err != nil {
			resp.Responses[q.RefID] = backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
			continue
		}
		resp.Responses[q.RefID] = fn(q, m)
	}
	return resp
}

func channel(pc backend.PluginContext, path string) string {
	if pc.DataSourceInstanceSettings == nil {
		return ""
	}
	return live.Channel{Scope: live.ScopeDatasource, Namespace: pc.DataSourceInstanceSettings.UID, Path: path}.String()
}

func withChannel(f *data.Frame, ch string) *data.Frame {
	if ch != "" {
		f.Meta.Channel = ch
	}
	return f
}

// handleTopology answers with the nodes and edges frames. A monitor that cannot be read is not
// a query error: the frames carry the last known topology marked stale, and the error text.
func (d *Datasource) handleTopology(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	snap := d.shared.Snapshot(ctx)
	st := pgha.Classify(snap)
	return eachQuery(req, func(_ backend.DataQuery, m models.Query) backend.DataResponse {
		nodes, edges := NodesFrame(snap, st), EdgesFrame(snap)
		if m.Live {
			withChannel(nodes, channel(req.PluginContext, PathTopology))
			withChannel(edges, channel(req.PluginContext, PathEdges))
		}
		return monitorNotice(backend.DataResponse{Frames: data.Frames{nodes, edges}}, snap)
	}), nil
}

func (d *Datasource) handleStatus(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	snap := d.shared.Snapshot(ctx)
	st := pgha.Classify(snap)
	last := d.lastFailover(ctx, snap)
	return eachQuery(req, func(_ backend.DataQuery, m models.Query) backend.DataResponse {
		f := StatusFrame(snap, st, last)
		if m.Live {
			withChannel(f, channel(req.PluginContext, PathStatus))
		}
		return backend.DataResponse{Frames: data.Frames{f}}
	}), nil
}

// monitorNotice adds the monitor error as a frame notice, so stock panels show it too.
func monitorNotice(r backend.DataResponse, snap pgha.Snapshot) backend.DataResponse {
	if snap.MonitorErr != nil && len(r.Frames) > 0 {
		r.Frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityError, Text: snap.MonitorErr.Error()})
	}
	return r
}

func (d *Datasource) handleEvents(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachQuery(req, func(q backend.DataQuery, m models.Query) backend.DataResponse {
		events, err := d.reader.Events(ctx, q.TimeRange.From, q.TimeRange.To, m.Limit)
		if err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
		}
		f := EventsFrame(events)
		if m.Live {
			withChannel(f, channel(req.PluginContext, EventsPath(m.Limit)))
		}
		return backend.DataResponse{Frames: data.Frames{f}}
	}), nil
}

// handleMeasures answers Grafana alerting (and any panel) with the alertable numbers as one wide time series. A
// monitor that cannot be read still answers: healthy 0 and the monitor-unreachable verdict code are what an alert
// rule on "formation not healthy" must see then, not an error that it would count as no data.
func (d *Datasource) handleMeasures(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	snap := d.shared.Snapshot(ctx)
	st := pgha.Classify(snap)
	last := d.lastFailover(ctx, snap)
	return eachQuery(req, func(_ backend.DataQuery, m models.Query) backend.DataResponse {
		return monitorNotice(backend.DataResponse{Frames: data.Frames{MeasuresFrame(snap, st, last, m.Measure)}}, snap)
	}), nil
}

// episodeLookback is read before the range so that an episode under way when the range starts is judged with the
// node states that led into it.
const episodeLookback = time.Hour

// handleEpisodes folds the range's events into failover episodes: the annotation regions Grafana draws on any panel
// ("Failover: node2 → node1", writable after 7.5 s) instead of twenty raw state changes.
func (d *Datasource) handleEpisodes(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachQuery(req, func(q backend.DataQuery, m models.Query) backend.DataResponse {
		inRange, err := d.episodesIn(ctx, q.TimeRange)
		if err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
		}
		if len(inRange) > m.Limit {
			inRange = inRange[len(inRange)-m.Limit:]
		}
		return backend.DataResponse{Frames: data.Frames{EpisodesFrame(inRange)}}
	}), nil
}

// episodesIn folds the events of a range (and the lookback before it) into the episodes that end inside it.
func (d *Datasource) episodesIn(ctx context.Context, tr backend.TimeRange) ([]pgha.Episode, error) {
	events, err := d.reader.Events(ctx, tr.From.Add(-episodeLookback), tr.To, models.MaxEventsLimit)
	if err != nil {
		return nil, err
	}
	var inRange []pgha.Episode
	for _, ep := range pgha.FoldEpisodes(events) {
		if !ep.End.Before(tr.From) {
			inRange = append(inRange, ep)
		}
	}
	return inRange, nil
}

// handleFailoverObjective judges the range's failovers against the query's objective (default 95 % writable
// within 30 s): failover measured as an objective, for the Postgres HA page, the report and alert rules.
func (d *Datasource) handleFailoverObjective(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachQuery(req, func(q backend.DataQuery, m models.Query) backend.DataResponse {
		inRange, err := d.episodesIn(ctx, q.TimeRange)
		if err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
		}
		o := pgha.FailoverObjective{
			Target:         m.Objective,
			WritableWithin: time.Duration(m.WritableWithinSeconds * float64(time.Second)),
		}
		now := q.TimeRange.To
		if n := time.Now(); n.Before(now) {
			now = n
		}
		return backend.DataResponse{Frames: FailoverObjectiveFrames(inRange, o, now)}
	}), nil
}

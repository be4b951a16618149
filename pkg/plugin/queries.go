package plugin

import (
	"context"
	"errors"
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
	return eachScopedQuery(ctx, d, req, true, func(_ backend.DataQuery, m models.Query, sc scope) backend.DataResponse {
		nodes, edges := NodesFrame(sc.snap, pgha.Classify(sc.snap)), EdgesFrame(sc.snap)
		if m.Live {
			withChannel(nodes, sc.channel(req.PluginContext, PathTopology))
			withChannel(edges, sc.channel(req.PluginContext, PathEdges))
		}
		return liveNotice(monitorNotice(backend.DataResponse{Frames: data.Frames{nodes, edges}}, sc.snap), m, sc)
	}), nil
}

// handleStatus answers with the status frame: the formation's verdict, the worst group's.
func (d *Datasource) handleStatus(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachScopedQuery(ctx, d, req, true, func(_ backend.DataQuery, m models.Query, sc scope) backend.DataResponse {
		f := StatusFrame(sc.snap, pgha.Classify(sc.snap), lastFailoverOf(ctx, sc.readers.liveEvents, sc.snap, sc.group))
		if m.Live {
			withChannel(f, sc.channel(req.PluginContext, PathStatus))
		}
		return liveNotice(backend.DataResponse{Frames: data.Frames{f}}, m, sc)
	}), nil
}

// handleGroups answers with one verdict per group (a query type of its own, so the status response keeps its one
// frame for the stat panels built on it).
func (d *Datasource) handleGroups(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachScopedQuery(ctx, d, req, true, func(_ backend.DataQuery, _ models.Query, sc scope) backend.DataResponse {
		return monitorNotice(backend.DataResponse{Frames: data.Frames{GroupsFrame(sc.snap)}}, sc.snap)
	}), nil
}

// eachScopedQuery is eachQuery with each query's formation and group resolved; an unknown formation or group
// answers that query alone with what exists.
func eachScopedQuery(ctx context.Context, d *Datasource, req *backend.QueryDataRequest, withSnapshot bool,
	fn func(q backend.DataQuery, m models.Query, sc scope) backend.DataResponse) *backend.QueryDataResponse {
	return eachQuery(req, func(q backend.DataQuery, m models.Query) backend.DataResponse {
		sc, err := d.queryScope(ctx, m, withSnapshot)
		if err != nil {
			status := backend.StatusBadRequest
			if errors.As(err, new(*pgha.Failure)) {
				status = backend.StatusBadGateway
			}
			return backend.ErrDataResponseWithSource(status, backend.ErrorSourceDownstream, err.Error())
		}
		return fn(q, m, sc)
	})
}

// channel is the stream channel of a path when the scope is what the stream carries (the data source's
// formation, every group); "" otherwise.
func (sc scope) channel(pc backend.PluginContext, path string) string {
	if !sc.own {
		return ""
	}
	return channel(pc, path)
}

// liveNotice tells a live query on another formation or a group that it is not streamed: the streams carry the
// data source's formation, and a panel showing their frames would switch to it on the first update.
func liveNotice(r backend.DataResponse, m models.Query, sc scope) backend.DataResponse {
	if m.Live && !sc.own && len(r.Frames) > 0 {
		r.Frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo,
			Text: "live updates follow the data source's formation (every group); this query refreshes with the dashboard"})
	}
	return r
}

// monitorNotice adds the monitor error as a frame notice, so stock panels show it too.
func monitorNotice(r backend.DataResponse, snap pgha.Snapshot) backend.DataResponse {
	if snap.MonitorErr != nil && len(r.Frames) > 0 {
		r.Frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityError, Text: snap.MonitorErr.Error()})
	}
	return r
}

func (d *Datasource) handleEvents(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachScopedQuery(ctx, d, req, false, func(q backend.DataQuery, m models.Query, sc scope) backend.DataResponse {
		events, err := sc.readers.reader.Events(ctx, q.TimeRange.From, q.TimeRange.To, m.Limit)
		if err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
		}
		f := EventsFrame(groupEvents(events, sc.group))
		if m.Live {
			withChannel(f, sc.channel(req.PluginContext, EventsPath(m.Limit)))
		}
		return liveNotice(backend.DataResponse{Frames: data.Frames{f}}, m, sc)
	}), nil
}

// handleMeasures answers Grafana alerting (and any panel) with the alertable numbers as one wide time series. A
// monitor that cannot be read still answers: healthy 0 and the monitor-unreachable verdict code are what an alert
// rule on "formation not healthy" must see then, not an error that it would count as no data.
func (d *Datasource) handleMeasures(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachScopedQuery(ctx, d, req, true, func(_ backend.DataQuery, m models.Query, sc scope) backend.DataResponse {
		last := lastFailoverOf(ctx, sc.readers.liveEvents, sc.snap, sc.group)
		return monitorNotice(backend.DataResponse{Frames: data.Frames{MeasuresFrame(sc.snap, pgha.Classify(sc.snap), last, m.Measure)}}, sc.snap)
	}), nil
}

// episodeLookback is read before the range so that an episode under way when the range starts is judged with the
// node states that led into it.
const episodeLookback = time.Hour

// handleEpisodes folds the range's events into failover episodes: the annotation regions Grafana draws on any panel
// ("Failover: node2 → node1", writable after 7.5 s) instead of twenty raw state changes.
func (d *Datasource) handleEpisodes(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachScopedQuery(ctx, d, req, false, func(q backend.DataQuery, m models.Query, sc scope) backend.DataResponse {
		inRange, err := episodesIn(ctx, sc, q.TimeRange)
		if err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
		}
		if len(inRange) > m.Limit {
			inRange = inRange[len(inRange)-m.Limit:]
		}
		return backend.DataResponse{Frames: data.Frames{EpisodesFrame(inRange)}}
	}), nil
}

// episodesIn folds the events of a range (and the lookback before it) into the episodes that end inside it; a
// group's episodes are folded from that group's events alone, since each group fails over on its own.
func episodesIn(ctx context.Context, sc scope, tr backend.TimeRange) ([]pgha.Episode, error) {
	events, err := sc.readers.reader.Events(ctx, tr.From.Add(-episodeLookback), tr.To, models.MaxEventsLimit)
	if err != nil {
		return nil, err
	}
	var inRange []pgha.Episode
	for _, ep := range pgha.FoldEpisodes(groupEvents(events, sc.group)) {
		if !ep.End.Before(tr.From) {
			inRange = append(inRange, ep)
		}
	}
	return inRange, nil
}

// handleFailoverObjective judges the range's failovers against the query's objective (default 95 % writable
// within 30 s): failover measured as an objective, for the Postgres HA page, the report and alert rules.
func (d *Datasource) handleFailoverObjective(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return eachScopedQuery(ctx, d, req, false, func(q backend.DataQuery, m models.Query, sc scope) backend.DataResponse {
		inRange, err := episodesIn(ctx, sc, q.TimeRange)
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

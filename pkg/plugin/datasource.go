// Package plugin is the veza-pgha-datasource instance: query mux, health check and stream.
package plugin

import (
	"context"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// Compile-time checks of what the SDK expects from an instance.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.StreamHandler         = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured veza-pgha-datasource. The SDK builds a new one whenever the
// settings change and disposes the old one.
type Datasource struct {
	settings models.Settings
	// configErr is set when the settings are invalid; every query and the health check report it.
	configErr error
	// own reads the formation of the settings; reader, shared and liveEvents are its parts (streams and the
	// health check use them directly).
	own        *formationReaders
	reader     *pgha.Reader
	shared     *sharedReader
	liveEvents *liveEvents
	// others are the other formations of the same monitor that queries named (formations.go).
	othersMu sync.Mutex
	others   map[string]*formationReaders
	mux      *datasource.QueryTypeMux
}

// NewDatasource is the SDK instance factory. Invalid settings do not fail here: the instance
// is still created so that queries and the health check can say what is wrong.
func NewDatasource(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := models.LoadSettings(s)
	d := &Datasource{settings: settings, configErr: err, mux: datasource.NewQueryTypeMux()}
	if err != nil {
		return d, nil
	}
	d.own = newFormationReaders(settings)
	d.reader, d.shared, d.liveEvents = d.own.reader, d.own.shared, d.own.liveEvents
	d.others = map[string]*formationReaders{}
	d.mux.HandleFunc(string(models.QueryTypeTopology), d.handleTopology)
	d.mux.HandleFunc(string(models.QueryTypeEvents), d.handleEvents)
	d.mux.HandleFunc(string(models.QueryTypeStatus), d.handleStatus)
	d.mux.HandleFunc(string(models.QueryTypeEpisodes), d.handleEpisodes)
	d.mux.HandleFunc(string(models.QueryTypeFailoverObjective), d.handleFailoverObjective)
	d.mux.HandleFunc(string(models.QueryTypeMeasures), d.handleMeasures)
	d.mux.HandleFunc(string(models.QueryTypeGroups), d.handleGroups)
	return d, nil
}

// QueryData routes each query to its handler by queryType.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	if d.configErr != nil {
		return errorForAll(req, backend.StatusBadRequest, "invalid data source settings: "+d.configErr.Error()), nil
	}
	// A query saved before the editor set a type is a topology query. (Registering "" on the
	// mux would make it the fallback for every unknown type too.)
	for i := range req.Queries {
		if req.Queries[i].QueryType == "" {
			req.Queries[i].QueryType = string(models.QueryTypeTopology)
		}
	}
	return d.mux.QueryData(ctx, req)
}

// Dispose stops the stream watcher and closes every connection.
func (d *Datasource) Dispose() {
	if d.shared != nil {
		d.shared.Close()
	}
	if d.reader != nil {
		d.reader.Close()
	}
	d.othersMu.Lock()
	defer d.othersMu.Unlock()
	for name, r := range d.others {
		r.close()
		delete(d.others, name)
	}
}

// errorForAll answers every query with the same user-facing (downstream) error.
func errorForAll(req *backend.QueryDataRequest, status backend.Status, msg string) *backend.QueryDataResponse {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = backend.ErrDataResponseWithSource(status, backend.ErrorSourceDownstream, msg)
	}
	return resp
}

package plugin

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/veza/slo/pkg/models"
)

// CheckHealth says which of monitor, PgBouncer and nodes answered, and why any did not.
// jsonDetails carries the same per component, for the config editor.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.configErr != nil {
		// jsonDetails.fields maps each settings key to its problem, for the editor to show by the field.
		details, _ := json.Marshal(map[string]any{"fields": models.FieldErrors(d.configErr)})
		return &backend.CheckHealthResult{Status: backend.HealthStatusError,
			Message: "invalid data source settings: " + d.configErr.Error(), JSONDetails: details}, nil
	}
	rep := d.reader.Check(ctx)
	lines := []string{rep.Monitor.Message}
	if !rep.PgBouncer.Skipped {
		lines = append(lines, rep.PgBouncer.Message)
	}
	for _, n := range rep.Nodes {
		if !n.Skipped {
			lines = append(lines, n.Message)
		}
	}
	status := backend.HealthStatusOk
	if !rep.OK() {
		status = backend.HealthStatusError
	}
	details, _ := json.Marshal(rep)
	return &backend.CheckHealthResult{Status: status, Message: strings.Join(lines, "; "), JSONDetails: details}, nil
}

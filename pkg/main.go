// Command gpx_pgha is the backend of the veza-pgha-datasource data source.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/veza/slo/pkg/plugin"
)

func main() {
	if err := datasource.Manage("veza-pgha-datasource", plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error(err.Error())
		os.Exit(1)
	}
}

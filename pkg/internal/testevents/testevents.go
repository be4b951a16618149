// Package testevents reads pkg/pgha/testdata/formation-events.json, real rows of pgautofailover.event recorded from
// the local stack (its "source" says which), for the Go tests of pgha and plugin. The TypeScript tests read the same
// file.
package testevents

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/veza/slo/pkg/pgha"
)

// Recorded returns the recorded events in file order.
func Recorded() ([]pgha.Event, error) {
	_, here, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "pgha", "testdata", "formation-events.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Events []struct {
			ID       int64  `json:"id"`
			Time     int64  `json:"time"`
			Node     string `json:"node"`
			Reported string `json:"reported"`
			Goal     string `json:"goal"`
			Text     string `json:"text"`
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	out := make([]pgha.Event, 0, len(doc.Events))
	for _, e := range doc.Events {
		out = append(out, pgha.Event{ID: e.ID, Time: time.UnixMilli(e.Time).UTC(), NodeName: e.Node,
			Reported: pgha.State(e.Reported), Goal: pgha.State(e.Goal), Description: e.Text})
	}
	return out, nil
}

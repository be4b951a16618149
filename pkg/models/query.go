package models

import (
	"encoding/json"
	"fmt"
)

// QueryType selects what a query reads. Mirrored by QueryType in src/datasource/types.ts.
type QueryType string

const (
	// QueryTypeTopology returns the Node Graph "nodes" and "edges" frames.
	QueryTypeTopology QueryType = "topology"
	// QueryTypeEvents returns the formation's state changes in the time range (annotation friendly).
	QueryTypeEvents QueryType = "events"
	// QueryTypeStatus returns one row: the verdict, its reason and the runbook.
	QueryTypeStatus QueryType = "status"
)

// QueryTypes lists every query type, in the order the query editor offers them.
var QueryTypes = []QueryType{QueryTypeTopology, QueryTypeEvents, QueryTypeStatus}

// DefaultEventsLimit caps the events query when the panel does not say.
const DefaultEventsLimit = 200

// MaxEventsLimit bounds what one query can pull from the monitor's event table.
const MaxEventsLimit = 5000

// Query is the JSON model of one query (DataQuery.JSON). Mirrored by PghaQuery in src/datasource/types.ts.
type Query struct {
	// Live asks for meta.channel on the frames so Grafana subscribes to the stream (topology, status, events).
	Live bool `json:"live,omitempty"`
	// Limit caps the number of events returned (events query only).
	Limit int `json:"limit,omitempty"`
}

// ParseQuery decodes a query's JSON and applies defaults.
func ParseQuery(raw json.RawMessage) (Query, error) {
	var q Query
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &q); err != nil {
			return q, fmt.Errorf("invalid query JSON: %w", err)
		}
	}
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultEventsLimit
	case q.Limit > MaxEventsLimit:
		q.Limit = MaxEventsLimit
	}
	return q, nil
}

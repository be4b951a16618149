package pgha

import (
	"context"
	"encoding/json"
)

// StateNotification is the JSON payload pg_auto_failover sends on the "state" channel
// (notifications.c) for every goal or reported state change and every health flip. It has no
// LSN, timeline or time, hence a full re-read after each one.
type StateNotification struct {
	Type          string `json:"type"`
	Formation     string `json:"formation"`
	GroupID       int    `json:"groupId"`
	NodeID        int64  `json:"nodeId"`
	Name          string `json:"name"`
	Host          string `json:"host"`
	Port          int    `json:"port"`
	ReportedState State  `json:"reportedState"`
	GoalState     State  `json:"goalState"`
	Health        string `json:"health"`
}

// ParseStateNotification decodes a "state" payload.
func ParseStateNotification(payload string) (StateNotification, error) {
	var n StateNotification
	err := json.Unmarshal([]byte(payload), &n)
	return n, err
}

// Listen holds a dedicated monitor connection on LISTEN state. It calls onListening once the
// LISTEN is in place (the caller must then re-read everything: notifications sent while it was
// disconnected are lost) and onState for each notification of this formation. It returns when
// ctx ends or the connection breaks; the error is a *Failure, safe to show.
func (r *Reader) Listen(ctx context.Context, onListening func(), onState func(StateNotification)) error {
	ep := r.MonitorEndpoint()
	if r.closed.Load() {
		return errClosed(ep)
	}
	conn, err := ep.Connect(ctx, r.s.ConnectTimeout())
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	r.queries.Add(1)
	if _, err := conn.Exec(ctx, "LISTEN state"); err != nil {
		return Describe(ep.Label(), err, r.s.Secrets()...)
	}
	onListening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return Describe(ep.Label(), err, r.s.Secrets()...)
		}
		msg, err := ParseStateNotification(n.Payload)
		if err != nil || (msg.Formation != "" && msg.Formation != r.s.Formation) {
			continue
		}
		onState(msg)
	}
}

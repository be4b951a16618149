package plugin

import "github.com/grafana/grafana-plugin-sdk-go/data"

// Frame field names the app reads (src/panels/topology/fields.ts reads exactly these, one name per field; its
// tests read the golden files in testdata/ and fail when a name here changes). Node Graph wants its detail columns
// prefixed "detail__", so the nodes and edges frames use the prefixed forms.
const (
	// nodes and edges frames (Node Graph shape)
	FieldID           = "id"
	FieldTitle        = "title"
	FieldSubtitle     = "subtitle"
	FieldMainstat     = "mainstat"
	FieldSource       = "source"
	FieldTarget       = "target"
	FieldKind         = "detail__kind"
	FieldRole         = "detail__role"
	FieldReported     = "detail__reported_state"
	FieldAssigned     = "detail__assigned_state"
	FieldConnection   = "detail__connection"
	FieldHealth       = "detail__health"
	FieldTimeline     = "detail__timeline"
	FieldLSN          = "detail__lsn"
	FieldLagBytes     = "detail__lag_bytes"
	FieldLagSeconds   = "detail__lag_seconds"
	FieldReportAge    = "detail__report_age_seconds"
	FieldSyncState    = "detail__sync_state"
	FieldPriority     = "detail__candidate_priority"
	FieldStale        = "detail__stale"
	FieldError        = "detail__error"
	FieldBouncerTgt   = "detail__pgbouncer_target"
	FieldBouncerSrv   = "detail__pgbouncer_servers"
	FieldTone         = "detail__tone"
	FieldAnswering    = "detail__answering"
	FieldRoutesTo     = "detail__routes_to"
	FieldRoutingStale = "detail__routing_stale"
	FieldConfigured   = "detail__configured"

	// status frame
	FieldVerdict       = "verdict"
	FieldReason        = "reason"
	FieldRunbook       = "runbook"
	FieldFormation     = "formation"
	FieldPrimary       = "primary"
	FieldStatusStale   = "stale"
	FieldStaleSince    = "stale_since"
	FieldVerdictTone   = "tone"
	FieldPrimaryAddr   = "primary_address"
	FieldStatusBouncer = "pgbouncer_target"

	// events and episodes frames (also Grafana annotations: time, timeEnd, title, text, tags)
	FieldTime        = "time"
	FieldTimeEnd     = "timeEnd"
	FieldText        = "text"
	FieldTags        = "tags"
	FieldNode        = "node"
	FieldFrom        = "from"
	FieldTo          = "to"
	FieldDescription = "description"
	FieldEventID     = "event_id"
	FieldEpKind      = "kind"
	FieldPrimaryBef  = "primary_before"
	FieldPrimaryAft  = "primary_after"
	FieldWritable    = "writable_after_seconds"
	FieldSettled     = "settled"
	FieldEvents      = "events"
	FieldFirstEvent  = "first_event_id"
	FieldLastEvent   = "last_event_id"
)

// MetaFrame is the meta.custom key that repeats a frame's name. Grafana Live rebuilds a streamed frame from its
// schema without the name (StreamingDataFrame), but keeps meta: the app finds the nodes, edges, status and events
// frames of a live panel by this key, never by guessing from their shape.
const MetaFrame = "frame"

// declared marks f with its name in meta.custom (MetaFrame).
func declared(f *data.Frame) *data.Frame {
	if f.Meta == nil {
		f.Meta = &data.FrameMeta{}
	}
	f.Meta.Custom = map[string]string{MetaFrame: f.Name}
	return f
}

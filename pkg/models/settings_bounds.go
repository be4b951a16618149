package models

import (
	"errors"
	"fmt"
)

// FieldError is a settings problem tied to one jsonData or secureJsonData key, so the health
// check and the config editor can put the message next to the field that holds the mistake.
type FieldError struct {
	Field   string // the key, e.g. "queryTimeoutMs" or "tlsCACert"
	Message string // names the field in words, never echoes a secret
}

func (e *FieldError) Error() string { return e.Message }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors maps each field named by err (as LoadSettings returns it) to its message.
func FieldErrors(err error) map[string]string {
	out := map[string]string{}
	var walk func(error)
	walk = func(e error) {
		if joined, ok := e.(interface{ Unwrap() []error }); ok {
			for _, inner := range joined.Unwrap() {
				walk(inner)
			}
			return
		}
		var fe *FieldError
		if errors.As(e, &fe) {
			if prev, ok := out[fe.Field]; ok {
				out[fe.Field] = prev + "; " + fe.Message
			} else {
				out[fe.Field] = fe.Message
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// TimingBound is the accepted range of one timing setting in milliseconds; 0 (left empty) means
// DefaultMs. Mirrored by SETTINGS_BOUNDS in src/datasource/constants.ts, checked against
// testdata/settings_bounds.golden.json on both sides.
type TimingBound struct {
	Field     string `json:"-"`
	Label     string `json:"label"`
	MinMs     int    `json:"minMs"`
	MaxMs     int    `json:"maxMs"`
	DefaultMs int    `json:"defaultMs"`
}

// TimingBounds, and why:
//   - connect timeout 100 ms–60 s: below 100 ms a TLS handshake across a data centre fails for no
//     reason; reads are serialized per data source, so a connect stuck for minutes would freeze every
//     panel behind it.
//   - query timeout 100 ms–5 min: the monitor and node queries are small; five minutes is already
//     far past the point where the answer is useless to someone watching a failover.
//   - fallback poll 200 ms–60 s: each poll costs two monitor queries plus one per node, so 200 ms
//     caps one data source at ten monitor queries a second; over a minute a failover goes unseen.
//   - live refresh 1 s–10 min: only lag and report ages move without a notification.
var TimingBounds = []TimingBound{
	{Field: "connectTimeoutMs", Label: "connect timeout", MinMs: 100, MaxMs: 60_000, DefaultMs: int(DefaultConnectTimeout.Milliseconds())},
	{Field: "queryTimeoutMs", Label: "query timeout", MinMs: 100, MaxMs: 300_000, DefaultMs: int(DefaultQueryTimeout.Milliseconds())},
	{Field: "pollIntervalMs", Label: "fallback poll interval", MinMs: 200, MaxMs: 60_000, DefaultMs: int(DefaultPollInterval.Milliseconds())},
	{Field: "refreshIntervalMs", Label: "live refresh interval", MinMs: 1000, MaxMs: 600_000, DefaultMs: int(DefaultRefreshInterval.Milliseconds())},
}

func (s *Settings) timingValue(field string) int {
	switch field {
	case "connectTimeoutMs":
		return s.ConnectTimeoutMs
	case "queryTimeoutMs":
		return s.QueryTimeoutMs
	case "pollIntervalMs":
		return s.PollIntervalMs
	case "refreshIntervalMs":
		return s.RefreshIntervalMs
	}
	panic("unknown timing field " + field)
}

// validateTimings checks every timing against its bound; 0 means "not set" and takes the default.
func (s *Settings) validateTimings() []error {
	var errs []error
	for _, b := range TimingBounds {
		v := s.timingValue(b.Field)
		if v != 0 && (v < b.MinMs || v > b.MaxMs) {
			errs = append(errs, fieldErr(b.Field, "%s (%s) must be between %s and %s, got %s",
				b.Label, b.Field, FormatMs(b.MinMs), FormatMs(b.MaxMs), FormatMs(v)))
		}
	}
	return errs
}

// FormatMs writes a duration the way the config editor labels it: 100 ms, 60 s, 5 min.
func FormatMs(ms int) string {
	switch {
	case ms != 0 && ms%60_000 == 0:
		return fmt.Sprintf("%d min", ms/60_000)
	case ms != 0 && ms%1000 == 0:
		return fmt.Sprintf("%d s", ms/1000)
	}
	return fmt.Sprintf("%d ms", ms)
}

package models

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseQueryFormationAndGroup(t *testing.T) {
	q, err := ParseQuery(json.RawMessage(`{"queryType":"status","formation":"analytics","group":1}`))
	if err != nil || q.Formation != "analytics" || q.Group == nil || *q.Group != 1 {
		t.Fatalf("got %+v %v", q, err)
	}
	q, err = ParseQuery(json.RawMessage(`{"queryType":"status"}`))
	if err != nil || q.Formation != "" || q.Group != nil {
		t.Fatalf("no option must mean the data source's formation, every group: %+v %v", q, err)
	}
	if q, err = ParseQuery(json.RawMessage(`{"group":0}`)); err != nil || q.Group == nil || *q.Group != 0 {
		t.Fatalf("group 0 is a group, not 'all': %+v %v", q, err)
	}
	for raw, field := range map[string]string{
		`{"formation":"a b"}`:                             `formation "a b"`,
		`{"formation":"-x"}`:                              `formation "-x"`,
		`{"formation":"` + strings.Repeat("f", 64) + `"}`: "formation",
		`{"group":-1}`:                                    "group -1",
		`{"group":"1"}`:                                   "invalid query JSON",
	} {
		if _, err := ParseQuery(json.RawMessage(raw)); err == nil || !strings.HasPrefix(err.Error(), field) {
			t.Errorf("%s: %v, want an error starting %q", raw, err, field)
		}
	}
}

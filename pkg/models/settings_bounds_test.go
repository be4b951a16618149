package models

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var updateBounds = flag.Bool("update", false, "rewrite testdata/settings_bounds.golden.json")

// The bounds are the contract with the config editor: src/datasource/constants.test.ts reads the same file.
func TestTimingBoundsGolden(t *testing.T) {
	m := map[string]TimingBound{}
	for _, b := range TimingBounds {
		m[b.Field] = b
	}
	got, _ := json.MarshalIndent(m, "", "  ")
	got = append(got, '\n')
	const path = "testdata/settings_bounds.golden.json"
	if *updateBounds {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (write it with go test ./pkg/models -run Golden -update)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s is out of date (go test ./pkg/models -run Golden -update):\n%s", path, got)
	}
}

func TestTimingBoundsAcceptTheirEndsAndTheDefault(t *testing.T) {
	for _, b := range TimingBounds {
		if b.DefaultMs < b.MinMs || b.DefaultMs > b.MaxMs {
			t.Errorf("%s: default %d outside [%d, %d]", b.Field, b.DefaultMs, b.MinMs, b.MaxMs)
		}
		for _, v := range []int{b.MinMs, b.MaxMs, 0} {
			if _, err := load(t, fmt.Sprintf(`{"monitorHost":"m",%q:%d}`, b.Field, v), nil); err != nil {
				t.Errorf("%s=%d: %v", b.Field, v, err)
			}
		}
	}
}

func TestTimingBoundsRejectOutsideWithFieldNamedErrors(t *testing.T) {
	for _, b := range TimingBounds {
		for _, v := range []int{b.MinMs - 1, b.MaxMs + 1, -1} {
			_, err := load(t, fmt.Sprintf(`{"monitorHost":"m",%q:%d}`, b.Field, v), nil)
			fields := FieldErrors(err)
			if len(fields) != 1 || !strings.Contains(fields[b.Field], b.Label+" ("+b.Field+") must be between") {
				t.Errorf("%s=%d: field errors %v (err %v)", b.Field, v, fields, err)
			}
		}
	}
	s, err := load(t, `{"monitorHost":"m","connectTimeoutMs":100,"queryTimeoutMs":300000,"pollIntervalMs":200,"refreshIntervalMs":600000}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.ConnectTimeout() != 100*time.Millisecond || s.QueryTimeout() != 5*time.Minute ||
		s.PollInterval() != 200*time.Millisecond || s.RefreshInterval() != 10*time.Minute {
		t.Errorf("bounds not applied as given: %v %v %v %v", s.ConnectTimeout(), s.QueryTimeout(), s.PollInterval(), s.RefreshInterval())
	}
}

func TestFieldErrorsCollectsEveryField(t *testing.T) {
	_, err := load(t, `{"monitorSchema":"X","sslMode":"maybe","pollIntervalMs":5,"nodeHosts":"ok.example, bad/host"}`, nil)
	got := FieldErrors(err)
	for _, f := range []string{"monitorHost", "monitorSchema", "sslMode", "pollIntervalMs", "nodeHosts"} {
		if got[f] == "" {
			t.Errorf("no error for %s in %v", f, got)
		}
	}
	if len(FieldErrors(nil)) != 0 {
		t.Error("no error, no fields")
	}
}

func TestFormatMs(t *testing.T) {
	for ms, want := range map[int]string{100: "100 ms", 1500: "1500 ms", 1000: "1 s", 60_000: "1 min", 300_000: "5 min", 0: "0 ms", -1: "-1 ms"} {
		if got := FormatMs(ms); got != want {
			t.Errorf("FormatMs(%d) = %q, want %q", ms, got, want)
		}
	}
}

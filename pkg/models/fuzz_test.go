package models

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Any jsonData Grafana could hand over: LoadSettings answers settings or an error, never panics, its error text
// does not depend on the passwords (so it cannot carry one), and valid settings always have usable durations.
func FuzzLoadSettings(f *testing.F) {
	f.Add(`{"monitorHost":"127.0.0.1","monitorPort":6000,"formation":"default"}`, "s3cr3t")
	f.Add(`{"monitorHost":"127.0.0.1","monitorPort":"6000","pgbouncerHost":"127.0.0.1","pgbouncerPort":"x"}`, "pw")
	f.Add(`{"monitorHost":"db","connectTimeoutMs":-5,"pollIntervalMs":1e12}`, "hunter2")
	f.Add(`null`, "")
	f.Add(`{"monitorPort":99999999999999999999}`, "99")
	f.Fuzz(func(t *testing.T, jsonData, password string) {
		load := func(pw string) (Settings, string) {
			s, err := LoadSettings(backend.DataSourceInstanceSettings{
				JSONData:                []byte(jsonData),
				DecryptedSecureJSONData: map[string]string{SecureMonitorPassword: pw, SecurePgBouncerPassword: pw, SecureNodePassword: pw},
			})
			if err != nil {
				return s, err.Error()
			}
			return s, ""
		}
		s, msg := load(password)
		if _, other := load(strings.Repeat("#", len(password)+1)); msg != other {
			t.Fatalf("the error depends on the password: %q vs %q", msg, other)
		}
		if msg != "" {
			return
		}
		for _, d := range []time.Duration{s.ConnectTimeout(), s.QueryTimeout(), s.PollInterval(), s.RefreshInterval()} {
			if d <= 0 {
				t.Fatalf("valid settings %+v give a non-positive duration %v", s, d)
			}
		}
	})
}

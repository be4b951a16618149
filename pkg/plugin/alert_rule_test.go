package plugin

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"
)

// provisionedRule is the part of provisioning/alerting/pgha-formation.yaml these tests evaluate.
type provisionedRule struct {
	Title     string
	Condition string
	Data      []struct {
		RefID         string         `yaml:"refId"`
		DatasourceUID string         `yaml:"datasourceUid"`
		Model         map[string]any `yaml:"model"`
	}
}

func formationRule(t *testing.T) provisionedRule {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "provisioning", "alerting", "pgha-formation.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct{ Rules []provisionedRule }
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 1 || len(doc.Groups[0].Rules) != 1 {
		t.Fatalf("want one group with one rule, got %+v", doc.Groups)
	}
	return doc.Groups[0].Rules[0]
}

// firing evaluates the rule the way Grafana does for this shape: query A sent to the data source with the FromAlert
// header (the model as the query JSON, queryType from the model), B = last value of each series, C = B below the
// threshold. It fails the test on any step Grafana would reject (an unknown query, a frame that is not a numeric
// series, an expression chain this helper does not know).
func firing(t *testing.T, d *Datasource, rule provisionedRule) bool {
	t.Helper()
	if len(rule.Data) != 3 || rule.Condition != "C" {
		t.Fatalf("rule %q: want A (pgha) → B (reduce) → C (threshold), got %+v", rule.Title, rule.Data)
	}
	a, b, c := rule.Data[0], rule.Data[1], rule.Data[2]
	if a.DatasourceUID != "pgha" || b.Model["type"] != "reduce" || b.Model["reducer"] != "last" ||
		b.Model["expression"] != "A" || c.Model["type"] != "threshold" || c.Model["expression"] != "B" {
		t.Fatalf("unexpected expression chain: %+v", rule.Data)
	}
	model, _ := json.Marshal(a.Model)
	q := query(a.Model["queryType"].(string), string(model))
	req := request(q)
	req.Headers = map[string]string{backend.FromAlertHeaderName: "true"}
	resp, err := d.QueryData(context.Background(), req)
	if err != nil || resp.Responses["A"].Error != nil {
		t.Fatal(err, resp.Responses["A"].Error)
	}
	frames := resp.Responses["A"].Frames
	if len(frames) != 1 || frames[0].TimeSeriesSchema().Type != data.TimeSeriesTypeWide || len(frames[0].Fields) != 2 {
		t.Fatalf("query A must give one wide series with one number: %v", frames)
	}
	v, ok := frames[0].Fields[1].ConcreteAt(frames[0].Rows() - 1)
	if !ok {
		t.Fatal("no value: Grafana would report NoData (this rule alerts on it)")
	}
	cond := c.Model["conditions"].([]any)[0].(map[string]any)["evaluator"].(map[string]any)
	limit := cond["params"].([]any)[0].(int)
	if cond["type"] != "lt" {
		t.Fatalf("evaluator %v", cond)
	}
	return float64(v.(int64)) < float64(limit)
}

// With the monitor unreachable the formation is not healthy: the provisioned rule must fire.
func TestProvisionedFormationRuleFiresWhenTheMonitorIsDown(t *testing.T) {
	if !firing(t, newInstance(t, downMonitor(t)), formationRule(t)) {
		t.Fatal("the formation rule does not fire with the monitor down")
	}
}

package plugin

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// Group field names, declared once: the status and groups frames carry FieldGroup, the nodes frame
// FieldNodeGroup (a Node Graph detail, shown on hover), so a panel can draw every node of a group together.
const (
	FieldGroup              = "group"
	FieldNodeGroup          = "detail__" + FieldGroup
	fieldGroups             = "groups"               // status: how many groups the formation has
	fieldNumberSyncStandbys = "number_sync_standbys" // status: the formation's setting
)

// GroupsFrame is one row per group of the formation: each group fails over on its own, so each has its own
// verdict; the status frame carries the worst of them.
func GroupsFrame(s pgha.Snapshot) *data.Frame {
	group := data.NewField(FieldGroup, nil, []int64{})
	verdict := data.NewField("verdict", nil, []string{})
	code := data.NewField(models.MeasureVerdictCode, nil, []int64{}).SetConfig(&data.FieldConfig{Mappings: verdictMappings()})
	reason := data.NewField("reason", nil, []string{})
	runbook := data.NewField("runbook", nil, []string{})
	primary := data.NewField("primary", nil, []string{})
	nodes := data.NewField("nodes", nil, []int64{})
	eligible := data.NewField(models.MeasureEligibleStandbys, nil, []int64{})
	for _, g := range pgha.ClassifyGroups(s) {
		gs := s.Group(g.Group)
		if len(s.Groups()) == 0 {
			gs = s // no node known: the row speaks for the formation
		}
		group.Append(int64(g.Group))
		verdict.Append(string(g.Verdict))
		code.Append(int64(pgha.VerdictCode(g.Verdict)))
		reason.Append(g.Reason)
		runbook.Append(g.Runbook)
		primary.Append(g.Primary)
		nodes.Append(int64(len(gs.Nodes)))
		eligible.Append(int64(pgha.Measure(gs, g.Status).EligibleStandbys))
	}
	return data.NewFrame("groups", group, verdict, code, reason, runbook, primary, nodes, eligible).
		SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
}

// statusGroupFields are the status frame's group columns: the group its verdict comes from (the worst; the only
// one for a formation of one group), how many groups there are, and number_sync_standbys.
func statusGroupFields(s pgha.Snapshot) []*data.Field {
	groups := pgha.ClassifyGroups(s)
	worst := int64(pgha.Worst(groups).Group)
	return []*data.Field{
		data.NewField(FieldGroup, nil, []*int64{&worst}),
		data.NewField(fieldGroups, nil, []int64{int64(len(s.Groups()))}),
		data.NewField(fieldNumberSyncStandbys, nil, []int64{int64(s.NumberSyncStandbys)}),
	}
}

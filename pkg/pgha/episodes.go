package pgha

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Formation episodes: pg_auto_failover logs every step of a failover as its own event (a hard kill is ~20 rows:
// goal states, reported states, health flips), which buries the one fact on-call needs next to a burn chart —
// "node2 → node1, writable again after 7.5 s". FoldEpisodes folds the raw events into episodes: a run of events
// from the first departure from a settled formation until every node is settled again (reported = goal, a steady
// state, healthy). Pure: events in, episodes out. This is the only place that decides what an episode is; the app
// reads the episodes frame (plugin.EpisodesFrame) and annotations come from it.

// EpisodeKind names what an episode was.
type EpisodeKind string

const (
	EpisodeFailover    EpisodeKind = "failover"     // the primary changed without anyone asking
	EpisodeSwitchover  EpisodeKind = "switchover"   // the primary changed on request (perform switchover)
	EpisodePrimaryKept EpisodeKind = "primary kept" // the formation moved and settled on the same primary
	EpisodeNoPrimary   EpisodeKind = "no primary"   // it settled with no writable node
	EpisodeInProgress  EpisodeKind = "in progress"  // still under way at the last event
	EpisodeOther       EpisodeKind = "other"        // events that name no node: nothing to judge
)

// EpisodeMaxGap also closes an episode after a quiet stretch this long, so a node that never settles cannot
// swallow a day.
const EpisodeMaxGap = 10 * time.Minute

// Episode is one folded run of monitor events.
type Episode struct {
	Kind  EpisodeKind
	Start time.Time // first event
	End   time.Time // last event
	// Title is the one line for a list or an annotation: "Failover: node2 → node1".
	Title string
	// Detail: "node1 writable after 7.5 s · node2 stopped answering the monitor · ended: node1 primary, …".
	Detail        string
	PrimaryBefore string // "" when no node reported a writable state at its first event
	PrimaryAfter  string // "" when no node is settled writable at the end
	// WritableAfter is from the first event to the new primary first reporting a writable state; nil unless the
	// primary changed.
	WritableAfter *time.Duration
	// Settled: every node was settled by the last event (false: still under way).
	Settled bool
	Events  []Event
}

// reportsWritable: the states in which a node takes writes as reported (what "writable again" means).
var reportsWritable = set(StateSingle, StateWaitPrimary, StatePrimary)

var (
	markedUnhealthy = regexp.MustCompile(`(?i)marked as unhealthy`)
	markedHealthy   = regexp.MustCompile(`(?i)marked as healthy`)
	userInitiated   = regexp.MustCompile(`(?i)user-initiated`)
)

type nodeState struct {
	reported, goal State
	healthy        bool
}

func (n nodeState) settled() bool {
	return n.healthy && n.reported != "" && n.reported == n.goal && steadyStates[n.reported]
}

func allSettled(nodes map[string]*nodeState) bool {
	for _, n := range nodes {
		if !n.settled() {
			return false
		}
	}
	return true
}

func applyEvent(nodes map[string]*nodeState, e Event) {
	if e.NodeName == "" {
		return
	}
	n := nodes[e.NodeName]
	if n == nil {
		n = &nodeState{healthy: true}
		nodes[e.NodeName] = n
	}
	if e.Reported != "" {
		n.reported = e.Reported
	}
	if e.Goal != "" {
		n.goal = e.Goal
	}
	switch {
	case markedUnhealthy.MatchString(e.Description):
		n.healthy = false
	case markedHealthy.MatchString(e.Description):
		n.healthy = true
	}
}

// FoldEpisodes splits events (any order) into episodes, oldest first. Node states carry over between episodes: a
// node that has not settled is still unsettled in the next run.
func FoldEpisodes(events []Event) []Episode {
	sorted := append([]Event(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Time.Equal(sorted[j].Time) {
			return sorted[i].ID < sorted[j].ID
		}
		return sorted[i].Time.Before(sorted[j].Time)
	})
	nodes := map[string]*nodeState{}
	var out []Episode
	var run []Event
	closeRun := func(last bool) {
		snapshot := make(map[string]nodeState, len(nodes))
		for k, v := range nodes {
			snapshot[k] = *v
		}
		settled := allSettled(nodes)
		out = append(out, describeEpisode(run, snapshot, settled, last && !settled))
		run = nil
	}
	for _, e := range sorted {
		if len(run) > 0 && e.Time.Sub(run[len(run)-1].Time) > EpisodeMaxGap {
			closeRun(false)
		}
		run = append(run, e)
		applyEvent(nodes, e)
		if allSettled(nodes) {
			closeRun(false)
		}
	}
	if len(run) > 0 {
		closeRun(true)
	}
	return out
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func sortedNames(nodes map[string]nodeState) []string {
	names := make([]string, 0, len(nodes))
	for k := range nodes {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func describeEpisode(run []Event, nodes map[string]nodeState, settled, open bool) Episode {
	ep := Episode{Start: run[0].Time, End: run[len(run)-1].Time, Settled: settled, Events: run}
	var order []string // nodes in the order they first appear
	first := map[string]Event{}
	unhealthy := map[string]bool{}
	var lost []string
	requested := false
	for _, e := range run {
		if e.NodeName != "" {
			if _, seen := first[e.NodeName]; !seen {
				first[e.NodeName] = e
				order = append(order, e.NodeName)
			}
			if markedUnhealthy.MatchString(e.Description) && !unhealthy[e.NodeName] {
				unhealthy[e.NodeName] = true
				lost = append(lost, e.NodeName)
			}
		}
		if userInitiated.MatchString(e.Description) {
			requested = true
		}
	}
	if len(first) == 0 {
		// Events without node or states (another source, an older monitor): nothing to judge, say what it said.
		ep.Kind, ep.Title, ep.Settled = EpisodeOther, run[0].Description, true
		return ep
	}
	for _, name := range order {
		if reportsWritable[first[name].Reported] {
			ep.PrimaryBefore = name
			break
		}
	}
	names := sortedNames(nodes)
	for _, name := range names {
		if n := nodes[name]; n.reported == n.goal && reportsWritable[n.reported] {
			ep.PrimaryAfter = name
			break
		}
	}
	if ep.PrimaryAfter != "" && ep.PrimaryAfter != ep.PrimaryBefore {
		for _, e := range run {
			if e.NodeName == ep.PrimaryAfter && reportsWritable[e.Reported] {
				d := e.Time.Sub(ep.Start)
				ep.WritableAfter = &d
				break
			}
		}
	}

	switch {
	case ep.PrimaryAfter != "" && ep.PrimaryBefore != "" && ep.PrimaryAfter != ep.PrimaryBefore:
		word := "Failover"
		ep.Kind = EpisodeFailover
		if requested {
			word, ep.Kind = "Switchover", EpisodeSwitchover
		}
		ep.Title = fmt.Sprintf("%s: %s → %s", word, ep.PrimaryBefore, ep.PrimaryAfter)
	case open:
		ep.Kind = EpisodeInProgress
		ep.Title = "Under way: no writable primary yet"
		if ep.PrimaryAfter != "" {
			ep.Title = fmt.Sprintf("Under way: %s writable", ep.PrimaryAfter)
		}
	case ep.PrimaryAfter == "":
		ep.Kind, ep.Title = EpisodeNoPrimary, "No writable primary"
	default:
		ep.Kind, ep.Title = EpisodePrimaryKept, ep.PrimaryAfter+" stayed primary"
	}

	var parts []string
	if ep.WritableAfter != nil {
		parts = append(parts, fmt.Sprintf("%s writable after %s", ep.PrimaryAfter, seconds(*ep.WritableAfter)))
	}
	// In a requested switchover the old primary is briefly marked unhealthy while it demotes: that is not news.
	if len(lost) > 0 && !requested {
		parts = append(parts, strings.Join(lost, " and ")+" stopped answering the monitor")
	}
	states := make([]string, 0, len(names))
	for _, name := range names {
		n := nodes[name]
		s := string(n.reported)
		if n.reported != n.goal {
			s = fmt.Sprintf("%s → %s", n.reported, n.goal)
		}
		states = append(states, name+" "+s)
	}
	word := "now"
	if settled {
		word = "ended"
	}
	parts = append(parts, word+": "+strings.Join(states, ", "))
	if ep.End.After(ep.Start) {
		parts = append(parts, seconds(ep.End.Sub(ep.Start))+" from first to last event")
	}
	ep.Detail = strings.Join(parts, " · ")
	return ep
}

package plugin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/veza/slo/pkg/models"
	"github.com/veza/slo/pkg/pgha"
)

// formationReaders is everything that reads one formation: the monitor and node connections, the shared snapshot
// and the shared events list. The data source's own formation (settings) has one from the start; another
// formation registered on the same monitor gets one the first time a query names it.
type formationReaders struct {
	reader     *pgha.Reader
	shared     *sharedReader
	liveEvents *liveEvents
}

func newFormationReaders(s models.Settings) *formationReaders {
	r := pgha.NewReader(s)
	return &formationReaders{reader: r, shared: newSharedReader(r, s.PollInterval(), s.RefreshInterval()), liveEvents: newLiveEvents(r)}
}

func (f *formationReaders) close() {
	f.shared.Close()
	f.reader.Close()
}

// maxOtherFormations bounds the readers a dashboard can make an instance open (each holds a monitor connection
// and one per node); a monitor with more formations needs more data sources.
const maxOtherFormations = 8

// scope is what one query reads: its formation's readers and snapshot, narrowed to its group.
type scope struct {
	readers *formationReaders
	snap    pgha.Snapshot
	group   *int
	// own is true for the data source's formation, every group: what the live stream paths carry.
	own bool
}

// queryScope resolves a query's formation and group options. Unknown names are query errors that say what exists:
// `formation "x" not found on the monitor; formations: a, b`, `group 3 not found in formation "default"; groups: 0, 1`.
// The data source's own formation missing is not an error here: its status says so (monitor verdict, health check).
// withSnapshot=false is for the events queries, which read no snapshot of the data source's own formation (a group
// option still needs one, to check the group exists).
func (d *Datasource) queryScope(ctx context.Context, m models.Query, withSnapshot bool) (scope, error) {
	readers, err := d.readersFor(ctx, m.Formation)
	if err != nil {
		return scope{}, err
	}
	sc := scope{readers: readers, group: m.Group, own: readers == d.own && m.Group == nil}
	if !withSnapshot && m.Group == nil {
		return sc, nil
	}
	sc.snap = readers.shared.Snapshot(ctx)
	var missing *pgha.FormationNotFoundError
	if readers != d.own && errors.As(sc.snap.MonitorErr, &missing) {
		return scope{}, missing // dropped from the monitor since its reader opened
	}
	if m.Group != nil && sc.snap.MonitorErr == nil {
		groups := sc.snap.Groups()
		if !containsInt(groups, *m.Group) {
			return scope{}, fmt.Errorf("group %d not found in formation %q; groups: %s", *m.Group, sc.snap.Formation, intList(groups))
		}
	}
	if m.Group != nil {
		sc.snap = sc.snap.Group(*m.Group)
	}
	return sc, nil
}

// readersFor returns the readers of a formation, opening them on first use once the monitor confirms it has that
// formation; a name the monitor does not know keeps no reader.
func (d *Datasource) readersFor(ctx context.Context, formation string) (*formationReaders, error) {
	if formation == "" || formation == d.settings.Formation {
		return d.own, nil
	}
	d.othersMu.Lock()
	defer d.othersMu.Unlock()
	if d.shared.isClosed() {
		// Disposed (settings saved): a reader opened now would never be closed.
		return nil, fmt.Errorf("formation %q: data source instance closed (its settings changed or it was deleted)", formation)
	}
	if r, ok := d.others[formation]; ok {
		return r, nil
	}
	if len(d.others) >= maxOtherFormations {
		return nil, fmt.Errorf("formation %q: this data source already reads %d other formations (at most %d); add a data source for it",
			formation, len(d.others), maxOtherFormations)
	}
	s := d.settings
	s.Formation = formation
	r := newFormationReaders(s)
	snap := r.shared.Snapshot(ctx)
	var missing *pgha.FormationNotFoundError
	if errors.As(snap.MonitorErr, &missing) {
		r.close()
		return nil, missing
	}
	if snap.MonitorErr != nil {
		// The monitor did not answer: nothing says the name is right, so keep no reader for it.
		r.close()
		return nil, fmt.Errorf("formation %q: %w", formation, snap.MonitorErr)
	}
	d.others[formation] = r
	return r, nil
}

// groupEvents keeps the events of one group (all when group is nil).
func groupEvents(events []pgha.Event, group *int) []pgha.Event {
	if group == nil {
		return events
	}
	var out []pgha.Event
	for _, e := range events {
		if e.GroupID == *group {
			out = append(out, e)
		}
	}
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func intList(list []int) string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = strconv.Itoa(v)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

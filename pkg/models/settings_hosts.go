package models

import (
	"net/netip"
	"regexp"
	"strings"
)

// HostAllowList is nodeHosts parsed: the hosts the backend may connect to, and so send the node
// password to, among those the monitor lists. The monitor's node table is written by whoever can
// register a node, so without a list a rogue entry would receive the node credentials.
// Names match exactly (case-insensitive) or by "*.suffix"; IPs and CIDRs match only nodes the
// monitor lists by IP address: names are never resolved here, as the answer could change between
// the check and the connect.
type HostAllowList struct {
	names    map[string]bool
	suffixes []string // ".db.internal" for "*.db.internal"
	nets     []netip.Prefix
}

var hostName = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$`)

// ParseHostAllowList reads a comma- (or space-) separated list; nil when empty (everything allowed).
func ParseHostAllowList(raw string) (*HostAllowList, error) {
	entries := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	if len(entries) == 0 {
		return nil, nil
	}
	a := &HostAllowList{names: map[string]bool{}}
	for _, e := range entries {
		entry := normalizeHost(e)
		if p, err := netip.ParsePrefix(entry); err == nil {
			a.nets = append(a.nets, p.Masked())
			continue
		}
		if ip, err := netip.ParseAddr(entry); err == nil {
			a.nets = append(a.nets, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		if suffix, ok := strings.CutPrefix(entry, "*."); ok && hostName.MatchString(suffix) {
			a.suffixes = append(a.suffixes, "."+suffix)
			continue
		}
		if hostName.MatchString(entry) {
			a.names[entry] = true
			continue
		}
		if len(e) > 80 {
			e = e[:80] + "…"
		}
		return nil, fieldErr("nodeHosts", "node host allow-list (nodeHosts): %q is not a host name, *.domain, IP address or CIDR", e)
	}
	return a, nil
}

// Allows tells whether the backend may connect to host. A nil list allows every host.
func (a *HostAllowList) Allows(host string) bool {
	if a == nil {
		return true
	}
	h := normalizeHost(host)
	if ip, err := netip.ParseAddr(h); err == nil {
		ip = ip.Unmap().WithZone("")
		for _, p := range a.nets {
			if p.Contains(ip) {
				return true
			}
		}
		return false
	}
	if a.names[h] {
		return true
	}
	for _, s := range a.suffixes {
		if strings.HasSuffix(h, s) && len(h) > len(s) {
			return true
		}
	}
	return false
}

func normalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}

package pgha

import (
	"net"
	"strconv"
	"strings"
)

func hostPort(host string, port int) string {
	if port == 0 {
		return host
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func isLoopback(host string) bool {
	if host == "localhost" || host == "" || strings.HasPrefix(host, "/") { // "" and /dir: unix socket, same machine
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MatchNode maps a host:port PgBouncer talks to onto a formation node. pg_auto_failover records
// the --hostname each node registered with ("localhost"), PgBouncer the address it was given
// ("127.0.0.1"), so an exact match is tried first, then loopback equivalence. A port alone is
// not enough: in production every node listens on 5432. Returns "" when nothing matches.
func MatchNode(nodes []Node, host string, port int) string {
	for _, n := range nodes {
		if n.Port == port && strings.EqualFold(n.Host, host) {
			return n.Name
		}
	}
	for _, n := range nodes {
		if n.Port == port && isLoopback(n.Host) && isLoopback(host) {
			return n.Name
		}
	}
	return ""
}

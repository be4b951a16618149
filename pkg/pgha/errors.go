package pgha

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Problem sorts a connection or query failure into what an operator must fix.
type Problem string

const (
	ProblemAuth        Problem = "wrong password or user"
	ProblemUnreachable Problem = "unreachable"
	ProblemNotMonitor  Problem = "not a pg_auto_failover monitor"
	ProblemPrivilege   Problem = "missing privilege"
	ProblemTimeout     Problem = "timeout"
	ProblemNoFormation Problem = "formation not found"
	ProblemOther       Problem = "error"
)

// Failure is a safe-to-show error: built only from the address, user, a Problem and the
// server's own message, never from a connection string, so it cannot carry a password.
type Failure struct {
	Problem Problem
	Target  string // "monitor 127.0.0.1:6000", "node1 localhost:6001", "PgBouncer 127.0.0.1:6432"
	Detail  string
	cause   error
}

func (f *Failure) Error() string { return f.Target + ": " + f.Short() }

// Short is the failure without its target: "wrong password (password authentication failed …)".
func (f *Failure) Short() string {
	if f.Detail == "" {
		return string(f.Problem)
	}
	return string(f.Problem) + " (" + f.Detail + ")"
}

// Unwrap lets errors.Is see context cancellation; the cause is never printed.
func (f *Failure) Unwrap() error { return f.cause }

// Describe classifies err. secrets are scrubbed from the detail as a second line of defence.
func Describe(target string, err error, secrets ...string) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	out := &Failure{Target: target, Problem: ProblemOther, cause: err}
	var pgErr *pgconn.PgError
	var netErr net.Error
	var missing *FormationNotFoundError
	switch {
	case errors.As(err, &missing):
		out.Problem, out.Detail = ProblemNoFormation, fmt.Sprintf("%q; %s", missing.Name, missing.known())
	case errors.Is(err, ErrFormationNotFound):
		out.Problem, out.Detail = ProblemNoFormation, strings.TrimPrefix(err.Error(), ErrFormationNotFound.Error()+": ")
	case errors.As(err, &pgErr):
		out.Problem = sqlStateProblem(pgErr.Code)
		if strings.Contains(pgErr.Message, "authentication failed") { // PgBouncer uses 08P01 for these
			out.Problem = ProblemAuth
		}
		out.Detail = pgErr.Message
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		out.Problem, out.Detail = ProblemTimeout, "no answer in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		out.Problem, out.Detail = ProblemUnreachable, "connection refused"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, net.ErrClosed):
		// A pooled connection to a server that died: the next connect will be refused.
		out.Problem, out.Detail = ProblemUnreachable, "connection lost"
	case isDNS(err):
		out.Problem, out.Detail = ProblemUnreachable, "host name does not resolve"
	case errors.As(err, &netErr) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		out.Problem, out.Detail = ProblemUnreachable, "network error"
	case errors.Is(err, context.Canceled):
		out.Detail = "cancelled"
	default:
		// pgconn wraps some failures (TLS, protocol) without a typed error; its text names
		// user and database but not the password. Scrub anyway.
		out.Detail = lastClause(err.Error())
	}
	out.Detail = Redact(out.Detail, secrets...)
	return out
}

func isDNS(err error) bool {
	var d *net.DNSError
	return errors.As(err, &d)
}

// sqlStateProblem maps the SQLSTATE codes a monitor, node or PgBouncer login can return.
func sqlStateProblem(code string) Problem {
	switch code {
	case "28P01", "28000": // invalid_password, invalid_authorization_specification
		return ProblemAuth
	case "3D000", "3F000", "42P01", "42883": // no database, schema, table or function
		return ProblemNotMonitor
	case "42501": // insufficient_privilege
		return ProblemPrivilege
	case "57P03", "08006", "08001", "08004": // cannot_connect_now, connection failures
		return ProblemUnreachable
	case "57014": // query_canceled (statement timeout)
		return ProblemTimeout
	}
	return ProblemOther
}

// lastClause keeps the innermost message of a wrapped error chain ("a: b: c" → "c").
func lastClause(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}

var (
	urlCreds = regexp.MustCompile(`(?i)(postgres(?:ql)?://)[^@\s/]*@`)
	kvSecret = regexp.MustCompile(`(?i)(password|passwd|sslpassword)\s*=\s*('(?:[^'\\]|\\.|'')*'|\S+)`)
)

// Redact removes passwords from text that may reach a user: known secrets, URL credentials
// and key=value password pairs.
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 1 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	s = urlCreds.ReplaceAllString(s, "${1}***@")
	return kvSecret.ReplaceAllString(s, "${1}=***")
}

package pgha

import (
	"regexp"
)

// ProblemInsecureAuth is a server that asked for a password in a form this data source refuses.
const ProblemInsecureAuth Problem = "insecure authentication refused"

// pgconn's require_auth refusal: `authentication method requirement "…" failed: server requested md5 authentication`.
var refusedAuth = regexp.MustCompile(`require_auth check failed: .*server requested (\S+) authentication`)

var authNames = map[string]string{
	"password": "cleartext password",
	"md5":      "MD5 password",
}

// describeAuthRefusal explains a require_auth refusal; nil if err is not one. pgconn stops
// before writing anything, so no password (nor digest of one) has left the process.
func describeAuthRefusal(target string, err error) *Failure {
	m := refusedAuth.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	method, ok := authNames[m[1]]
	if !ok {
		method = m[1]
	}
	return &Failure{Target: target, Problem: ProblemInsecureAuth, cause: err,
		Detail: "the server asked for " + method + " authentication, which this data source refuses when a password is set; " +
			"nothing was sent. Use scram-sha-256 in pg_hba.conf (password_encryption = scram-sha-256), or client certificates"}
}

// describeConnect classifies a connection failure: refused authentication and TLS first, as
// Describe would file them under "error" with pgconn's wording.
func describeConnect(e Endpoint, err error) *Failure {
	if f := describeAuthRefusal(e.Label(), err); f != nil {
		return f
	}
	if f := describeTLS(e, err); f != nil {
		return f
	}
	return Describe(e.Label(), err, e.Password)
}

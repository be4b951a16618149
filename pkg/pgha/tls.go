package pgha

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/veza/slo/pkg/models"
)

// ProblemTLS is a TLS negotiation or certificate failure.
const ProblemTLS Problem = "TLS failed"

// effectiveSSLMode is the sslmode handed to pgconn. With a CA certificate, require verifies the
// chain as libpq does (require + root certificate = verify-ca); pgconn only does that when the CA
// comes from a file (sslrootcert), and ours never touches the disk.
func effectiveSSLMode(mode string, m *models.TLSMaterial) string {
	if mode == "require" && m.HasCA() {
		return "verify-ca"
	}
	return mode
}

// applyTLS puts the CA pool and the client certificate on every TLS config pgconn built from the
// sslmode: the first attempt and each fallback (prefer and allow try with and without TLS).
// Mutating pgconn's own configs rather than replacing them keeps its checks: verify-ca's
// VerifyPeerCertificate reads tlsConfig.RootCAs of that same object when the server answers, and
// verify-full verifies ServerName (the host) against RootCAs.
func applyTLS(cfg *pgconn.Config, m *models.TLSMaterial) {
	if m == nil {
		return
	}
	set := func(tc *tls.Config) {
		if tc == nil {
			return
		}
		if m.RootCAs != nil {
			tc.RootCAs = m.RootCAs
		}
		if len(m.Certificates) > 0 {
			tc.Certificates = m.Certificates
		}
	}
	set(cfg.TLSConfig)
	for _, fb := range cfg.Fallbacks {
		set(fb.TLSConfig)
	}
}

// describeTLS explains a TLS failure in the operator's terms; nil if err is not one.
func describeTLS(e Endpoint, err error) *Failure {
	f := &Failure{Target: e.Label(), Problem: ProblemTLS, cause: err}
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var alert tls.AlertError
	var op *net.OpError
	var recordHeader tls.RecordHeaderError
	switch {
	case errors.As(err, &unknown):
		f.Detail = "the server's certificate is not signed by the configured CA certificate (tlsCACert)"
		if !e.TLS.HasCA() {
			f.Detail = "the server's certificate is not signed by a CA this system trusts; set the CA certificate (tlsCACert)"
		}
	case errors.As(err, &host):
		f.Detail = "the server's certificate is not valid for host " + host.Host + " (verify-full checks the host name; verify-ca does not)"
	case errors.As(err, &invalid):
		f.Detail = "the server's certificate is not usable: " + invalidReason(invalid)
	case errors.As(err, &alert) || (errors.As(err, &op) && op.Op == "remote error"):
		// crypto/tls reports an alert from the peer as a net.OpError "remote error" (AlertError is QUIC's).
		f.Detail = "the server rejected the TLS handshake (" + lastClause(err.Error()) + "): does it require a client certificate, or not trust this one?"
	case errors.As(err, &recordHeader):
		f.Detail = "the server does not speak TLS"
	case strings.Contains(err.Error(), "server refused TLS connection"):
		f.Detail = "the server does not accept TLS connections, and the TLS mode requires TLS"
	default:
		return nil
	}
	return f
}

func invalidReason(e x509.CertificateInvalidError) string {
	switch e.Reason {
	case x509.Expired:
		return "expired or not yet valid"
	case x509.NotAuthorizedToSign:
		return "signed by a certificate that is not a CA"
	case x509.IncompatibleUsage:
		return "not issued for server authentication"
	}
	return "invalid"
}

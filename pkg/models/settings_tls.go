package models

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"strings"
)

// Secret TLS keys in secureJsonData, Grafana's usual names. PEM text, held in memory only: pgx is
// given parsed certificates, never a file name, so nothing is written to disk.
const (
	SecureTLSCACert     = "tlsCACert"
	SecureTLSClientCert = "tlsClientCert"
	SecureTLSClientKey  = "tlsClientKey"
)

// TLSMaterial is the parsed CA pool and client certificate, shared by every connection the
// backend makes (monitor, PgBouncer, nodes).
type TLSMaterial struct {
	RootCAs      *x509.CertPool    // nil: no CA given (verify-* then use the system roots)
	Certificates []tls.Certificate // empty: no client certificate
}

// TLS parses the TLS secrets; nil when none is configured. Errors name the field and never
// quote the PEM text (the Go parsers' messages are replaced for that reason).
func (s Settings) TLS() (*TLSMaterial, error) {
	if s.TLSCACert == "" && s.TLSClientCert == "" && s.TLSClientKey == "" {
		return nil, nil
	}
	m := &TLSMaterial{}
	if s.TLSCACert != "" {
		pool, err := parseCAs(s.TLSCACert)
		if err != nil {
			return nil, err
		}
		m.RootCAs = pool
	}
	switch {
	case s.TLSClientCert == "" && s.TLSClientKey == "":
	case s.TLSClientKey == "":
		return nil, fieldErr(SecureTLSClientKey, "TLS client key (%s) is required with a client certificate", SecureTLSClientKey)
	case s.TLSClientCert == "":
		return nil, fieldErr(SecureTLSClientCert, "TLS client certificate (%s) is required with a client key", SecureTLSClientCert)
	default:
		cert, err := parseClientCert(s.TLSClientCert, s.TLSClientKey)
		if err != nil {
			return nil, err
		}
		m.Certificates = []tls.Certificate{cert}
	}
	return m, nil
}

// HasCA tells whether a CA certificate is configured (it turns sslMode require into verify-ca).
func (m *TLSMaterial) HasCA() bool { return m != nil && m.RootCAs != nil }

func parseCAs(text string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	n := 0
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fieldErr(SecureTLSCACert, "TLS CA certificate (%s): certificate %d is not a valid X.509 certificate", SecureTLSCACert, n+1)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fieldErr(SecureTLSCACert, "TLS CA certificate (%s): no PEM certificate found", SecureTLSCACert)
	}
	return pool, nil
}

func parseClientCert(certText, keyText string) (tls.Certificate, error) {
	if !hasPEMBlock(certText, func(t string) bool { return t == "CERTIFICATE" }) {
		return tls.Certificate{}, fieldErr(SecureTLSClientCert, "TLS client certificate (%s): no PEM certificate found", SecureTLSClientCert)
	}
	if strings.Contains(keyText, "ENCRYPTED") {
		return tls.Certificate{}, fieldErr(SecureTLSClientKey,
			"TLS client key (%s): encrypted keys are not supported; paste the key unencrypted (Grafana stores it encrypted)", SecureTLSClientKey)
	}
	if !hasPEMBlock(keyText, func(t string) bool { return strings.HasSuffix(t, "PRIVATE KEY") }) {
		return tls.Certificate{}, fieldErr(SecureTLSClientKey, "TLS client key (%s): no PEM private key found", SecureTLSClientKey)
	}
	cert, err := tls.X509KeyPair([]byte(certText), []byte(keyText))
	if err != nil {
		return tls.Certificate{}, fieldErr(SecureTLSClientKey,
			"TLS client key (%s): does not match the client certificate, or is not an RSA, ECDSA or Ed25519 key", SecureTLSClientKey)
	}
	return cert, nil
}

func hasPEMBlock(text string, want func(string) bool) bool {
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return false
		}
		if want(block.Type) {
			return true
		}
	}
}

package models

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/veza/slo/pkg/internal/testpki"
)

func TestTLSSecretsAreParsedInMemory(t *testing.T) {
	ca := testpki.NewCA(t, "veza test CA")
	client := ca.Client(t, "grafana_pgha")
	s, err := load(t, `{"monitorHost":"m","sslMode":"verify-full"}`, map[string]string{
		SecureTLSCACert: "\n" + ca.PEM, SecureTLSClientCert: client.CertPEM, SecureTLSClientKey: client.KeyPEM})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.TLS()
	if err != nil || !m.HasCA() || len(m.Certificates) != 1 {
		t.Fatalf("material %+v, %v", m, err)
	}
	leaf, _ := x509.ParseCertificate(client.TLS.Certificate[0])
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: m.RootCAs, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Errorf("the CA pool does not hold the configured CA: %v", err)
	}
	if got := s.Secrets(); got[3] != strings.TrimSpace(client.KeyPEM) {
		t.Error("the client key is not among the secrets scrubbed from errors")
	}
}

func TestNoTLSSecretsNoMaterial(t *testing.T) {
	s, err := load(t, `{"monitorHost":"m"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := s.TLS(); m != nil || err != nil || m.HasCA() {
		t.Fatalf("got %+v %v", m, err)
	}
}

func TestTLSSecretsRejectedByFieldWithoutEchoingThem(t *testing.T) {
	ca := testpki.NewCA(t, "veza test CA")
	other := testpki.NewCA(t, "other CA")
	client := ca.Client(t, "grafana_pgha")
	stranger := other.Client(t, "grafana_pgha")
	garbage := "not a certificate but a secret-ish paste 0123456789"
	// An encrypted PKCS#8 block, built here rather than pasted: only its PEM type matters to the check, and a
	// key-shaped literal in the source would be a finding for the secret scanner (scripts/gitleaks.test.ts).
	encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("not a real key")}))
	brokenCert := "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
	cases := map[string]struct {
		secure     map[string]string
		field, msg string
	}{
		"CA not PEM":        {map[string]string{SecureTLSCACert: garbage}, SecureTLSCACert, "TLS CA certificate (tlsCACert): no PEM certificate found"},
		"CA a key":          {map[string]string{SecureTLSCACert: client.KeyPEM}, SecureTLSCACert, "no PEM certificate found"},
		"CA not X.509":      {map[string]string{SecureTLSCACert: brokenCert}, SecureTLSCACert, "certificate 1 is not a valid X.509 certificate"},
		"cert without key":  {map[string]string{SecureTLSClientCert: client.CertPEM}, SecureTLSClientKey, "TLS client key (tlsClientKey) is required"},
		"key without cert":  {map[string]string{SecureTLSClientKey: client.KeyPEM}, SecureTLSClientCert, "TLS client certificate (tlsClientCert) is required"},
		"cert not PEM":      {map[string]string{SecureTLSClientCert: garbage, SecureTLSClientKey: client.KeyPEM}, SecureTLSClientCert, "no PEM certificate found"},
		"key not PEM":       {map[string]string{SecureTLSClientCert: client.CertPEM, SecureTLSClientKey: garbage}, SecureTLSClientKey, "no PEM private key found"},
		"key encrypted":     {map[string]string{SecureTLSClientCert: client.CertPEM, SecureTLSClientKey: encrypted}, SecureTLSClientKey, "encrypted keys are not supported"},
		"key of other cert": {map[string]string{SecureTLSClientCert: client.CertPEM, SecureTLSClientKey: stranger.KeyPEM}, SecureTLSClientKey, "does not match the client certificate"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, `{"monitorHost":"m","sslMode":"verify-full"}`, c.secure)
			fields := FieldErrors(err)
			if !strings.Contains(fields[c.field], c.msg) {
				t.Fatalf("want %s: %q, got %v", c.field, c.msg, fields)
			}
			for _, v := range c.secure {
				for _, line := range strings.Split(v, "\n") {
					if len(line) > 8 && !strings.HasPrefix(line, "-----") && strings.Contains(err.Error(), line) {
						t.Fatalf("the error quotes the secret: %v", err)
					}
				}
			}
		})
	}
}

func TestTLSCertificatesNeedAModeThatAlwaysUsesTLS(t *testing.T) {
	ca := testpki.NewCA(t, "veza test CA")
	for _, mode := range []string{"disable", "allow", "prefer"} {
		_, err := load(t, `{"monitorHost":"m","sslMode":"`+mode+`"}`, map[string]string{SecureTLSCACert: ca.PEM})
		if !strings.Contains(FieldErrors(err)["sslMode"], "may connect without TLS") {
			t.Errorf("%s with a CA: %v", mode, err)
		}
	}
	for _, mode := range []string{"require", "verify-ca", "verify-full"} {
		if _, err := load(t, `{"monitorHost":"m","sslMode":"`+mode+`"}`, map[string]string{SecureTLSCACert: ca.PEM}); err != nil {
			t.Errorf("%s with a CA: %v", mode, err)
		}
	}
}

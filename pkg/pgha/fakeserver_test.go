package pgha

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// fakeServer is a Postgres wire-protocol server on a loopback port that plays one login: it
// upgrades to TLS on SSLRequest when it has a certificate (and refuses TLS otherwise), asks for
// the authentication method it was given, and records every byte and message the client sends
// after the startup message, so a test can prove what the client did or did not send.
type fakeServer struct {
	t    *testing.T
	ln   net.Listener
	auth pgproto3.BackendMessage // AuthenticationOk, …CleartextPassword, …MD5Password, …SASL
	tls  *tls.Config             // nil: answer SSLRequest with N

	mu       sync.Mutex
	raw      bytes.Buffer               // bytes received after the startup message (decrypted)
	messages []pgproto3.FrontendMessage // messages received after the authentication request
	tlsErr   error                      // the server side of a failed handshake
	accepted atomic.Int32               // connections accepted
	done     chan struct{}
}

func startFakeServer(t *testing.T, auth pgproto3.BackendMessage, tlsConfig *tls.Config) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{t: t, ln: ln, auth: auth, tls: tlsConfig, done: make(chan struct{})}
	t.Cleanup(func() { _ = ln.Close() })
	go s.serve()
	return s
}

func (s *fakeServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// recorder tees what the client sends into the server's record once the startup is over.
type recorder struct {
	net.Conn
	s  *fakeServer
	on bool
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	if r.on && n > 0 {
		r.s.mu.Lock()
		r.s.raw.Write(p[:n])
		r.s.mu.Unlock()
	}
	return n, err
}

// serve plays one connection, then closes it; enough for one Connect.
func (s *fakeServer) serve() {
	defer close(s.done)
	c, err := s.ln.Accept()
	if err != nil {
		return
	}
	s.accepted.Add(1)
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var conn net.Conn = c
	be := pgproto3.NewBackend(conn, conn)
	var startup pgproto3.FrontendMessage
	for {
		startup, err = be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch startup.(type) {
		case *pgproto3.SSLRequest:
			if s.tls == nil {
				_, _ = conn.Write([]byte("N"))
				continue
			}
			_, _ = conn.Write([]byte("S"))
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				s.mu.Lock()
				s.tlsErr = err
				s.mu.Unlock()
				return
			}
			conn = tc
			be = pgproto3.NewBackend(conn, conn)
			continue
		case *pgproto3.GSSEncRequest:
			_, _ = conn.Write([]byte("N"))
			continue
		}
		break
	}
	if _, ok := startup.(*pgproto3.StartupMessage); !ok {
		return
	}
	rec := &recorder{Conn: conn, s: s, on: true}
	be = pgproto3.NewBackend(rec, conn)
	be.Send(s.auth)
	if _, ok := s.auth.(*pgproto3.AuthenticationOk); ok {
		be.Send(&pgproto3.ParameterStatus{Name: "server_version", Value: "17.0"})
		be.Send(&pgproto3.BackendKeyData{ProcessID: 1, SecretKey: []byte{0, 0, 0, 1}})
		be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	}
	if err := be.Flush(); err != nil {
		return
	}
	switch s.auth.(type) {
	case *pgproto3.AuthenticationCleartextPassword:
		_ = be.SetAuthType(pgproto3.AuthTypeCleartextPassword)
	case *pgproto3.AuthenticationMD5Password:
		_ = be.SetAuthType(pgproto3.AuthTypeMD5Password)
	case *pgproto3.AuthenticationSASL:
		_ = be.SetAuthType(pgproto3.AuthTypeSASL)
	}
	// Record whatever comes until the client hangs up (or the deadline passes).
	for {
		msg, err := be.Receive()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.messages = append(s.messages, msg)
		s.mu.Unlock()
		if _, ok := msg.(*pgproto3.SASLInitialResponse); ok {
			// Enough to know SCRAM was attempted; end the login as a server would on a bad proof.
			be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01", Message: `password authentication failed for user "grafana"`})
			_ = be.Flush()
			return
		}
	}
}

// received waits for the connection to end and returns what the client sent after startup.
func (s *fakeServer) received() (raw []byte, msgs []pgproto3.FrontendMessage, tlsErr error) {
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.t.Fatal("the fake server never finished its connection")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.raw.Bytes()), s.messages, s.tlsErr
}

var _ io.Reader = (*recorder)(nil)

// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
)

// withTLS serves the receiver over TLS with a certificate for 127.0.0.1 made for the test,
// and returns a client that trusts it and speaks HTTP/2, as browsers do over TLS.
func withTLS(t *testing.T) (harnessOption, *http.Client) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))

	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	client := &http.Client{
		Timeout:   20 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true},
	}
	t.Cleanup(client.CloseIdleConnections)
	opt := withConfig(func(c *Config) {
		c.TLS = configoptional.Some(configtls.ServerConfig{Config: configtls.Config{CertFile: certFile, KeyFile: keyFile}})
	})
	return opt, client
}

// TestHTTP2OverTLS: over TLS the SDKs speak HTTP/2, where deadlines are per stream. A
// beacon is accepted; a body that stalls is cut off with 408 after the grace period, and
// its slot of max_concurrent_requests is given back.
func TestHTTP2OverTLS(t *testing.T) {
	tlsOpt, client := withTLS(t)
	const grace = 300 * time.Millisecond
	h := startHarness(t, tlsOpt, withMinBodyRate(1000, grace))
	url := strings.Replace(h.url, "http://", "https://", 1)

	resp, err := client.Post(url+"/vitals", "text/plain", strings.NewReader(lcpBeacon))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 2, resp.ProtoMajor, "the client and the receiver agreed on HTTP/2")
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)

	body, stall := io.Pipe()
	t.Cleanup(func() { stall.Close() })
	go func() { _, _ = stall.Write([]byte(`{"name":`)) }()
	start := time.Now()
	resp, err = client.Post(url+"/vitals", "text/plain", body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), grace, "not before the grace period")
	assert.Less(t, time.Since(start), grace+10*time.Second, "cut off by min_body_rate, not by read_timeout")
	assert.Equal(t, 1, h.logs.LogRecordCount(), "only the beacon went on")
	h.assertRefused(map[string]int64{reasonTimeout: 1})
	require.Eventually(t, func() bool { return h.rcv.inFlight.n.Load() == 0 }, 5*time.Second, 5*time.Millisecond)
}

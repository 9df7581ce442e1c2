// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// TestSASL: each mechanism authenticates against a broker that requires it, and a wrong
// password fails Acquire within the extension's timeout.
func TestSASL(t *testing.T) {
	for _, mechanism := range []string{saslPlain, saslSCRAMSHA256, saslSCRAMSHA512} {
		t.Run(mechanism, func(t *testing.T) {
			c := newTestCluster(t, kfake.EnableSASL(), kfake.Superuser(mechanism, "rum", "s3cret"))
			cfg := testConfig(c)
			cfg.SASL = SASLConfig{Mechanism: mechanism, Username: "rum", Password: "s3cret"}
			a := startInstance(t, cfg)
			a.acquire(t, 0)
			a.write(t, 0, 1, session("s1", "v"))
			a.release(t, 0, 1)

			cfg.SASL.Password = "wrong"
			cfg.Timeout = time.Second
			b := startInstance(t, cfg)
			ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
			defer cancel()
			_, err := b.st.Acquire(ctx, 0)
			assert.Error(t, err)
		})
	}
}

// TestTLS: the tls block's CA verifies the broker's certificate.
func TestTLS(t *testing.T) {
	certPEM, serverCfg := selfSignedTLS(t)
	c := newTestCluster(t, kfake.TLS(serverCfg))
	cfg := testConfig(c)
	clientTLS := configtls.NewDefaultClientConfig()
	clientTLS.CAPem = configopaque.String(certPEM)
	cfg.TLS = configoptional.Some(clientTLS)
	a := startInstance(t, cfg)
	a.acquire(t, 1)
	a.write(t, 1, 2, session("s1", "v"))
	a.release(t, 1, 2)
	claim := startInstance(t, cfg).acquire(t, 1)
	assert.Equal(t, []handover.Checkpoint{session("s1", "v")}, claim.Sessions)
}

// selfSignedTLS returns a certificate for 127.0.0.1 (PEM) and a server configuration
// that presents it.
func selfSignedTLS(t *testing.T) (string, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kfake"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	pair, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	require.NoError(t, err)
	return string(certPEM), &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
}

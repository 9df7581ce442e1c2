// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"
)

// Config is the configuration of the rum receiver.
type Config struct {
	// ServerConfig brings TLS, CORS, auth extensions, body limits, decompression and the
	// server's timeouts.
	// Default: endpoint localhost:12347, max_request_body_size 1 MiB, read_header_timeout
	// 10s, read_timeout 30s, write_timeout 45s, cors allowed_origins ["*"] with the SDKs'
	// headers.
	confighttp.ServerConfig `mapstructure:",squash"`

	// Apps lists the applications allowed to send data, each with its API key. When the
	// list is empty the receiver accepts data from anyone and takes the app from the payload.
	// Default: empty.
	Apps []AppConfig `mapstructure:"apps"`

	// RateLimit bounds how fast one app and one client address may send.
	RateLimit RateLimitConfig `mapstructure:"rate_limit"`

	// TrustedProxies lists the proxies, load balancers and CDN edges in front of the
	// receiver, as CIDR prefixes or single addresses. Only a peer inside them may name
	// the client in a forwarding header; every other peer is the client itself.
	// Default: empty (trust no one).
	TrustedProxies []string `mapstructure:"trusted_proxies"`

	// ClientAddressHeader names the one header a trusted proxy writes the client's
	// address into (CF-Connecting-IP, True-Client-IP). Empty reads Forwarded, then
	// X-Forwarded-For; naming one of these two reads only that one.
	// Default: empty.
	ClientAddressHeader string `mapstructure:"client_address_header"`

	// RetryAfter is the delay announced in Retry-After when the pipeline behind the
	// receiver refuses data for a while (for example memory_limiter), and how long the
	// receiver keeps offering the rest of a request once part of it went on.
	// Default: 5s.
	RetryAfter time.Duration `mapstructure:"retry_after"`

	// MaxClockSkew is how far in the future a client timestamp may be before it is
	// replaced by the receive time and flagged.
	// Default: 5m.
	MaxClockSkew time.Duration `mapstructure:"max_clock_skew"`

	// MaxTimestampAge is how far in the past a client timestamp may be before it is
	// replaced by the receive time and flagged. Times before 1970 are always replaced.
	// Default: 24h.
	MaxTimestampAge time.Duration `mapstructure:"max_timestamp_age"`

	// MaxConcurrentRequests bounds the requests admitted at once (body being read or data
	// being forwarded), and with max_request_body_size the memory they can hold. Past it a
	// request is refused with Retry-After: 429 for Faro and beacons, 503 for OTLP.
	// Default: 512.
	MaxConcurrentRequests int `mapstructure:"max_concurrent_requests"`

	// MinBodyRate cuts off request bodies that arrive too slowly.
	MinBodyRate MinBodyRateConfig `mapstructure:"min_body_rate"`

	// DrainTimeout is how long shutdown waits for the requests in flight once the receiver
	// stops accepting new ones; then their connections are closed, unanswered.
	// Default: 5s.
	DrainTimeout time.Duration `mapstructure:"drain_timeout"`

	// Privacy says which personal data is recorded.
	Privacy PrivacyConfig `mapstructure:"privacy"`

	// SessionMetadata names the session of the data in the client metadata of every call
	// the receiver makes downstream, for an exporter that keys by it (kafka's
	// message_key_from_metadata_key).
	SessionMetadata SessionMetadataConfig `mapstructure:"session_metadata"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// MinBodyRateConfig is the slowest a request body may arrive, as an average since the
// request started: a connection that trickles a body in holds a request slot and a
// goroutine for as long as it likes otherwise.
type MinBodyRateConfig struct {
	// BytesPerSecond is the minimum average rate, counted in the bytes the client sends
	// (compressed, if the body is). 0 disables the check; read_timeout still applies.
	// Default: 1024.
	BytesPerSecond float64 `mapstructure:"bytes_per_second"`
	// GracePeriod is how long a body may take before the rate is checked, for slow
	// networks and connection start-up.
	// Default: 5s.
	GracePeriod time.Duration `mapstructure:"grace_period"`
}

// SessionMetadataConfig puts the session key of the data, under rum.session.key, into
// client.Info.Metadata of the context the receiver calls the pipeline with: the data's
// session.id or, for data without one, the key the session processor would assign it
// (from the app, the client address and the user agent, hashed). A request with data of
// several sessions is forwarded as one call per session. Off, the receiver forwards each
// signal of a request in one call with the context as confighttp made it: a collector
// that keeps the sessions itself needs no key.
type SessionMetadataConfig struct {
	// Enabled turns it on.
	// Default: false.
	Enabled bool `mapstructure:"enabled"`
}

// AppConfig is one application and its API key.
type AppConfig struct {
	// Name becomes service.name of everything the app sends. Required.
	Name string `mapstructure:"name"`
	// APIKey is what the SDK sends in x-api-key, in /collect/{app_key} or in ?api_key=.
	// Required, unique across apps.
	APIKey configopaque.String `mapstructure:"api_key"`
	// Environment, when set, becomes deployment.environment.name if the SDK did not send one.
	// Default: empty.
	Environment string `mapstructure:"environment"`
}

// RateLimitConfig holds the token buckets.
type RateLimitConfig struct {
	// PerApp is one bucket per app (one for all traffic when apps is empty).
	// Default: rate 1000, burst 2000.
	PerApp LimitConfig `mapstructure:"per_app"`
	// PerClient is one bucket per client address.
	// Default: rate 10, burst 50.
	PerClient LimitConfig `mapstructure:"per_client"`
	// MaxClients bounds the number of client addresses whose buckets are remembered;
	// the least recently seen are forgotten first.
	// Default: 100000.
	MaxClients int `mapstructure:"max_clients"`
}

// LimitConfig is one token bucket: Rate requests per second with bursts of Burst.
// A Rate of 0 disables the limit.
type LimitConfig struct {
	Rate  float64 `mapstructure:"rate"`
	Burst int     `mapstructure:"burst"`
}

// PrivacyConfig lists the personal data that is recorded. Everything is off by default.
type PrivacyConfig struct {
	// RecordClientAddress records the client IP as client.address.
	// Default: false.
	RecordClientAddress bool `mapstructure:"record_client_address"`
	// UserAttributes lists the user.* attributes to keep besides user.id
	// (allowed: email, name, full_name, roles, hash).
	// Default: empty.
	UserAttributes []string `mapstructure:"user_attributes"`
}

// allowedUserAttributes are the user fields the SDKs send that a config may opt into.
var allowedUserAttributes = []string{"email", "name", "full_name", "roles", "hash"}

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.RetryAfter <= 0 {
		errs = append(errs, errors.New("invalid retry_after: must be positive"))
	}
	if cfg.MaxClockSkew <= 0 {
		errs = append(errs, errors.New("invalid max_clock_skew: must be positive"))
	}
	if cfg.MaxTimestampAge <= 0 {
		errs = append(errs, errors.New("invalid max_timestamp_age: must be positive"))
	}
	if cfg.MaxConcurrentRequests <= 0 {
		errs = append(errs, errors.New("invalid max_concurrent_requests: must be positive"))
	}
	if cfg.MinBodyRate.BytesPerSecond < 0 {
		errs = append(errs, errors.New("invalid min_body_rate::bytes_per_second: must not be negative"))
	}
	if cfg.MinBodyRate.BytesPerSecond > 0 && cfg.MinBodyRate.GracePeriod <= 0 {
		errs = append(errs, errors.New("invalid min_body_rate::grace_period: must be positive when bytes_per_second is set"))
	}
	if cfg.DrainTimeout <= 0 {
		errs = append(errs, errors.New("invalid drain_timeout: must be positive"))
	}
	// net/http's write deadline counts from the request's headers, like read_timeout.
	if cfg.WriteTimeout > 0 && cfg.ReadTimeout > 0 && cfg.WriteTimeout <= cfg.ReadTimeout+cfg.RetryAfter {
		errs = append(errs, fmt.Errorf("invalid write_timeout: must be longer than read_timeout plus retry_after (%s), or 0: "+
			"an answer due after it is never sent, and the client sends again data that was accepted", cfg.ReadTimeout+cfg.RetryAfter))
	}
	errs = append(errs, validateApps(cfg.Apps)...)
	_, proxyErrs := cfg.trustedProxies()
	errs = append(errs, proxyErrs...)
	if cfg.ClientAddressHeader != "" {
		if !clientaddr.ValidHeaderName(cfg.ClientAddressHeader) {
			errs = append(errs, fmt.Errorf("invalid client_address_header: %q is not a header name", cfg.ClientAddressHeader))
		}
		if len(cfg.TrustedProxies) == 0 {
			errs = append(errs, errors.New("invalid client_address_header: set trusted_proxies too, the header is read only from trusted peers"))
		}
	}
	errs = append(errs, cfg.RateLimit.PerApp.validate("rate_limit::per_app")...)
	errs = append(errs, cfg.RateLimit.PerClient.validate("rate_limit::per_client")...)
	if cfg.RateLimit.PerClient.Rate > 0 && cfg.RateLimit.MaxClients <= 0 {
		errs = append(errs, errors.New("invalid rate_limit::max_clients: must be positive when rate_limit::per_client is set"))
	}
	for _, a := range cfg.Privacy.UserAttributes {
		if !slices.Contains(allowedUserAttributes, a) {
			errs = append(errs, fmt.Errorf("invalid privacy::user_attributes: %q is not one of %v", a, allowedUserAttributes))
		}
	}
	return errors.Join(errs...)
}

// trustedProxies parses trusted_proxies, with an error naming each entry that does not
// parse.
func (cfg *Config) trustedProxies() ([]netip.Prefix, []error) {
	var errs []error
	prefixes := make([]netip.Prefix, 0, len(cfg.TrustedProxies))
	for i, s := range cfg.TrustedProxies {
		p, err := clientaddr.ParsePrefix(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("invalid trusted_proxies[%d]: %w", i, err))
			continue
		}
		prefixes = append(prefixes, p)
	}
	return prefixes, errs
}

func validateApps(apps []AppConfig) []error {
	var errs []error
	keys := map[configopaque.String]string{}
	for i, a := range apps {
		if a.Name == "" {
			errs = append(errs, fmt.Errorf("invalid apps[%d]::name: must not be empty", i))
		}
		if a.APIKey == "" {
			errs = append(errs, fmt.Errorf("invalid apps[%d]::api_key: must not be empty", i))
			continue
		}
		if other, dup := keys[a.APIKey]; dup {
			errs = append(errs, fmt.Errorf("invalid apps[%d]::api_key: already used by app %q", i, other))
		}
		keys[a.APIKey] = a.Name
	}
	return errs
}

func (l LimitConfig) validate(key string) []error {
	var errs []error
	if l.Rate < 0 {
		errs = append(errs, fmt.Errorf("invalid %s::rate: must not be negative", key))
	}
	if l.Rate > 0 && l.Burst <= 0 {
		errs = append(errs, fmt.Errorf("invalid %s::burst: must be positive when rate is set", key))
	}
	return errs
}

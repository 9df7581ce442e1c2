package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
)

// Config is the configuration of the rum receiver.
type Config struct {
	// ServerConfig brings TLS, CORS, auth extensions, body limits and decompression.
	confighttp.ServerConfig `mapstructure:",squash"`

	// Apps lists the applications allowed to send data, each with its API key. When the
	// list is empty the receiver accepts data from anyone and takes the app from the payload.
	Apps []AppConfig `mapstructure:"apps"`

	// RateLimit bounds how fast one app and one client address may send.
	RateLimit RateLimitConfig `mapstructure:"rate_limit"`

	// RetryAfter is the delay announced in Retry-After when the pipeline behind the
	// receiver refuses data for a while (for example memory_limiter).
	RetryAfter time.Duration `mapstructure:"retry_after"`

	// MaxClockSkew is how far in the future a client timestamp may be before it is
	// replaced by the receive time and flagged.
	MaxClockSkew time.Duration `mapstructure:"max_clock_skew"`

	// Privacy says which personal data is recorded.
	Privacy PrivacyConfig `mapstructure:"privacy"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// AppConfig is one application and its API key.
type AppConfig struct {
	// Name becomes service.name of everything the app sends.
	Name string `mapstructure:"name"`
	// APIKey is what the SDK sends in x-api-key, in /collect/{app_key} or in ?api_key=.
	APIKey configopaque.String `mapstructure:"api_key"`
	// Environment, when set, becomes deployment.environment.name if the SDK did not send one.
	Environment string `mapstructure:"environment"`
}

// RateLimitConfig holds the token buckets.
type RateLimitConfig struct {
	PerApp    LimitConfig `mapstructure:"per_app"`
	PerClient LimitConfig `mapstructure:"per_client"`
	// MaxClients bounds the number of client addresses whose buckets are remembered;
	// the least recently seen are forgotten first.
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
	RecordClientAddress bool `mapstructure:"record_client_address"`
	// UserAttributes lists the user.* attributes to keep besides user.id
	// (allowed: email, name, full_name, roles, hash).
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
	errs = append(errs, validateApps(cfg.Apps)...)
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

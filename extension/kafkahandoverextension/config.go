// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
)

const (
	defaultBroker       = "localhost:9092"
	defaultClientID     = "otelcol-rum"
	defaultTopic        = "rum_session_checkpoints"
	defaultHandoverWait = 15 * time.Second
	defaultTimeout      = 10 * time.Second
	defaultReadTimeout  = 30 * time.Second
	// defaultReplicationFactor -1 lets the broker apply its default.replication.factor.
	defaultReplicationFactor = -1

	// minTimeout: franz-go refuses to bound the delivery of a record by less.
	minTimeout = time.Second

	// maxTopicLen is Kafka's limit on a topic name.
	maxTopicLen = 249
)

// SASL mechanisms the extension authenticates with.
const (
	saslPlain       = "PLAIN"
	saslSCRAMSHA256 = "SCRAM-SHA-256"
	saslSCRAMSHA512 = "SCRAM-SHA-512"
)

// Config is the configuration of the kafka_handover extension.
type Config struct {
	// Brokers are the seed brokers, host:port each.
	// Default: [localhost:9092]
	Brokers []string `mapstructure:"brokers"`
	// ClientID is the Kafka client id of the extension's connections.
	// Default: otelcol-rum
	ClientID string `mapstructure:"client_id"`
	// Topic is the compacted checkpoint topic. It needs at least as many partitions as
	// the data topics: checkpoints of data partition p go to its partition p.
	// Default: rum_session_checkpoints
	Topic string `mapstructure:"topic"`
	// HandoverWait bounds how long Acquire waits for the owner of a partition to release
	// it; when it runs out the owner is taken for crashed and the partition is taken over
	// from its last checkpoints.
	// Default: 15s
	HandoverWait time.Duration `mapstructure:"handover_wait"`
	// Timeout bounds every request to Kafka other than reading a partition: the
	// acknowledgement of checkpoints and markers, metadata, creating and describing the
	// topic. At least 1s.
	// Default: 10s
	Timeout time.Duration `mapstructure:"timeout"`
	// ReadTimeout bounds reading a partition's checkpoints up to its end in Acquire,
	// separately from the wait for a release.
	// Default: 30s
	ReadTimeout time.Duration `mapstructure:"read_timeout"`
	// CreateTopic creates the topic at start when it does not exist.
	CreateTopic CreateTopicConfig `mapstructure:"create_topic"`
	// TLS turns on TLS to the brokers; without it the connections are plain text.
	// Default: none (plain text)
	TLS configoptional.Optional[configtls.ClientConfig] `mapstructure:"tls"`
	// SASL authenticates to the brokers.
	SASL SASLConfig `mapstructure:"sasl"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// CreateTopicConfig says whether and how the extension creates a missing checkpoint topic.
type CreateTopicConfig struct {
	// Enabled creates the topic, compacted, when it does not exist.
	// Default: false
	Enabled bool `mapstructure:"enabled"`
	// Partitions of the created topic: at least those of the data topics. Required when
	// enabled.
	// Default: 0
	Partitions int32 `mapstructure:"partitions"`
	// ReplicationFactor of the created topic; -1 takes the broker's default.
	// Default: -1
	ReplicationFactor int16 `mapstructure:"replication_factor"`
}

// SASLConfig authenticates with PLAIN or SCRAM.
type SASLConfig struct {
	// Mechanism is PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; empty turns SASL off.
	// Default: ""
	Mechanism string `mapstructure:"mechanism"`
	// Username to authenticate as. Required with a mechanism.
	// Default: ""
	Username string `mapstructure:"username"`
	// Password of Username.
	// Default: ""
	Password configopaque.String `mapstructure:"password"`
}

// Validate checks every option, each error naming its YAML key. The tls block checks
// itself.
func (cfg *Config) Validate() error {
	if len(cfg.Brokers) == 0 {
		return errors.New("invalid brokers: must list at least one broker")
	}
	for i, b := range cfg.Brokers {
		if err := checkBroker(b); err != nil {
			return fmt.Errorf("invalid brokers[%d]: %w", i, err)
		}
	}
	if cfg.ClientID == "" {
		return errors.New("invalid client_id: must not be empty")
	}
	if err := checkTopic(cfg.Topic); err != nil {
		return fmt.Errorf("invalid topic: %w", err)
	}
	for _, d := range []struct {
		key   string
		value time.Duration
	}{{"handover_wait", cfg.HandoverWait}, {"timeout", cfg.Timeout}, {"read_timeout", cfg.ReadTimeout}} {
		if d.value <= 0 {
			return fmt.Errorf("invalid %s: must be positive", d.key)
		}
	}
	if cfg.Timeout < minTimeout {
		return fmt.Errorf("invalid timeout: must be at least %s", minTimeout)
	}
	if cfg.CreateTopic.Enabled && cfg.CreateTopic.Partitions < 1 {
		return errors.New("invalid create_topic.partitions: must be positive when create_topic.enabled is true")
	}
	if cfg.CreateTopic.Partitions < 0 {
		return errors.New("invalid create_topic.partitions: must not be negative")
	}
	if rf := cfg.CreateTopic.ReplicationFactor; rf != -1 && rf < 1 {
		return errors.New("invalid create_topic.replication_factor: must be -1 (the broker's default) or positive")
	}
	return cfg.SASL.validate()
}

func (s SASLConfig) validate() error {
	switch s.Mechanism {
	case "":
		if s.Username != "" || s.Password != "" {
			return errors.New("invalid sasl.mechanism: must be set when sasl.username or sasl.password is")
		}
		return nil
	case saslPlain, saslSCRAMSHA256, saslSCRAMSHA512:
	default:
		return fmt.Errorf("invalid sasl.mechanism: %q is not one of %s, %s, %s", s.Mechanism, saslPlain, saslSCRAMSHA256, saslSCRAMSHA512)
	}
	if s.Username == "" {
		return errors.New("invalid sasl.username: must not be empty with a mechanism")
	}
	return nil
}

func checkBroker(b string) error {
	host, port, err := net.SplitHostPort(b)
	if err != nil {
		return fmt.Errorf("%q is not host:port", b)
	}
	if host == "" {
		return fmt.Errorf("%q has no host", b)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q has no valid port", b)
	}
	return nil
}

// checkTopic applies Kafka's rules for topic names.
func checkTopic(topic string) error {
	switch {
	case topic == "":
		return errors.New("must not be empty")
	case topic == "." || topic == "..":
		return fmt.Errorf("%q is not a topic name Kafka accepts", topic)
	case len(topic) > maxTopicLen:
		return fmt.Errorf("longer than %d characters", maxTopicLen)
	}
	if strings.IndexFunc(topic, notTopicChar) >= 0 {
		return fmt.Errorf("%q has a character other than ASCII letters, digits, '.', '_' and '-'", topic)
	}
	return nil
}

func notTopicChar(c rune) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		return false
	}
	return true
}

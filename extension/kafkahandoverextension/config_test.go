// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"
)

// TestLoadConfig: testdata/config.yaml sets every option.
func TestLoadConfig(t *testing.T) {
	tls := configtls.NewDefaultClientConfig()
	tls.CAFile = "/etc/kafka/ca.pem"
	configtest.AssertLoads(t, createDefaultConfig, map[component.ID]component.Config{
		component.NewID(metadata.Type): createDefaultConfig(),
		component.NewIDWithName(metadata.Type, "full"): &Config{
			Brokers:      []string{"kafka-0.kafka:9093", "kafka-1.kafka:9093"},
			ClientID:     "rum-sessions",
			Topic:        "rum_checkpoints",
			HandoverWait: 20 * time.Second,
			Timeout:      5 * time.Second,
			ReadTimeout:  time.Minute,
			CreateTopic:  CreateTopicConfig{Enabled: true, Partitions: 12, ReplicationFactor: 3},
			TLS:          configoptional.Some(tls),
			SASL:         SASLConfig{Mechanism: "SCRAM-SHA-512", Username: "collector", Password: "secret"},
		},
	})
}

func TestValidateNamesTheKey(t *testing.T) {
	tested := configtest.AssertRefusals(t, createDefaultConfig, []configtest.Refusal{
		{"brokers empty", map[string]any{"brokers": []any{}}, "invalid brokers: must list at least one broker"},
		{"brokers no port", map[string]any{"brokers": []any{"a:9092", "kafka"}}, `invalid brokers[1]: "kafka" is not host:port`},
		{"brokers bad port", map[string]any{"brokers": []any{"kafka:0"}}, `invalid brokers[0]: "kafka:0" has no valid port`},
		{"brokers no host", map[string]any{"brokers": []any{":9092"}}, `invalid brokers[0]: ":9092" has no host`},
		{"client_id", map[string]any{"client_id": ""}, "invalid client_id: must not be empty"},
		{"topic empty", map[string]any{"topic": ""}, "invalid topic: must not be empty"},
		{"topic characters", map[string]any{"topic": "rum/checkpoints"}, `invalid topic: "rum/checkpoints" has a character other than ASCII letters, digits, '.', '_' and '-'`},
		{"topic dots", map[string]any{"topic": ".."}, `invalid topic: ".." is not a topic name Kafka accepts`},
		{"topic length", map[string]any{"topic": strings.Repeat("t", 250)}, "invalid topic: longer than 249 characters"},
		{"handover_wait", map[string]any{"handover_wait": "0s"}, "invalid handover_wait: must be positive"},
		{"timeout", map[string]any{"timeout": "-1s"}, "invalid timeout: must be positive"},
		{"timeout below franz-go's floor", map[string]any{"timeout": "500ms"}, "invalid timeout: must be at least 1s"},
		{"read_timeout", map[string]any{"read_timeout": "0s"}, "invalid read_timeout: must be positive"},
		{"create_topic partitions", map[string]any{"create_topic": map[string]any{"enabled": true}}, "invalid create_topic.partitions: must be positive when create_topic.enabled is true"},
		{"create_topic negative partitions", map[string]any{"create_topic": map[string]any{"partitions": -3}}, "invalid create_topic.partitions: must not be negative"},
		{"create_topic replication_factor", map[string]any{"create_topic": map[string]any{"replication_factor": 0}}, "invalid create_topic.replication_factor: must be -1 (the broker's default) or positive"},
		// configtls checks itself, once as the block and once as its embedded Config.
		{"tls", map[string]any{"tls": map[string]any{"min_version": "0.9"}}, "tls: invalid TLS min_version: unsupported TLS version: \"0.9\"\nconfig: invalid TLS min_version: unsupported TLS version: \"0.9\""},
		{"sasl mechanism", map[string]any{"sasl": map[string]any{"mechanism": "GSSAPI", "username": "u"}}, `invalid sasl.mechanism: "GSSAPI" is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512`},
		{"sasl username", map[string]any{"sasl": map[string]any{"mechanism": "PLAIN"}}, "invalid sasl.username: must not be empty with a mechanism"},
		{"sasl without mechanism", map[string]any{"sasl": map[string]any{"username": "u", "password": "p"}}, "invalid sasl.mechanism: must be set when sasl.username or sasl.password is"},
	})
	for _, key := range configtest.Keys(t, createDefaultConfig()) {
		assert.True(t, tested[key], "no refused value of %s", key)
	}
}

func TestREADMEDocumentsEveryOption(t *testing.T) {
	configtest.AssertREADMEOptions(t, "extensions", metadata.Type, createDefaultConfig)
}

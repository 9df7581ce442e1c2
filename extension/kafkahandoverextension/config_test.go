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
		{Name: "brokers empty", Options: map[string]any{"brokers": []any{}}, Err: "invalid brokers: must list at least one broker"},
		{Name: "brokers no port", Options: map[string]any{"brokers": []any{"a:9092", "kafka"}}, Err: `invalid brokers[1]: "kafka" is not host:port`},
		{Name: "brokers bad port", Options: map[string]any{"brokers": []any{"kafka:0"}}, Err: `invalid brokers[0]: "kafka:0" has no valid port`},
		{Name: "brokers no host", Options: map[string]any{"brokers": []any{":9092"}}, Err: `invalid brokers[0]: ":9092" has no host`},
		{Name: "client_id", Options: map[string]any{"client_id": ""}, Err: "invalid client_id: must not be empty"},
		{Name: "topic empty", Options: map[string]any{"topic": ""}, Err: "invalid topic: must not be empty"},
		{Name: "topic characters", Options: map[string]any{"topic": "rum/checkpoints"}, Err: `invalid topic: "rum/checkpoints" has a character other than ASCII letters, digits, '.', '_' and '-'`},
		{Name: "topic dots", Options: map[string]any{"topic": ".."}, Err: `invalid topic: ".." is not a topic name Kafka accepts`},
		{Name: "topic length", Options: map[string]any{"topic": strings.Repeat("t", 250)}, Err: "invalid topic: longer than 249 characters"},
		{Name: "handover_wait", Options: map[string]any{"handover_wait": "0s"}, Err: "invalid handover_wait: must be positive"},
		{Name: "timeout", Options: map[string]any{"timeout": "-1s"}, Err: "invalid timeout: must be positive"},
		{Name: "timeout below franz-go's floor", Options: map[string]any{"timeout": "500ms"}, Err: "invalid timeout: must be at least 1s"},
		{Name: "read_timeout", Options: map[string]any{"read_timeout": "0s"}, Err: "invalid read_timeout: must be positive"},
		{Name: "create_topic partitions", Options: map[string]any{"create_topic": map[string]any{"enabled": true}}, Err: "invalid create_topic.partitions: must be positive when create_topic.enabled is true"},
		{Name: "create_topic negative partitions", Options: map[string]any{"create_topic": map[string]any{"partitions": -3}}, Err: "invalid create_topic.partitions: must not be negative"},
		{Name: "create_topic replication_factor", Options: map[string]any{"create_topic": map[string]any{"replication_factor": 0}}, Err: "invalid create_topic.replication_factor: must be -1 (the broker's default) or positive"},
		// configtls checks itself, once as the block and once as its embedded Config.
		{Name: "tls", Options: map[string]any{"tls": map[string]any{"min_version": "0.9"}}, Err: "tls: invalid TLS min_version: unsupported TLS version: \"0.9\"\nconfig: invalid TLS min_version: unsupported TLS version: \"0.9\""},
		{Name: "sasl mechanism", Options: map[string]any{"sasl": map[string]any{"mechanism": "GSSAPI", "username": "u"}}, Err: `invalid sasl.mechanism: "GSSAPI" is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512`},
		{Name: "sasl username", Options: map[string]any{"sasl": map[string]any{"mechanism": "PLAIN"}}, Err: "invalid sasl.username: must not be empty with a mechanism"},
		{Name: "sasl without mechanism", Options: map[string]any{"sasl": map[string]any{"username": "u", "password": "p"}}, Err: "invalid sasl.mechanism: must be set when sasl.username or sasl.password is"},
	})
	for _, key := range configtest.Keys(t, createDefaultConfig()) {
		assert.True(t, tested[key], "no refused value of %s", key)
	}
}

func TestREADMEDocumentsEveryOption(t *testing.T) {
	configtest.AssertREADMEOptions(t, "extensions", metadata.Type, createDefaultConfig)
}

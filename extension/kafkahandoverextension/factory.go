// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/metadata"
)

// NewFactory creates the kafka_handover extension factory.
func NewFactory() extension.Factory {
	return extension.NewFactory(metadata.Type, createDefaultConfig, createExtension, metadata.ExtensionStability)
}

func createDefaultConfig() component.Config {
	return &Config{
		Brokers:      []string{defaultBroker},
		ClientID:     defaultClientID,
		Topic:        defaultTopic,
		HandoverWait: defaultHandoverWait,
		Timeout:      defaultTimeout,
		ReadTimeout:  defaultReadTimeout,
		CreateTopic:  CreateTopicConfig{ReplicationFactor: defaultReplicationFactor},
	}
}

func createExtension(_ context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return &handoverExtension{store: newStore(cfg.(*Config), set.Logger, newTelemetry(tb)), tb: tb}, nil
}

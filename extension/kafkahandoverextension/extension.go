// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"

	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// handoverExtension offers the session processor its checkpoint store.
type handoverExtension struct {
	store *store
	tb    *metadata.TelemetryBuilder
}

var _ handover.Provider = (*handoverExtension)(nil)

// HandoverStore returns the store; its methods fail until the extension has started.
func (e *handoverExtension) HandoverStore() handover.Store { return e.store }

func (e *handoverExtension) Start(ctx context.Context, _ component.Host) error {
	return e.store.start(ctx)
}

func (e *handoverExtension) Shutdown(context.Context) error {
	e.store.shutdown()
	e.tb.Shutdown()
	return nil
}

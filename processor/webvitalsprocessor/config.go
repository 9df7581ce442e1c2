package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"

import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

// Config is the configuration of the webvitals processor. It is the connector's too: both
// aggregate the same way (see the engine's Config for the options and their defaults).
type Config = engine.Config

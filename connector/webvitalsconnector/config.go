package webvitalsconnector // import "github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector"

import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

// Config is the configuration of the webvitals connector; it is the processor's, whose
// README documents every option. keep_measurements does not apply: a connector never
// changes the pipelines it reads from.
type Config = engine.Config

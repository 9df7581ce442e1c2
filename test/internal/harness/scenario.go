// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// Scenario is one browser session a real SDK made (a scenario of the captures), as the
// templates of its requests in the order they were sent: replayed for new session ids,
// it makes whole sessions rather than the one-request sessions of LoadTemplates.
type Scenario struct {
	Name      string
	Templates []*Template
	// PageViews is how many page loads the SDK reported: every document the browser
	// loaded, except with the web-vitals library alone, whose beacons carry measurements
	// and no page view.
	PageViews int
	// Navigations is how many of them have trace context (a Server-Timing or <meta>
	// traceparent): the page views a vital can be joined to.
	Navigations int
}

// LoadScenario reads the captures of one scenario: "faro", "otel" (OTLP JSON traces and
// logs), "vitals" or "vitals-batch" (web-vitals beacons).
func LoadScenario(t testing.TB, name string) Scenario {
	t.Helper()
	m := sdkcaptures.Load(t)
	s := Scenario{Name: name}
	for _, c := range m.Of(t, name) {
		s.Templates = append(s.Templates, newTemplate(t, m, c))
	}
	sc, ok := m.Scenarios[name]
	require.True(t, ok, "the manifest describes scenario %s", name)
	beaconsOnly := true
	for _, tp := range s.Templates {
		beaconsOnly = beaconsOnly && tp.Format == FormatBeacon
	}
	if !beaconsOnly {
		s.PageViews = len(sc.Documents)
	}
	for _, d := range sc.Documents {
		if d.Traceparent != "" {
			s.Navigations++
		}
	}
	return s
}

// Vitals is how many web-vitals measurements one replay of the scenario sends.
func (s Scenario) Vitals() int {
	n := 0
	for _, tp := range s.Templates {
		n += tp.Vitals
	}
	return n
}

// SessionTraces maps the capture's trace ids to ones of session number n: its first
// eight hex digits become n's. Sessions numbered apart get trace ids apart.
func SessionTraces(n uint32) func(string) string {
	prefix := fmt.Sprintf("%08x", n)
	return func(id string) string { return prefix + id[len(prefix):] }
}

// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestSessionErrorsCountEveryErrorRecord: session.errors counts what the jserrors
// processor's browser.errors counts (internal/errorrecord): exception events, exceptions
// written as attributes without an event name, other records of severity ERROR or above,
// and the exception events the OTel web SDK records on spans; not navigation, user-action
// or vital events, whatever their severity, nor other span events.
func TestSessionErrorsCountEveryErrorRecord(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	ld := sessionLogs("s1",
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError},       // 1
		logRecordSpec{severity: plog.SeverityNumberError},                           // 2: console.error
		logRecordSpec{event: "checkout.failed", severity: plog.SeverityNumberFatal}, // 3
		logRecordSpec{severity: plog.SeverityNumberUnspecified},                     // the OTel SDK's exception log: 4, below
		logRecordSpec{event: "faro.user.action", severity: plog.SeverityNumberError},
		logRecordSpec{event: "browser.web_vital", vitalName: "lcp", severity: plog.SeverityNumberError},
		logRecordSpec{event: "add_to_cart", severity: plog.SeverityNumberWarn},
	)
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(3).Attributes().PutStr("exception.type", "TypeError")
	p.sendLogs(ld)

	td := spanFor("s1")
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	for _, name := range []string{"exception", "fetchStart", "exception"} { // 5, 6
		span.Events().AppendEmpty().SetName(name)
	}
	require.NoError(t, p.tp.ConsumeTraces(context.Background(), td))

	p.expireAfter(time.Hour)
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, int64(6), attr(t, ends[0].Attributes(), "session.errors").Int())
	assert.Equal(t, int64(1), attr(t, ends[0].Attributes(), "session.spans").Int())
	assert.Equal(t, int64(1), attr(t, ends[0].Attributes(), "session.user_actions").Int())
}

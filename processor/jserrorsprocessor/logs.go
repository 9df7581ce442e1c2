// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/errorrecord"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// processLogs makes the exceptions among the records readable and counts every error
// record (internal/errorrecord). Every record goes on.
func (p *jserrorsProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	b := p.startBatch(ctx)
	defer b.finish()
	for _, rl := range ld.ResourceLogs().All() {
		o := originOf(rl.Resource().Attributes())
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				if !errorrecord.IsLog(lr) {
					continue
				}
				attrs := lr.Attributes()
				rec := errorRecord{
					attrs:     attrs,
					exception: errorrecord.IsExceptionLog(lr),
					page:      pattrs.PageURL(attrs),
					sessionID: pattrs.Str(attrs, rumconv.AttrSessionID),
					traceID:   lr.TraceID(),
					spanID:    lr.SpanID(),
					time:      lr.Timestamp(),
				}
				if !rec.exception {
					rec.message = lr.Body().AsString()
				}
				b.add(&rec, &o)
			}
		}
	}
	return ld, nil
}

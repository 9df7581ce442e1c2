// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// logsOf builds logs of one resource (copied from res) with one record per fill.
func logsOf(res pcommon.Resource, fills ...func(lr plog.LogRecord)) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res.CopyTo(rl.Resource())
	sl := rl.ScopeLogs().AppendEmpty()
	for _, fill := range fills {
		fill(sl.LogRecords().AppendEmpty())
	}
	return ld
}

// browserResource is the resource of a browser SDK's data.
func browserResource() pcommon.Resource {
	res := pcommon.NewResource()
	res.Attributes().PutStr("service.name", "shop-web")
	res.Attributes().PutStr("service.version", "1.0.0")
	res.Attributes().PutStr("telemetry.sdk.language", "webjs")
	return res
}

// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/sessionkey"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/bysession"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"
)

// sessionPart is one call downstream: data of one signal and the context it goes with.
type sessionPart struct {
	ctx context.Context
	res normalize.Result
}

// sessionParts returns the calls that forward signal s of res. Without session_metadata
// that is one call with ctx as it is (written into one, which the caller provides so
// that the common path allocates nothing). With it, one call per session of the data,
// in the order the sessions first appear, each with its session key in the client
// metadata (config.go, SessionMetadataConfig): an exporter behind the receiver can key
// each session's data by it only if no call mixes sessions.
func (r *rumReceiver) sessionParts(ctx context.Context, s signals, res *normalize.Result, one *[1]sessionPart) []sessionPart {
	if !r.cfg.SessionMetadata.Enabled {
		one[0] = sessionPart{ctx: ctx, res: *res}
		return one[:]
	}
	resourceKey := func(attrs pcommon.Map) string { return resourceSessionKey(ctx, attrs) }
	switch s {
	case signalTraces:
		return partsWith(ctx, bysession.Traces(res.Traces, resourceKey), func(p *normalize.Result, d bysession.Part[ptrace.Traces]) { p.Traces = d.Data })
	case signalLogs:
		return partsWith(ctx, bysession.Logs(res.Logs, resourceKey), func(p *normalize.Result, d bysession.Part[plog.Logs]) { p.Logs = d.Data })
	default:
		return partsWith(ctx, bysession.Metrics(res.Metrics, resourceKey), func(p *normalize.Result, d bysession.Part[pmetric.Metrics]) { p.Metrics = d.Data })
	}
}

// partsWith makes a call of each part, its context naming the part's session.
func partsWith[T any](ctx context.Context, parts []bysession.Part[T], set func(*normalize.Result, bysession.Part[T])) []sessionPart {
	out := make([]sessionPart, len(parts))
	for i, p := range parts {
		out[i].ctx = withSessionKey(ctx, p.Key)
		set(&out[i].res, p)
	}
	return out
}

// resourceSessionKey is the session of a resource's records that name none of their own:
// its session.id, or the key the session processor would assign it. On a second tier
// the session processor cannot assign it itself, not knowing the client's address; it
// takes this key from the client metadata instead (sessionkey.FromMetadata).
func resourceSessionKey(ctx context.Context, attrs pcommon.Map) string {
	if id := pattrs.Str(attrs, rumconv.AttrSessionID); id != "" {
		return id
	}
	return sessionkey.Assigned(ctx, attrs, pattrs.Str(attrs, rumconv.AttrServiceName))
}

// withSessionKey returns ctx whose client metadata also names the session key. The rest
// of client.Info (the address, auth, the metadata confighttp kept) stays as it was.
func withSessionKey(ctx context.Context, key string) context.Context {
	info := client.FromContext(ctx)
	md := map[string][]string{rumconv.MetadataSessionKey: {key}}
	for k := range info.Metadata.Keys() {
		if k != rumconv.MetadataSessionKey {
			md[k] = info.Metadata.Get(k)
		}
	}
	info.Metadata = client.NewMetadata(md)
	return client.NewContext(ctx, info)
}

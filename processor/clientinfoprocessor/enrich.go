// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// userAgentHeader is the request header the receivers put into the context's metadata
// (with include_metadata), for data whose resource has no user_agent.original.
const userAgentHeader = "User-Agent"

// enrich writes what the resource's user agent and address say, and reports whether the
// resource's data goes on (false: a crawler, with drop_bots on).
func (p *clientInfoProcessor) enrich(ctx context.Context, res pcommon.Map) bool {
	info := client.FromContext(ctx)
	agentWrote, bot := p.enrichUserAgent(ctx, res, info)
	if bot && p.cfg.DropBots {
		p.telemetry.botDropped(ctx)
		return false
	}
	geoWrote := p.enrichLocation(ctx, res, info)
	if agentWrote || geoWrote {
		p.telemetry.enriched(ctx)
	}
	return true
}

// enrichUserAgent writes the browser, OS and device of the resource's User-Agent string.
// What the SDK already sent is kept: an attribute is written only where it is absent or
// empty. It reports whether it wrote anything and whether the client is a crawler (by
// its string, or because the SDK said so). A string not in the cache is parsed only
// within max_uncached_per_second; past it the resource is left as it came.
func (p *clientInfoProcessor) enrichUserAgent(ctx context.Context, res pcommon.Map, info client.Info) (wrote, bot bool) {
	ua := pattrs.Str(res, rumconv.AttrUserAgentOriginal)
	if ua == "" {
		if vs := info.Metadata.Get(userAgentHeader); len(vs) > 0 {
			ua = vs[0]
		}
	}
	bot = pattrs.Str(res, rumconv.AttrUserAgentSyntheticType) == rumconv.UserAgentSyntheticBot
	agent, known := p.agents.Cached(ua)
	if !known {
		if !p.uncached.allow() {
			// Past max_uncached_per_second: left as it came, user_agent.original kept.
			p.telemetry.userAgentUnparsed(ctx)
			return false, bot
		}
		agent = p.agents.Parse(ua)
	}
	if agent.DeviceType == "" {
		return false, bot
	}
	wrote = putUnset(res,
		attr{rumconv.AttrUserAgentName, agent.Name},
		attr{rumconv.AttrUserAgentVersion, agent.Version},
		attr{rumconv.AttrOSName, agent.OSName},
		attr{rumconv.AttrOSVersion, agent.OSVersion},
		attr{rumconv.AttrRUMDeviceType, agent.DeviceType},
		attr{rumconv.AttrDeviceModelName, agent.DeviceModel},
	)
	if agent.Bot {
		wrote = putUnset(res, attr{rumconv.AttrUserAgentSyntheticType, rumconv.UserAgentSyntheticBot}) || wrote
	}
	return wrote, bot || agent.Bot
}

// attr is an attribute to write.
type attr struct{ key, value string }

// putUnset writes each non-empty value where its key is absent or holds an empty string,
// and reports whether it wrote any.
func putUnset(m pcommon.Map, attrs ...attr) bool {
	wrote := false
	for _, a := range attrs {
		if a.value == "" || pattrs.Str(m, a.key) != "" {
			continue
		}
		m.PutStr(a.key, a.value)
		wrote = true
	}
	return wrote
}
